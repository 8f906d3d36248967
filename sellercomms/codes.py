"""QR codes and Code 128 barcodes as inline SVG for printed slips.

Both are drawn with as few SVG path commands as possible: WeasyPrint parses and draws SVG in
Python, and python-barcode's own writer emits one ``<rect>`` per bar, which makes the PDF
slower to write for no visible difference.  segno and python-barcode are imported on first
use, so ``import sellercomms`` does not pay for them.
"""

from __future__ import annotations

import functools
import re
from typing import Final

__all__ = ["code128_svg", "qr_svg"]

# Quiet zones: 4 modules around a QR code and 10 modules either side of a Code 128 symbol are
# the minimums of ISO/IEC 18004 and 15417; scanners miss codes printed closer to other ink.
_QR_BORDER: Final = 4
_CODE128_QUIET: Final = 10
_CODE128_HEIGHT: Final = 50


@functools.lru_cache(maxsize=1024)
def qr_svg(data: str) -> str:
    """A QR code of ``data`` as an ``<svg>`` element sized by CSS (``class="qr"``).

    Error correction level M survives smudged thermal prints; review links repeat across
    orders, hence the cache (segno's mask selection takes about 8 ms per code).

    >>> qr_svg("https://shop.example/feedback?order=1")[:40]
    '<svg viewBox="0 0 37 37" class="qr" role'
    """
    import segno

    code = segno.make(data, error="m", micro=False)
    width, height = code.symbol_size(border=_QR_BORDER)
    path = _qr_path(code.matrix, border=_QR_BORDER)
    return (
        f'<svg viewBox="0 0 {width} {height}" class="qr" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<path stroke="#000" stroke-width="1" fill="none" d="{path}"/></svg>'
    )


def _qr_path(matrix: tuple[bytearray, ...], *, border: int) -> str:
    # Each horizontal run of dark modules is one stroke through the middle of its row: two
    # path commands per run instead of five for a filled rectangle.  WeasyPrint parses SVG
    # paths in Python, so the command count is what a code costs to draw.
    parts: list[str] = []
    for y, row in enumerate(matrix, start=border):
        for run in re.finditer(rb"\x01+", bytes(b & 1 for b in row)):
            parts.append(f"M{run.start() + border} {y}.5h{run.end() - run.start()}")
    return "".join(parts)


_CODE128_TEXT: Final = re.compile(r"[\x20-\x7e]+")


def code128_svg(text: str) -> str:
    """A Code 128 symbol of ``text`` (printable ASCII) as an ``<svg>`` element.

    ``class="barcode"``; the ``data-modules`` attribute gives the symbol's width in modules,
    quiet zones included, so a stylesheet can size it to a whole number of printer dots.

    >>> svg = code128_svg("ACME-1002")
    >>> 'data-modules="143"' in svg, svg.count("<path") <= 4
    (True, True)
    """
    if not _CODE128_TEXT.fullmatch(text):
        raise ValueError(f"Code 128 takes printable ASCII only: {text!r}")
    from barcode.codex import Code128

    bars = Code128(text).build()[0]
    modules = len(bars) + 2 * _CODE128_QUIET
    # Bars are 1 to 4 modules wide: one stroked path per width, two commands per bar.
    by_width: dict[int, list[str]] = {}
    for match in re.finditer("1+", bars):
        width = match.end() - match.start()
        middle = _CODE128_QUIET + match.start() + width / 2
        by_width.setdefault(width, []).append(f"M{middle:g} 0v{_CODE128_HEIGHT}")
    paths = "".join(
        f'<path stroke="#000" stroke-width="{width}" d="{"".join(commands)}"/>'
        for width, commands in sorted(by_width.items())
    )
    return (
        f'<svg viewBox="0 0 {modules} {_CODE128_HEIGHT}" class="barcode" '
        f'data-modules="{modules}" preserveAspectRatio="none" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">{paths}</svg>'
    )
