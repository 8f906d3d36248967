"""Text that vanishes in dark mode: a colour of its own, and nothing dark-aware behind it.

Clients that honour ``prefers-color-scheme`` (Apple Mail on macOS and iOS, Outlook for Mac,
Thunderbird) show a message in dark mode on a dark canvas, apply the message's own
``@media (prefers-color-scheme: dark)`` rules, and leave every other colour as written.  Text
whose colour is set (inline, after inlining) is then drawn on whatever background is behind
it: its own or an ancestor's (as a dark-mode rule changes it), else the dark canvas.  Dark
text with no background of its own, or on a background the dark-mode rules darken while
nothing lightens the text, disappears there.

Clients that recolour messages themselves are not the concern of this rule: Gmail's apps
invert light backgrounds and dark text together, and Outlook.com adjusts each text colour to
the background it ends up on (its ``data-ogsc`` and ``data-ogsb`` attributes mark what it
changed).  Images cannot be judged here (nothing is fetched); a dark logo on a transparent
background is handled by the built-in stylesheet's light plate, and docs/templates.md tells
sellers about their own images.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import cssselect
import lxml.html
import tinycss2
import tinycss2.color3
from lxml import etree
from lxml.cssselect import CSSSelector

from .css import Declaration, declarations, style_rules
from .rules import Hint, Issue

__all__ = ["CANVAS", "MIN_CONTRAST", "contrast", "dark_mode_issues", "parse_colour"]

#: The canvas a dark-mode client shows behind a message without a background (macOS Mail's).
CANVAS: Final = (0x1E, 0x1E, 0x1E)
#: Below this contrast ratio text is unreadable even large (WCAG's minimum for large text and
#: for the parts of a control); body text wants 4.5.
MIN_CONTRAST: Final = 3.0

_DARK = re.compile(r"prefers-color-scheme\s*:\s*dark", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.IGNORECASE)

RGB = tuple[int, int, int]


def parse_colour(value: str) -> RGB | None:
    """The colour a CSS value or ``bgcolor`` starts with; None for none, transparent or unknown.

    >>> parse_colour("#1F6F5C"), parse_colour("#fff !important"), parse_colour("rgb(0, 0, 0)")
    ((31, 111, 92), (255, 255, 255), (0, 0, 0))
    >>> parse_colour("transparent") is None, parse_colour("rgba(0,0,0,0)") is None
    (True, True)
    """
    # tinycss2 (WeasyPrint's CSS parser) knows every CSS colour syntax and name; the first
    # token that is a colour wins, as in "1px solid #ccc" or "#fff !important".
    for token in tinycss2.parse_component_value_list(value):
        colour = tinycss2.color3.parse_color(token)
        if isinstance(colour, tinycss2.color3.RGBA):
            if colour.alpha == 0:
                return None  # fully transparent
            return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255))
    return None


def _luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: RGB, other: RGB) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21.

    >>> round(contrast((0, 0, 0), (255, 255, 255)), 1)
    21.0
    """
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True, slots=True)
class _DarkRule:
    """One selector of a dark-mode rule, with what decides which rule wins."""

    selector: _Descendants | Any  # or a CSSSelector, for other selectors
    specificity: tuple[int, int, int]
    order: int
    declarations: tuple[Declaration, ...]


@lru_cache(maxsize=32)
def _dark_rules(css: str) -> tuple[_DarkRule, ...]:
    """The selectors of the rules inside ``@media (prefers-color-scheme: dark)`` in ``css``."""
    found: list[_DarkRule] = []
    for rule in style_rules(css):
        if rule.at is not None or not any(_DARK.search(media) for media in rule.media):
            continue
        wanted = tuple(d for d in rule.declarations if d.name in _PROPERTIES)
        if not wanted:
            continue
        for text in rule.prelude.split(","):
            compiled = _selector(text.strip())
            if compiled is not None:
                found.append(_DarkRule(*compiled, len(found), wanted))
    return tuple(found)


