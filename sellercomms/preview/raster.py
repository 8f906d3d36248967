"""PDF pages as PNG images, with PDFium.

PDFium (pypdfium2) comes from PyPI as a wheel for every platform template authors work on,
so page images need no system tool.  A letter slip page at twice screen density takes about
90 ms to render and encode here; ``pdftoppm`` takes about 390 ms for the same image.
"""

from __future__ import annotations

import io
from typing import Final

import pypdfium2

__all__ = ["PIXELS_PER_POINT", "page_png", "page_sizes"]

#: CSS pixels per PDF point: 96 per inch over 72 per inch.
PIXELS_PER_POINT: Final = 96 / 72
# Twice the CSS pixel density, so text stays crisp on high-density screens.
_SCALE: Final = 2 * PIXELS_PER_POINT


def page_sizes(pdf: bytes) -> tuple[tuple[float, float], ...]:
    """Width and height of every page of ``pdf``, in points."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return tuple(
            (float(width), float(height))
            for width, height in (document.get_page_size(i) for i in range(len(document)))
        )
    finally:
        document.close()


def page_png(pdf: bytes, index: int) -> bytes:
    """Page ``index`` (from 0) of ``pdf`` as a PNG image on a white background."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        try:
            bitmap = page.render(scale=_SCALE)
            image = bitmap.to_pil()
        finally:
            page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    # The fastest compression level: the image crosses the loopback interface only.
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
