"""One message as the preview shows it: the rendered output and what went into it.

Besides the :class:`~sellercomms.RenderedEmail` or the slips' PDF, a preview lists the files
the message was made from (so a template author knows which ones to copy to override), every
link in the HTML, and the warnings logged while rendering.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ..catalogs import catalog_files
from ..environment import TemplateEnvironment
from ..hrefs import Anchor, anchors
from ..mail import RenderedEmail
from ..messages import email_template_files
from ..models import Order
from ..renderer import Renderer
from ..samples import sample_data
from ..slips import SLIP_TEMPLATE, PageSize, RenderedSlip
from .raster import page_sizes

__all__ = [
    "EmailPreview",
    "SlipPreview",
    "SourceFile",
    "captured_warnings",
    "email_preview",
    "slip_html_check",
    "slip_preview",
    "source_files",
]

# Loggers whose warnings a template author can act on: WeasyPrint's (a stylesheet rule it
# ignores, an image it could not load) and the library's own.
_WARNING_LOGGERS: Final = ("sellercomms", "weasyprint")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file a message was made from; ``own`` when it is in the seller's template folder."""

    name: str
    path: Path
    own: bool


@dataclass(frozen=True, slots=True)
class EmailPreview:
    """A rendered e-mail with its MIME headers, ``.eml`` bytes, links and sources."""

    mail: RenderedEmail
    headers: tuple[tuple[str, str], ...]
    eml: bytes
    anchors: tuple[Anchor, ...]
    files: tuple[SourceFile, ...]
    warnings: tuple[str, ...]

    @property
    def html_size(self) -> int:
        """Bytes of the inlined HTML, the figure mail clients clip at."""
        return len(self.mail.html.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class SlipPreview:
    """The slips of one order: their HTML, the PDF and its page sizes in points."""

    slips: tuple[RenderedSlip, ...]
    pdf: bytes
    pages: tuple[tuple[float, float], ...]
    files: tuple[SourceFile, ...]
    warnings: tuple[str, ...]


def email_preview(
    renderer: Renderer,
    template: str,
    order: Order,
    *,
    locale: str | None,
    channel: str | None,
) -> EmailPreview:
    """Render e-mail ``template`` for ``order`` with the sample data the message needs."""
    with captured_warnings() as warnings:
        mail = renderer.email(
            template,
            order,
            locale=locale,
            channel=channel,
            data=sample_data(template, order, channel=channel),
        )
    message = mail.to_message()
    names = email_template_files(template)
    return EmailPreview(
        mail=mail,
        headers=tuple((name, str(value)) for name, value in message.items()),
        eml=message.as_bytes(),
        anchors=anchors(mail.html),
        files=source_files(renderer.environment, names, mail.locale),
        warnings=tuple(warnings),
    )


def slip_preview(
    renderer: Renderer, order: Order, *, locale: str | None, page_size: PageSize
) -> SlipPreview:
    """The packing slips of ``order``: the HTML of each parcel and the PDF of them all."""
    with captured_warnings() as warnings:
        slips = renderer.packing_slip_html(order, page_size=page_size, locale=locale)
        pdf = renderer.packing_slips([order], page_size=page_size, locale=locale)
    return SlipPreview(
        slips=tuple(slips),
        pdf=pdf,
        pages=page_sizes(pdf),
        files=source_files(renderer.environment, (SLIP_TEMPLATE,), slips[0].locale),
        warnings=tuple(warnings),
    )


def slip_html_check(renderer: Renderer, order: Order, *, locale: str | None) -> None:
    """Render the slips of ``order`` as HTML only: enough to find template errors quickly."""
    renderer.packing_slip_html(order, locale=locale)


def source_files(
    environment: TemplateEnvironment, names: Iterable[str], locale: str
) -> tuple[SourceFile, ...]:
    """The templates ``names`` and every template they extend, include or import, then the
    catalogs for ``locale``."""
    builtin = environment.folders[-1]
    found: dict[str, SourceFile] = {}
    for member in (member for name in names for member in environment.chain(name)):
        folder = environment.folder_of(member)
        if member not in found and folder is not None:
            found[member] = SourceFile(member, folder / member, own=folder != builtin)
    catalogs = [
        SourceFile(path.relative_to(folder).as_posix(), path, own=folder != builtin)
        for path in catalog_files(locale, environment.folders)
        for folder in environment.folders
        if path.is_relative_to(folder)
    ]
    return (*found.values(), *catalogs)


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collects the warnings logged while the block runs, for the page to show."""
    found: list[str] = []
    handler = _Collect(found)
    loggers = [logging.getLogger(name) for name in _WARNING_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield found
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