@lru_cache(maxsize=1024)
def _selector(text: str) -> tuple[Any, tuple[int, int, int]] | None:
    """A matcher for ``text`` and its specificity; None for what cssselect cannot read."""
    try:
        parsed = cssselect.parse(text)
    except cssselect.SelectorError:
        # A client-specific hack: it decides nothing here.
        return None
    if len(parsed) != 1:
        return None
    specificity = parsed[0].specificity()
    compounds = [_COMPOUND.fullmatch(part) for part in text.split()]
    if all(compounds):
        # Descendant selectors of tags and classes (what e-mail stylesheets are made of):
        # matched through a class index, many times faster than lxml's XPath translation.
        return _Descendants(tuple(_compound(match) for match in compounds if match)), specificity
    try:
        return CSSSelector(text), specificity
    except cssselect.SelectorError:  # parsed, but no XPath for it (a pseudo-element)
        return None


_COMPOUND = re.compile(r"(\*|[a-zA-Z][a-zA-Z0-9]*)?((?:\.-?[_a-zA-Z][\w-]*)*)")
# A tag (None: any) and the classes an element must all have.
_Compound = tuple[str | None, frozenset[str]]


def _compound(match: re.Match[str]) -> _Compound:
    tag = match.group(1)
    classes = frozenset(name for name in match.group(2).split(".") if name)
    return (None if tag in (None, "*") else tag.lower(), classes)


@dataclass(frozen=True, slots=True)
class _Descendants:
    """``A B C``: elements matching the last compound inside ones matching the others."""

    compounds: tuple[_Compound, ...]


class _Index:
    """The elements of one document by class, and the classes of each."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.classes: dict[Any, frozenset[str]] = {}
        self.by_class: dict[str, list[Any]] = {}
        for element in root.iter(etree.Element):
            names = frozenset((element.get("class") or "").split())
            self.classes[element] = names
            for name in names:
                self.by_class.setdefault(name, []).append(element)

    def select(self, compounds: tuple[_Compound, ...]) -> Iterator[Any]:
        *outer, (tag, classes) = compounds
        if classes:
            candidates: Iterable[Any] = self.by_class.get(min(classes), ())
        elif tag is not None:
            candidates = self.root.iter(tag)
        elif outer:
            # "A *": everything inside an A, each once.
            inside = (e for a in self.select(tuple(outer)) for e in a.iterdescendants())
            yield from dict.fromkeys(e for e in inside if isinstance(e.tag, str))
            return
        else:
            candidates = self.root.iter(etree.Element)
        for element in candidates:
            if self._matches(element, (tag, classes)) and self._inside(element, outer):
                yield element

    def _matches(self, element: Any, compound: _Compound) -> bool:
        tag, classes = compound
        own = self.classes.get(element, frozenset())
        return (tag is None or element.tag == tag) and classes <= own

    def _inside(self, element: Any, outer: list[_Compound]) -> bool:
        # Descendant combinators only: the nearest ancestor matching each compound will do.
        node = element.getparent()
        for compound in reversed(outer):
            while node is not None and not self._matches(node, compound):
                node = node.getparent()
            if node is None:
                return False
            node = node.getparent()
        return True


_PROPERTIES: Final = frozenset({"color", "background-color", "background"})


class _Styles:
    """The text colour and background each element has in dark mode."""

    def __init__(self, root: Any, rules: tuple[_DarkRule, ...]) -> None:
        # element → property → (important, specificity, order, value) of the winning rule
        self._rules: dict[Any, dict[str, tuple[bool, tuple[int, int, int], int, str]]] = {}
        index = _Index(root)
        for rule in rules:
            selector = rule.selector
            if isinstance(selector, _Descendants):
                matched: Iterable[Any] = index.select(selector.compounds)
            else:
                matched = selector(root)
            for element in matched:
                own = self._rules.setdefault(element, {})
                for declaration in rule.declarations:
                    name = "color" if declaration.name == "color" else "background-color"
                    rank = (declaration.important, rule.specificity, rule.order, declaration.value)
                    if name not in own or rank[:3] > own[name][:3]:
                        own[name] = rank

    def colour(self, element: Any) -> tuple[str, bool] | None:
        """The element's own text colour in dark mode (as written), and whether a rule set it."""
        return self._value(element, "color")

    def background(self, element: Any) -> tuple[str, bool] | None:
        found = self._value(element, "background-color")
        if found is None:
            given = element.get("bgcolor")
            if given:
                found = (given, False)
        return found

    def _value(self, element: Any, name: str) -> tuple[str, bool] | None:
        inline = _inline(element.get("style") or "")
        written = inline.get(name)
        if name == "background-color" and written is None:
            written = inline.get("background")
        rule = self._rules.get(element, {}).get(name)
        # A rule beats the style attribute only with !important (and one without it), as in
        # a browser.
        if rule is not None and (written is None or (rule[0] and not written[1])):
            return rule[3], True
        if written is not None:
            return written[0], False
        return None


