"""A rendered HTML part read once for every rule: elements, links, images, styles, text.

Outlook's conditional comments are honoured the way clients read them: what sits inside
``<!--[if mso]> … <![endif]-->`` is a comment to everyone else and is not read here; what
sits inside ``<!--[if !mso]><!--> … <!--<![endif]-->``, or under ``mso-hide:all``, is marked
as hidden from Outlook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

__all__ = ["Document", "Element", "Link", "read_html", "words"]


def words(text: str) -> frozenset[str]:
    """The set of the white-space separated words of ``text``."""
    return frozenset(text.split())


# Elements after which text starts a new line (and a new sentence for the wording rules).
_BLOCKS = words(
    """address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5
    h6 header hr li main nav ol p pre section table tbody td tfoot th thead title tr ul"""
)
_INVISIBLE = frozenset({"style", "script", "head", "template"})
_MSO_HIDE = re.compile(r"mso-hide\s*:\s*all", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Element:
    """One element: its tag, attributes and whether Outlook on Windows shows it."""

    tag: str
    attributes: tuple[tuple[str, str], ...]
    outlook_hidden: bool

    def get(self, name: str, default: str | None = None) -> str | None:
        return next((value for key, value in self.attributes if key == name), default)


@dataclass(frozen=True, slots=True)
class Link:
    """An ``<a>``: its href (``None`` when it has none), its words, and its images' alt texts."""

    href: str | None
    text: str
    image_alts: tuple[str | None, ...]
    element: Element


@dataclass(slots=True)
class Document:
    """What the rules need from one HTML part."""

    html_attributes: dict[str, str] = field(default_factory=dict)
    title: str = ""
    elements: list[Element] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Element] = field(default_factory=list)
    # <style> contents with whether the block is in <body> (Gmail reads only <head>'s).
    styles: list[tuple[str, bool]] = field(default_factory=list)
    # Visible text, one line per block; attribute values meant for people (alt, title).
    text: str = ""
    attribute_text: list[str] = field(default_factory=list)


def read_html(html: str) -> Document:
    """Read a rendered HTML part."""
    root = lxml.html.document_fromstring(html)
    document = Document(html_attributes={k: str(v) for k, v in root.attrib.items()})
    title = root.find(".//title")
    if title is not None:
        document.title = title.text_content()
    text: list[str] = []
    _walk(root, document, text, outlook_hidden=False, in_body=False)
    document.text = "".join(text)
    return document


def _walk(
    node: Any, document: Document, text: list[str], *, outlook_hidden: bool, in_body: bool
) -> None:
    # Outlook skips what follows <!--[if !mso]><!--> until <!--<![endif]-->.
    not_mso = False
    for child in node:
        if child.tag is etree.Comment:
            comment = child.text or ""
            if comment.strip().lower().startswith("[if !mso]"):
                not_mso = True
            elif comment.strip().startswith("<![endif]"):
                not_mso = False
            if child.tail:
                text.append(child.tail)
            continue
        if not isinstance(child.tag, str):
            continue
        _visit(child, document, text, outlook_hidden=outlook_hidden or not_mso, in_body=in_body)
        if child.tail:
            text.append(child.tail)


def _visit(
    element: Any, document: Document, text: list[str], *, outlook_hidden: bool, in_body: bool
) -> None:
    tag = element.tag.lower()
    attributes = tuple((str(k).lower(), str(v)) for k, v in element.attrib.items())
    hidden = outlook_hidden or bool(_MSO_HIDE.search(element.get("style", "")))
    item = Element(tag, attributes, hidden)
    document.elements.append(item)
    in_body = in_body or tag == "body"
    if tag == "style":
        document.styles.append((element.text or "", in_body))
        return
    if tag in _INVISIBLE:
        _walk(element, document, [], outlook_hidden=hidden, in_body=in_body)
        return
    for name in ("alt", "title", "aria-label"):
        value = element.get(name)
        if value:
            document.attribute_text.append(value)
    if tag == "img":
        document.images.append(item)
    if tag == "a":
        images = element.findall(".//img")
        document.links.append(
            Link(
                element.get("href"),
                " ".join(element.text_content().split()),
                tuple(image.get("alt") for image in images),
                item,
            )
        )
    if element.text:
        text.append(element.text)
    _walk(element, document, text, outlook_hidden=hidden, in_body=in_body)
    if tag in _BLOCKS:
        text.append("\n")
