"""File names for orders: every order id, of any text, as a safe and distinct file name stem."""

from __future__ import annotations

import hashlib
import re

__all__ = ["file_stem"]

_SAFE = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,63}")
_UNSAFE_CHARACTERS = re.compile(r"[^A-Za-z0-9_.\-]+")
# Names Windows refuses whatever their extension.
_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")


def file_stem(order_id: str) -> str:
    """The stem of the files written for the order ``order_id``.

    An id of letters, digits, ``-``, ``_`` and ``.`` (not first) is its own stem, as it
    always was.  Any other id keeps its safe characters and gets ``~`` and a hash of the
    whole id: no separator or ``..`` reaches the file system, and since no id of the first
    kind holds ``~``, two different ids never share a stem.  (Ids that differ only in case
    still share one on a case-insensitive file system, as they always did.)

    >>> file_stem("113-7654321-1234567")
    '113-7654321-1234567'
    >>> file_stem("#1001 / Ada")
    '1001_Ada~fca4b353a80c'
    """
    if _SAFE.fullmatch(order_id) and not _RESERVED.fullmatch(order_id):
        return order_id
    readable = _UNSAFE_CHARACTERS.sub("_", order_id).strip("._")[:64]
    digest = hashlib.sha256(order_id.encode()).hexdigest()[:12]
    return f"{readable}~{digest}"
