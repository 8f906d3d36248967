"""The templates a seller's folder holds: the built-ins it overrides and the e-mails it adds.

A seller's folder overrides a built-in template by holding a file of the same name, and adds
an e-mail message by holding ``emails/<name>.html`` (with its ``.txt``) for a name no built-in
message has.  Files whose names start with ``_`` are parts that templates extend, include or
import, not messages.
"""

from __future__ import annotations

from pathlib import Path

from .messages import MESSAGES

__all__ = ["added_emails", "overrides"]


def overrides(folder: Path | None, name: str) -> bool:
    """Whether the seller's ``folder`` holds its own template ``name``
    (``emails/review_request.html``), which then replaces the built-in one."""
    return folder is not None and (folder / name).is_file()


def added_emails(folder: Path | None) -> tuple[str, ...]:
    """The e-mail messages the seller's ``folder`` adds to the built-in ones, sorted by name."""
    if folder is None:
        return ()
    return tuple(
        sorted(
            path.stem
            for path in (folder / "emails").glob("*.html")
            if not path.stem.startswith("_") and path.stem not in MESSAGES
        )
    )
