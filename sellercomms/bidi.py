"""Direction marks: ``<bdi>`` isolates in HTML, and the Unicode isolates they stand for.

The ``ltr`` and ``address_lines`` filters wrap ids, SKUs, URLs and address lines in
``<bdi>`` so that they keep their own direction inside right-to-left text.  Where HTML
elements cannot go (a subject line) or are not honoured (WeasyPrint lays ``<bdi>`` out like a
``<span>``, while Pango honours the isolate characters), :func:`as_isolates` turns them into
U+2066 LEFT-TO-RIGHT ISOLATE, U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE.
"""

from __future__ import annotations

from typing import Final

__all__ = ["AUTO_OPEN", "LTR_CLOSE", "LTR_OPEN", "as_isolates"]

#: What the ``ltr`` filter wraps around ids, SKUs and URLs in HTML.
LTR_OPEN: Final = '<bdi dir="ltr">'
#: Isolates text that takes its direction from its first letter (address lines).
AUTO_OPEN: Final = "<bdi>"
LTR_CLOSE: Final = "</bdi>"


def as_isolates(html: str) -> str:
    """``html`` with the ``<bdi>`` elements of the filters turned into Unicode isolates.

    >>> as_isolates('<p><bdi dir="ltr">A-1</bdi> <bdi>1 Main St</bdi></p>')
    '<p>\\u2066A-1\\u2069 \\u20681 Main St\\u2069</p>'
    """
    return (
        html.replace(LTR_OPEN, "\u2066").replace(AUTO_OPEN, "\u2068").replace(LTR_CLOSE, "\u2069")
    )
