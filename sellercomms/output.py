"""Writing output files so a failure never leaves half a file or clobbers a good one.

Every file is written to a temporary file next to it, flushed to disk and renamed over it.
Temporary files are named ``.<name>.<pid>-<random>.part`` (``.old`` for the previous version
kept while a set of files is replaced): the process id lets a later run recognise, and
remove, those of a process that no longer exists (:func:`remove_stale_files`).

A new file gets the mode the umask leaves of ``0o666``, like any file a program creates; a
replaced file keeps its mode.  A path that is a symbolic link is written through: the file
it points at is replaced and the link stays.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Final

if sys.platform != "win32":
    import fcntl

__all__ = [
    "atomic_writer",
    "prepare_folder",
    "remove_stale_files",
    "write_atomic",
    "write_file_set",
]

_SIDE_FILE: Final = re.compile(r"\..+\.(?P<pid>[0-9]+)-[0-9a-f]{8}\.(?:part|old)")


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Readers see the old file or the new one, never a mix; on any error the old file stays.
    Returns the path written (the target of ``path`` when it is a symbolic link).
    """
    target = _final_path(path)
    with atomic_writer(target) as handle:
        handle.write(_as_bytes(data))
    return target


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``path`` only when the ``with`` block ends without error.

    For output written piece by piece; :func:`write_atomic` is the one-call form.
    """
    target = _final_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = _open_temp(target)
    try:
        with handle:
            yield handle
            with _named(target, temp):
                _flush(handle)
                temp.replace(target)
    except BaseException:
        _unlink(temp)
        raise
    _sync_folder(target.parent)


def write_file_set(folder: str | Path, stem: str, files: Mapping[str, bytes | str]) -> list[Path]:
    """Write ``folder/<stem><suffix>`` for each suffix and content of ``files``, as one unit.

    Either every file of the set is replaced or none is.  The last file of ``files`` marks
    a complete set: the previous one is moved aside before the others are replaced and the
    new one is renamed into place after them, so while a set is being replaced (or when the
    process was killed midway) it is absent.  After an error the previous versions are put
    back.  Writers of the same folder take turns for the renames (an exclusive ``flock`` on
    the folder itself), so each set comes from one writer.  Returns the paths written.
    """
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    targets = [_final_path(base / f"{stem}{suffix}") for suffix in files]
    for target in targets:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    temps: list[Path] = []
    try:
        for target, data in zip(targets, files.values(), strict=True):
            temps.append(_write_temp(target, _as_bytes(data)))
        with _folder_lock(base):
            _replace_set(list(zip(temps, targets, strict=True)))
    finally:
        for temp in temps:
            _unlink(temp)
    for parent in dict.fromkeys(target.parent for target in targets):
        _sync_folder(parent)
    return targets


def prepare_folder(folder: str | Path) -> Path:
    """Make ``folder`` ready for output, or raise :class:`OSError` saying why it cannot be.

    Creates it, removes what dead processes left there (:func:`remove_stale_files`), and
    creates and removes a temporary file to make sure files can be written there.
    """
    base = Path(folder)
    if base.exists() and not base.is_dir():
        # mkdir would say "File exists", which reads as if the folder were fine.
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(base))
    base.mkdir(parents=True, exist_ok=True)
    remove_stale_files(base)
    handle, probe = _open_temp(base / "probe")
    handle.close()
    probe.unlink()
    return base


def remove_stale_files(folder: str | Path) -> list[Path]:
    """Remove the temporary files in ``folder`` of processes that no longer run.

    Returns the files removed.  Files of running processes (this one included) are kept; on
    Windows, where no process can be asked whether it runs without side effects, all are.
    """
    removed: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            match = _SIDE_FILE.fullmatch(entry.name)
            if match is None or _running(int(match["pid"])):
                continue
            # Another run may be cleaning up at the same time.
            with suppress(FileNotFoundError):
                stale = Path(entry.path)
                stale.unlink()
                removed.append(stale)
    return removed


# --- the pieces --------------------------------------------------------------------------


def _final_path(path: str | Path) -> Path:
    # Write through a symbolic link to the file it points at, as editors do, rather than
    # replacing the link with a plain file.
    return Path(os.path.realpath(path))


def _side_name(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.{kind}")


def _open_temp(target: Path) -> tuple[IO[bytes], Path]:
    temp = _side_name(target, "part")
    with _named(target, temp):
        # 0o666: the umask decides, as for any new file (mkstemp would make it 0o600).
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            previous = target.stat()
            if stat.S_ISREG(previous.st_mode):
                temp.chmod(stat.S_IMODE(previous.st_mode))
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            _unlink(temp)
            raise
    return os.fdopen(fd, "wb"), temp


def _write_temp(target: Path, data: bytes) -> Path:
    handle, temp = _open_temp(target)
    try:
        with _named(target, temp), handle:
            handle.write(data)
            _flush(handle)
    except BaseException:
        _unlink(temp)
        raise
    return temp


def _replace_set(pairs: list[tuple[Path, Path]]) -> None:
    """Rename each (temporary, target) pair into place, the last (the marker) last."""
    aside: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        # The marker is moved aside first: from here until its new version is in place,
        # the set reads as incomplete.
        for _, target in reversed(pairs):
            backup = _side_name(target, "old")
            with suppress(FileNotFoundError):
                target.rename(backup)
                aside.append((target, backup))
        for temp, target in pairs:
            with _named(target, temp):
                temp.replace(target)
            placed.append(target)
    except BaseException:
        _roll_back(placed, aside)
        raise
    for _, backup in aside:
        _unlink(backup)


def _roll_back(placed: list[Path], aside: list[tuple[Path, Path]]) -> None:
    # Best effort: when putting a file back fails too, the marker stays absent and the set
    # still reads as incomplete rather than as a mix.
    previous = dict(aside)
    for target in placed:
        if target not in previous:
            _unlink(target)
    for target, backup in reversed(aside):  # the marker last
        with suppress(OSError):
            backup.replace(target)


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    if sys.platform == "win32":  # no flock: concurrent writers are not kept apart
        yield
        return
    # The folder's own descriptor carries the lock: no lock file is left among the output.
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def _named(target: Path, temp: Path) -> Iterator[None]:
    # An error writing a temporary file is reported under the name of the file it stands for.
    try:
        yield
    except OSError as exc:
        if exc.errno is None or exc.filename not in (None, str(temp)):
            raise
        raise OSError(exc.errno, exc.strerror, str(target)) from exc


def _flush(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    # The renames last across a power cut only once the folder itself is on disk.  Windows
    # cannot open a folder, and some file systems refuse to sync one; the files are synced.
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _running(pid: int) -> bool:
    if pid == os.getpid() or sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _unlink(path: Path) -> None:
    with suppress(FileNotFoundError):
        path.unlink()


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data
