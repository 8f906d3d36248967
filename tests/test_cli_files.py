"""The command line under file faults: a full disk, a stop signal, a killed parent, bad paths.

Each run is a real ``sellercomms`` process; the faults are real ones (a file size limit the
kernel enforces stands in for a full disk, which needs no privileges to arrange).
"""

from __future__ import annotations

import copy
import json
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sellercomms.cli import main
from sellercomms.samples import sample_seller_path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and limits")

SELLERCOMMS = Path(sys.executable).with_name("sellercomms")
# How long a fault may take to show before the test gives up (a hang is the failure).
PATIENCE = 120.0


def _orders_file(folder: Path, order: dict[str, Any], count: int) -> Path:
    orders = []
    for number in range(count):
        copied = copy.deepcopy(order)
        copied["order_id"] = f"ACME-{5000 + number}"
        orders.append(copied)
    path = folder / "orders.json"
    path.write_text(json.dumps(orders), encoding="utf-8")
    return path


def _command(*args: str | Path) -> list[str]:
    return [str(SELLERCOMMS), *map(str, args), "--seller", str(sample_seller_path())]


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "the expected state never came"
        time.sleep(0.05)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found.update(int(child) for child in children)
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def _assert_whole_sets(out: Path) -> set[str]:
    """Every order in ``out`` has its three files, and nothing else is there."""
    names = sorted(path.name for path in out.iterdir())
    assert not [name for name in names if name.startswith(".")], names
    stems = {name.rsplit(".", 1)[0] for name in names}
    for stem in stems:
        assert {f"{stem}.eml", f"{stem}.html", f"{stem}.txt"} <= set(names), stem
    return stems


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        # Past the limit a write fails with EFBIG, as on a full disk, instead of killing us.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_in_child


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file size limit signal")
def test_a_full_disk_keeps_every_order_whole(tmp_path: Path, order_dict: dict[str, Any]) -> None:
    orders = _orders_file(tmp_path, order_dict, 3)
    out = tmp_path / "out"
    command = _command("render", "email", "shipping_confirmation", "--orders", orders, "--out", out)
    subprocess.run(command, check=True, capture_output=True)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    # Large enough for the .txt, too small for the .html: every set fails midway.
    html_size = min(len(data) for name, data in before.items() if name.endswith(".html"))
    txt_size = max(len(data) for name, data in before.items() if name.endswith(".txt"))
    assert txt_size < html_size
    run = subprocess.run(
        command, capture_output=True, text=True, preexec_fn=_limit_file_size(txt_size + 1)
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"order ACME-5000 (#1): {out / 'ACME-5000.html'}: File too large" in run.stderr
    assert _assert_whole_sets(out) == {"ACME-5000", "ACME-5001", "ACME-5002"}
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_a_stop_signal_removes_the_partial_pdf_and_keeps_the_old_one(
    tmp_path: Path, order_dict: dict[str, Any]
) -> None:
    orders = _orders_file(tmp_path, order_dict, 400)
    pdf = tmp_path / "slips.pdf"
    pdf.write_bytes(b"%PDF- the previous run")
    command = _command("render", "slips", "--orders", orders, "--out", pdf, "--jobs", "1")
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as run:
        _wait_for(lambda: any(path.name.endswith(".part") for path in tmp_path.iterdir()))
        run.send_signal(signal.SIGTERM)
        _, stderr = run.communicate(timeout=PATIENCE)
    assert run.returncode == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in stderr
    assert "Traceback" not in stderr
    assert pdf.read_bytes() == b"%PDF- the previous run"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["orders.json", "slips.pdf"]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_workers_end_when_their_parent_is_killed(
    tmp_path: Path, order_dict: dict[str, Any]
) -> None:
    orders = _orders_file(tmp_path, order_dict, 400)
    command = _command(
        "render", "slips", "--orders", orders, "--out", tmp_path / "s.pdf", "--jobs", "2"
    )
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as run:
        workers: set[int] = set()

        def two_workers() -> bool:
            # The pool's children, not the resource tracker "spawn" starts as well.
            workers.clear()
            for child in _children(run.pid):
                arguments = Path(f"/proc/{child}/cmdline").read_bytes()
                if b"multiprocessing.spawn" in arguments and b"resource_tracker" not in arguments:
                    workers.add(child)
            return len(workers) == 2

        _wait_for(two_workers)
        run.kill()
        run.wait()
    _wait_for(lambda: not any(_alive(worker) for worker in workers))


def test_an_output_folder_that_is_a_file_is_refused_before_anything_is_written(
    tmp_path: Path, order_dict: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = _orders_file(tmp_path, order_dict, 1)
    (tmp_path / "taken").write_text("a file")
    seller = ["--seller", str(sample_seller_path())]
    email = ["render", "email", "shipping_confirmation", "--orders", str(orders), *seller]
    assert main([*email, "--out", str(tmp_path / "taken" / "out")]) == 2
    slips = ["render", "slips", "--orders", str(orders), *seller]
    assert main([*slips, "--out", str(tmp_path / "taken" / "slips.pdf")]) == 2
    assert capsys.readouterr().err.count(": Not a directory; nothing written") == 2


@pytest.mark.parametrize("kind", ["email", "slips"])
def test_an_empty_orders_file_is_a_usage_error_for_every_command(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "orders.json"
    empty.write_text("[]")
    head = ["render", "email", "review_request"] if kind == "email" else ["render", "slips"]
    out = tmp_path / ("out" if kind == "email" else "s.pdf")
    argv = [*head, "--orders", str(empty), "--seller", str(sample_seller_path())]
    assert main([*argv, "--out", str(out)]) == 2
    assert f"no orders in {empty}" in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_message_is_a_usage_error_before_any_order_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "orders.json"
    broken.write_text('[{"order_id": "X-1"}]')
    argv = ["render", "email", "packing_slip", "--orders", str(broken)]
    argv += ["--seller", str(sample_seller_path()), "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "no message 'packing_slip' to render as e-mail" in error
    assert "X-1" not in error
    assert not (tmp_path / "out").exists()
