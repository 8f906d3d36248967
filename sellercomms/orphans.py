"""Worker processes that end when the process that started them is gone.

A pool's workers wait for work on a pipe; when their parent is killed outright (``kill -9``,
the out-of-memory killer) nothing ever closes it, and each worker, with WeasyPrint and a
renderer loaded, would wait for ever.  ``PR_SET_PDEATHSIG`` is no answer for a pool: it
fires when the *thread* that started the worker ends, which in a server is any time.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from typing import Final

__all__ = ["exit_with_parent"]

#: Seconds between looks at the parent: an orphan lingers at most this long.
CHECK_INTERVAL: Final = 1.0


def exit_with_parent(interval: float = CHECK_INTERVAL) -> None:
    """End this process soon after its parent process has ended.

    Starts a daemon thread that watches the parent's process id: once the parent is gone
    the process is adopted by another and ``os.getppid()`` changes.  For a process that
    :mod:`multiprocessing` started, the parent is the one that started it.  (On Windows it never
    does, and workers end with their pipes as before.)
    """
    # The parent multiprocessing recorded: it may already be gone when this runs, and then
    # ``os.getppid()`` would name the process that adopted us.
    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None and started_by.pid else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        # Nobody is left to receive a result; nothing of ours needs cleaning up.
        os._exit(1)

    threading.Thread(target=watch, name="sellercomms-parent-watch", daemon=True).start()
