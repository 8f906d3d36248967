"""Output files: written whole or not at all, as a set per order, with the usual modes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sellercomms.output import (
    atomic_writer,
    prepare_folder,
    remove_stale_files,
    write_atomic,
    write_file_set,
)

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and process ids")


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_set_is_written_and_leaves_nothing_else(tmp_path: Path) -> None:
    written = write_file_set(tmp_path, "A-1", {".html": "<p>", ".txt": "p", ".eml": b"E"})
    assert [path.name for path in written] == ["A-1.html", "A-1.txt", "A-1.eml"]
    assert _names(tmp_path) == ["A-1.eml", "A-1.html", "A-1.txt"]
    assert (tmp_path / "A-1.eml").read_bytes() == b"E"


def test_a_failed_set_keeps_every_previous_file(tmp_path: Path) -> None:
    write_file_set(tmp_path, "A-1", {".html": "old", ".txt": "old", ".eml": "old"})
    # The last file of the set cannot be placed: a folder stands where it goes.
    (tmp_path / "A-1.eml").unlink()
    (tmp_path / "A-1.eml").mkdir()
    with pytest.raises(IsADirectoryError):
        write_file_set(tmp_path, "A-1", {".html": "new", ".txt": "new", ".eml": "new"})
    assert (tmp_path / "A-1.html").read_text() == "old"
    assert (tmp_path / "A-1.txt").read_text() == "old"
    assert _names(tmp_path) == ["A-1.eml", "A-1.html", "A-1.txt"]


def test_an_error_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    class Broken(Exception):
        pass

    write_atomic(tmp_path / "slips.pdf", b"old")
    with pytest.raises(Broken), atomic_writer(tmp_path / "slips.pdf") as handle:
        handle.write(b"half")
        raise Broken
    assert (tmp_path / "slips.pdf").read_bytes() == b"old"
    assert _names(tmp_path) == ["slips.pdf"]


@POSIX
def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        fresh = write_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    kept = tmp_path / "kept.txt"
    kept.write_text("x")
    kept.chmod(0o604)
    write_atomic(kept, "y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604


@POSIX
def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "real.eml"
    target.write_text("old")
    link = tmp_path / "link.eml"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"


@POSIX
def test_files_left_by_a_dead_process_are_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".A-1.eml.{dead_pid}-0123abcd.part"
    mine = tmp_path / f".A-1.eml.{os.getpid()}-0123abcd.part"
    someone_elses = tmp_path / ".notes.txt.part"
    for path in (stale, mine, someone_elses):
        path.write_text("x")
    assert remove_stale_files(tmp_path) == [stale]
    assert _names(tmp_path) == sorted([mine.name, someone_elses.name])


def test_a_folder_that_is_a_file_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file")
    with pytest.raises(NotADirectoryError) as caught:
        prepare_folder(tmp_path / "out")
    assert caught.value.filename == str(tmp_path / "out")
    assert prepare_folder(tmp_path / "fresh") == tmp_path / "fresh"
    assert _names(tmp_path / "fresh") == []
