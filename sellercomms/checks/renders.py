"""What a worker sends back for each e-mail render it checked, for the checker to record."""

from __future__ import annotations

from .rules import Issue
from .sources import Location

__all__ = ["Event", "Rendered"]

#: What a render found: an issue, and where it is when the worker located it already (a
#: render failure's template line); ``None``: the checker locates it.
Event = tuple[Issue, Location | None]
#: One render as the checker would have made it: (message, locale, channel, order id), what
#: it found, and the size of its HTML (``None`` when it failed).
Rendered = tuple[tuple[str, str, str, str], list[Event], int | None]
