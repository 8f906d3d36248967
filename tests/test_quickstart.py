"""docs/quickstart.md works as written: its order, its commands and its Python example."""

from __future__ import annotations

import email
import re
import shlex
import smtplib
import subprocess
import sys
from email import policy
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pypdf import PdfReader

QUICKSTART = Path(__file__).parents[1] / "docs" / "quickstart.md"
BIN = Path(sys.executable).parent


def _blocks(language: str) -> list[str]:
    text = QUICKSTART.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def _run(line: str, folder: Path) -> subprocess.CompletedProcess[str]:
    program, *arguments = shlex.split(line)
    return subprocess.run(
        [str(BIN / program), *arguments], cwd=folder, capture_output=True, text=True
    )


class _Outbox:
    """Stands in for a mail server: keeps what ``sendmail`` is given."""

    sent: ClassVar[list[tuple[str, list[str], bytes]]] = []

    def __init__(self, host: str) -> None:
        self.host = host

    def __enter__(self) -> _Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def sendmail(self, sender: str, recipients: list[str], message: bytes) -> None:
        self.sent.append((sender, recipients, message))


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A folder set up as the quickstart says: ``sellercomms init`` and its orders.json."""
    assert _run("sellercomms init", tmp_path).returncode == 0
    (order_file,) = _blocks("json")
    (tmp_path / "orders.json").write_text(order_file, encoding="utf-8")
    return tmp_path


def test_the_quickstart_commands_write_the_email_and_the_slip(shop: Path) -> None:
    commands = [
        line
        for block in _blocks("sh")
        for line in block.splitlines()
        if line.startswith("sellercomms render")
    ]
    assert len(commands) == 2
    for line in commands:
        run = _run(line, shop)
        assert run.returncode == 0, run.stderr
    message = email.message_from_bytes(
        (shop / "outbox" / "1001.eml").read_bytes(), policy=policy.default
    )
    assert message["To"] == "Grace Hopper <grace@example.com>"
    assert "#1001" in str(message["Subject"])
    text = message.get_body(("plain",)).get_content()
    assert "1Z999AA10123456784" in text
    (page,) = PdfReader(shop / "slips.pdf").pages
    assert "#1001" in page.extract_text()


def test_the_quickstart_python_example_sends_every_good_order(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example,) = _blocks("python")
    monkeypatch.chdir(shop)
    monkeypatch.setattr(smtplib, "SMTP", _Outbox)
    _Outbox.sent = []
    namespace: dict[str, Any] = {}
    exec(compile(example, str(QUICKSTART), "exec"), namespace)
    ((sender, recipients, raw),) = _Outbox.sent
    assert (sender, recipients) == ("support@your-shop.example", ["grace@example.com"])
    assert "#1001" in str(email.message_from_bytes(raw, policy=policy.default)["Subject"])
