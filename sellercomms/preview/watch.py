"""Live reload: file changes become a new generation and a notice to every open page.

Template folders are watched recursively.  The seller profile, its logo and the orders file
are watched through their folders, not one by one: editors save by writing a new file and
renaming it over the old one, and a watch on the old file would end with that rename.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Final

from watchfiles import Change, DefaultFilter, awatch

from .workspace import Workspace

__all__ = ["Hub", "watch_sources"]

logger = logging.getLogger("sellercomms.preview")

# watchfiles yields once no change came for STEP_MS, or after DEBOUNCE_MS at most: a save
# that touches several files (a template and its stylesheet) makes one reload.
STEP_MS: Final = 50
DEBOUNCE_MS: Final = 400


class Hub:
    """Hands every change to each open page: one queue per page, ``None`` to end its stream."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[int | None]] = set()
        self.closed = False

    def subscribe(self) -> asyncio.Queue[int | None]:
        queue: asyncio.Queue[int | None] = asyncio.Queue()
        if self.closed:
            queue.put_nowait(None)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[int | None]) -> None:
        self._queues.discard(queue)

    def publish(self, generation: int) -> None:
        for queue in self._queues:
            queue.put_nowait(generation)

    def close(self) -> None:
        """End every stream, so that the server can shut down without waiting for pages."""
        self.closed = True
        for queue in self._queues:
            queue.put_nowait(None)


async def watch_sources(workspace: Workspace, hub: Hub, stop: asyncio.Event) -> None:
    """Until ``stop`` is set, start a new generation and tell ``hub`` on every change."""
    folders = [folder for folder in workspace.sources.folders() if folder.is_dir()]

    def watched_file(path: Path) -> bool:
        return path in workspace.watched_files() and not _inside(path, folders)

    file_folders = {path.parent for path in workspace.watched_files() if watched_file(path)}

    def changed(changes: set[tuple[Change, str]]) -> None:
        generation = workspace.invalidate()
        names = sorted({Path(path).name for _, path in changes})
        logger.info("changed: %s (generation %d)", ", ".join(names), generation)
        hub.publish(generation)

    def only_sources(change: Change, path: str) -> bool:
        return watched_file(Path(path).resolve())

    try:
        async with asyncio.TaskGroup() as group:
            if folders:
                group.create_task(_watch(folders, DefaultFilter(), changed, stop, recursive=True))
            if file_folders:
                group.create_task(
                    _watch(sorted(file_folders), only_sources, changed, stop, recursive=False)
                )
    except* OSError as failed:
        # Typically the system's limit of watched folders; polling needs none.
        logger.error(
            "live reload stopped: %s; set WATCHFILES_FORCE_POLLING=true to poll for changes",
            failed.exceptions[0],
        )


async def _watch(
    paths: list[Path],
    keep: Callable[[Change, str], bool],
    changed: Callable[[set[tuple[Change, str]]], None],
    stop: asyncio.Event,
    *,
    recursive: bool,
) -> None:
    async for changes in awatch(
        *paths,
        watch_filter=keep,
        step=STEP_MS,
        debounce=DEBOUNCE_MS,
        stop_event=stop,
        recursive=recursive,
        ignore_permission_denied=True,
    ):
        changed(changes)


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)
