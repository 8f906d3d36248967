"""QR codes and Code 128 barcodes for printed slips.

WeasyPrint parses and draws SVG in Python, so what a code costs is how many drawing
commands it has.  Measured on one slip: a QR code as segno's SVG path costs about 11 ms to
lay out and write, as a PNG 4 ms; an order-number barcode from python-barcode's SVG writer
(one ``<rect>`` per bar) 25 ms, drawn here with one stroked path per bar width 9 ms.  segno
and python-barcode are imported on first use, so ``import sellercomms`` does not pay for
them.
"""

from __future__ import annotations

import base64
import functools
import io
import re
from typing import Final, NamedTuple

from ..exceptions import RenderError

__all__ = ["Code128Symbol", "code128_svg", "qr_png_uri"]

# Quiet zones: 4 modules around a QR code and 10 modules either side of a Code 128 symbol are
# the minimums of ISO/IEC 18004 and 15417; scanners miss codes printed closer to other ink.
_QR_BORDER: Final = 4
_QR_PIXELS: Final = 4
_CODE128_QUIET: Final = 10
_CODE128_HEIGHT: Final = 50


@functools.lru_cache(maxsize=1024)
def qr_png_uri(data: str) -> str:
    """A QR code of ``data`` as a ``data:`` URI of a greyscale PNG.

    A stylesheet sizes it, with ``image-rendering: pixelated`` so that nothing smooths the
    module edges.  Error correction level M survives smudged thermal prints; review links
    repeat across orders, hence the cache (segno's mask selection takes about 8 ms per code).
    Raises :class:`RenderError` for data over a QR code's capacity (about 2,300 bytes at level
    M); the input limits keep every link below it.

    >>> qr_png_uri("https://shop.example/feedback?order=1")[:22]
    'data:image/png;base64,'
    """
    import segno
    from PIL import Image

    try:
        code = segno.make(data, error="m", micro=False)
    except segno.DataOverflowError:
        raise RenderError(
            f"a link of {len(data.encode())} bytes is too long for a QR code: {data[:60]}…"
        ) from None
    # Whole pixels per module, so that the PNG itself has sharp edges at any zoom.
    rows = code.matrix_iter(scale=_QR_PIXELS, border=_QR_BORDER)
    pixels = b"".join(bytes(0 if dark else 255 for dark in row) for row in rows)
    side = int(code.symbol_size(scale=_QR_PIXELS, border=_QR_BORDER)[0])
    image = Image.frombytes("L", (side, side), pixels)
    buffer = io.BytesIO()
    # WeasyPrint keeps an 8-bit greyscale PNG as it is; a 1-bit one it would turn into RGB.
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


_CODE128_TEXT: Final = re.compile(r"[\x20-\x7e]+")


class Code128Symbol(NamedTuple):
    """A Code 128 symbol: ``svg`` to put in HTML, ``modules`` wide, quiet zones included."""

    svg: str
    modules: int


def code128_svg(text: str) -> Code128Symbol:
    """A Code 128 symbol of ``text`` (printable ASCII) as an ``<svg class="barcode">``.

    A stylesheet sizes it; ``modules`` lets it give each module a whole number of printer
    dots.

    >>> symbol = code128_svg("ACME-1002")
    >>> symbol.modules, symbol.svg.count("<path") <= 4
    (143, True)
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
    svg = (
        f'<svg viewBox="0 0 {modules} {_CODE128_HEIGHT}" class="barcode" '
        f'preserveAspectRatio="none" role="img" xmlns="http://www.w3.org/2000/svg">{paths}</svg>'
    )
    return Code128Symbol(svg, modules)
