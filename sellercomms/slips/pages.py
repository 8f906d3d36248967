"""The page sizes packing slips come in, and the templates that draw them."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, get_args

__all__ = ["PAGE_SIZES", "SLIP_STYLESHEET", "SLIP_TEMPLATE", "PageSize", "check_page_size"]

PageSize = Literal["letter", "a4", "4x6"]
#: The page sizes slips come in, as CSS ``@page { size }`` values.
PAGE_SIZES: Final[Mapping[str, str]] = MappingProxyType(
    {"letter": "8.5in 11in", "a4": "210mm 297mm", "4x6": "4in 6in"}
)
SLIP_TEMPLATE: Final = "packing_slip/slip.html"
SLIP_STYLESHEET: Final = "packing_slip/slip.css"


def check_page_size(page_size: str) -> PageSize:
    """``page_size`` if it is one of :data:`PAGE_SIZES`, else ``ValueError``."""
    if page_size not in get_args(PageSize):
        known = ", ".join(get_args(PageSize))
        raise ValueError(f"unknown page size {page_size!r}; page sizes: {known}")
    return page_size  # type: ignore[return-value]