@lru_cache(maxsize=4096)
def _inline(style: str) -> Mapping[str, tuple[str, bool]]:
    """The colour and background declarations that take effect in a ``style`` attribute."""
    effective: dict[str, tuple[str, bool]] = {}
    for declaration in declarations(style):
        if declaration.name not in _PROPERTIES:
            continue
        if effective.get(declaration.name, ("", False))[1] and not declaration.important:
            continue
        effective[declaration.name] = (declaration.value, declaration.important)
    return effective


def dark_mode_issues(html: str) -> list[Issue]:
    """Text of an inlined HTML part that would be unreadable in dark mode, once per colour."""
    root = lxml.html.document_fromstring(html)
    css = "\n".join(style.text or "" for style in root.iter("style"))
    styles = _Styles(root, _dark_rules(css))
    found: dict[str, Issue] = {}
    for colour, background in _texts(root, styles):
        issue = _issue(colour, background)
        if issue is not None:
            found.setdefault(issue.message, issue)
    return list(found.values())


# An element and the value it sets (as written, and whether a dark-mode rule set it).
_Set = tuple[Any, tuple[str, bool]]


def _texts(root: Any, styles: _Styles) -> Iterator[tuple[_Set | None, _Set | None]]:
    """For each visible element that holds text of its own: where its text colour and the
    background behind it come from (None: the client's own), in one walk down the tree."""
    stack: list[tuple[Any, _Set | None, _Set | None]] = [(root, None, None)]
    while stack:
        element, colour, background = stack.pop()
        if _HIDDEN.search(element.get("style") or ""):
            continue  # nothing inside it shows
        own = styles.colour(element)
        if own is not None:
            colour = (element, own)
        behind = styles.background(element)
        # A transparent or unknown background lets the one behind it show.
        if behind is not None and parse_colour(behind[0]) is not None:
            background = (element, behind)
        if _has_text(element):
            yield colour, background
        stack.extend(
            (child, colour, background)
            for child in reversed(element)
            if isinstance(child.tag, str) and child.tag not in _SKIPPED
        )


_SKIPPED: Final = frozenset({"head", "style", "script", "template"})


def _has_text(element: Any) -> bool:
    if element.text and element.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in element)


def _issue(colour: _Set | None, background: _Set | None) -> Issue | None:
    if colour is None:
        return None  # the client's own text colour, light in dark mode
    source, (written, by_rule) = colour
    text = parse_colour(written)
    if text is None:
        return None
    backdrop = parse_colour(background[1][0]) if background is not None else None
    ratio = contrast(text, backdrop or CANVAS)
    if ratio >= MIN_CONTRAST:
        return None
    value = written.split("!")[0].strip()
    if background is None:
        where = "on the dark canvas, with no background of its own or around it"
    else:
        where = f"on the background {background[1][0].split('!')[0].strip()} it has in dark mode"
    classes = (source.get("class") or "").split()
    label = f"<{source.tag}{' class=' + repr(classes[0]) if classes else ''}>"
    # Where the colour is written: the template's style attribute, else the element.
    patterns = [] if by_rule else [rf"color\s*:\s*{re.escape(value)}"]
    patterns += [rf"<{source.tag}\b[^>\n]*class=\"[^\"\n]*\b{re.escape(c)}\b" for c in classes[:1]]
    return Issue(
        "dark-mode.text-contrast",
        "warning",
        f"text in {label} with color {value} is {ratio:.1f}:1 {where}: it vanishes in "
        "dark mode (Apple Mail); give it a colour in @media (prefers-color-scheme: dark) "
        "or a background of its own",
        hint=Hint(patterns=(*patterns, rf"<{source.tag}\b")),
    )
