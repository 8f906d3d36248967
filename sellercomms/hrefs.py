"""The links of a rendered message: hrefs and anchors in its HTML, URLs written in its text.

One reading serves the channel rules (every ``href``, whatever element carries it, and the URLs
a text spells out) and the preview (each ``<a href>`` with the words it is on).  Outlook's
conditional comments hold markup of their own (VML buttons with hrefs), so the hrefs in
comments count too.  As in browsers, an ``<a>`` that starts inside another ends it.

>>> links = read_links('<a href="https://a.example/p"><img alt="Logo"> Shop</a>')
>>> links.anchors, links.hrefs
([Anchor(url='https://a.example/p', text='[image: Logo] Shop')], ['https://a.example/p'])
>>> text_urls("Track it at www.ups.com/track?n=1Z9. Thanks!")
['www.ups.com/track?n=1Z9']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

__all__ = ["URL_IN_TEXT", "Anchor", "LinkReader", "anchors", "read_links", "text_urls"]

#: A URL written out in text: what mail clients turn into a link.
URL_IN_TEXT: Final = re.compile(r"""(?:https?://|www\.)[^\s<>"'`]+""", re.IGNORECASE)
_HREF_IN_MARKUP: Final = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
# Punctuation that ends the sentence a URL stands in, not the URL.
_TRAILING: Final = ".,;:!?)]}'\"»"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A link of the HTML: where it leads and the words it is on (``[image: alt]`` for images)."""

    url: str
    text: str


def text_urls(text: str) -> list[str]:
    """The URLs written out in ``text`` (``https://…``, ``www.…``), in order, without the
    punctuation that follows them."""
    return [url.rstrip(_TRAILING) for url in URL_IN_TEXT.findall(text)]


class LinkReader(HTMLParser):
    """Reads the links of the HTML fed to it: :attr:`hrefs` and :attr:`anchors`.

    A reader that needs more of the document overrides the ``handle_*`` methods and calls
    these first; :attr:`in_link` says whether the parser is inside an ``<a href>``.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        #: Every ``href``, stripped, of any element, comments included, in document order.
        self.hrefs: list[str] = []
        #: Every ``<a href>`` in document order.
        self.anchors: list[Anchor] = []
        self._href: str | None = None
        self._words: list[str] = []

    @property
    def in_link(self) -> bool:
        return self._href is not None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href")
        if href is not None:
            self.hrefs.append(href.strip())
        if tag == "a":
            self._end_anchor()
            self._href = href
        elif tag == "img" and self._href is not None:
            alt = values.get("alt")
            self._words.append(f"[image: {alt}]" if alt else "[image]")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._end_anchor()

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._words.append(data)

    def handle_comment(self, data: str) -> None:
        self.hrefs.extend(match.strip() for match in _HREF_IN_MARKUP.findall(data))

    def _end_anchor(self) -> None:
        if self._href is not None:
            self.anchors.append(Anchor(self._href, " ".join("".join(self._words).split())))
        self._href = None
        self._words = []


def read_links(html: str) -> LinkReader:
    """The links of ``html``, read to its end."""
    reader = LinkReader()
    reader.feed(html)
    reader.close()
    return reader


def anchors(html: str) -> tuple[Anchor, ...]:
    """Every ``<a href>`` of ``html`` in document order, each address once."""
    seen: dict[str, Anchor] = {}
    for anchor in read_links(html).anchors:
        seen.setdefault(anchor.url, anchor)
    return tuple(seen.values())
