"""E-mail client support: HTML and CSS features in the inlined output that clients drop.

Each element, ``style`` attribute and ``<style>`` rule of the rendered HTML is mapped to the
caniemail features it uses (a :class:`Use`), and each feature is looked up in the shipped
snapshot for Gmail, Outlook on Windows, Apple Mail and Yahoo.  Where a client's support is
only partial, the check reports the use only when it falls in the unsupported part and that
part is known here (``limited``, e.g. ``width`` on a ``<div>`` in Outlook); otherwise partial
support is not reported.

The severity follows what a buyer loses where the feature is dropped (:data:`IMPACTS`):

* ``breaking`` (error): the layout falls apart (flex, grid, absolute positioning) or the
  client throws away the whole ``style`` attribute (``rgb(0 0 0)`` in Gmail);
* ``content`` (warning): something may not show at all (SVG and WebP images, forms, video,
  an ``@import``-ed stylesheet, ``::before`` text);
* ``style`` (warning): a declaration is ignored and the message looks different (``rem``
  units, ``calc()``, ``max-width`` on a ``<div>`` in Outlook);
* ``cosmetic`` (info): rounded corners, shadows, letter spacing … degrade gracefully;
* ``enhancement`` (info): features meant to be optional, with a fallback by design:
  ``@media`` and everything inside it, ``:hover``, ``srcset``, web fonts.

What Outlook alone sees (``<!--[if mso]>`` blocks) is not checked, and Outlook is left out for
what it does not see (inside ``<!--[if !mso]><!-->`` or under ``mso-hide:all``).  A
declaration a client would ignore without any visible difference is not reported either:
zero padding, ``width:100%`` or ``auto`` on a block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from .caniemail import snapshot
from .css import Declaration, declarations, style_rules
from .html import Document, Element, words
from .rules import Hint, Issue, Severity

__all__ = [
    "FEATURES",
    "IMPACTS",
    "Impact",
    "Use",
    "client_issues",
    "declaration_uses",
    "element_uses",
    "evaluate",
    "style_uses",
    "stylesheet_uses",
]

Impact = Literal["breaking", "content", "style", "cosmetic", "enhancement"]

#: Each impact's severity, and what it means for the buyer.
IMPACTS: Mapping[Impact, tuple[Severity, str]] = MappingProxyType(
    {
        "breaking": ("error", "the layout falls apart there"),
        "content": ("warning", "buyers there may not see it"),
        "style": ("warning", "it is ignored there"),
        "cosmetic": ("info", "it degrades gracefully"),
        "enhancement": ("info", "an enhancement: the fallback shows there"),
    }
)


@dataclass(frozen=True, slots=True)
class Use:
    """One use of a caniemail feature (``slug``) in the output.

    ``label`` names it for people (``border-radius``, ``<svg>``), ``pattern`` finds it in the
    sources, ``impact`` overrides the feature's usual impact, and ``limited`` names the
    clients whose partial support excludes this particular use, ``note`` saying why.
    ``property`` is the CSS property of a declaration, to find the rule that set it.
    """

    slug: str
    label: str
    pattern: str
    impact: Impact | None = None
    limited: tuple[str, ...] = ()
    note: str = ""
    property: str | None = None


def _impacts(impact: Impact, slugs: str) -> dict[str, Impact]:
    return dict.fromkeys(slugs.split(), impact)


#: The usual impact of each feature the check detects; every slug here is in the snapshot.
FEATURES: Mapping[str, Impact] = MappingProxyType(
    _impacts(
        "breaking",
        """css-display-flex css-display-grid css-flex-direction css-flex-wrap
        css-grid-template css-justify-content css-align-items css-gap css-position
        css-left-right-top-bottom css-inset css-transform css-column-count
        css-column-layout-properties""",
    )
    | _impacts(
        "content",
        """html-svg html-video html-audio html-object html-form html-input-checkbox
        html-input-hidden html-input-radio html-input-reset html-input-submit html-input-text
        html-button-reset html-button-submit html-select html-textarea html-dialog
        html-progress html-meter html-marquee html-link html-hidden html-popover image-svg
        image-base64 image-webp image-avif image-heif image-tiff image-bmp image-ico
        css-at-import css-pseudo-element-before css-pseudo-element-after""",
    )
    | _impacts(
        "style",
        """css-unit-rem css-unit-vh css-unit-vw css-unit-vmin css-unit-vmax css-unit-ch
        css-unit-calc css-unit-initial css-function-min css-function-max css-function-clamp
        css-modern-color css-rgb css-rgba css-variables css-box-sizing css-min-width
        css-max-width css-width css-block-inline-size css-max-block-size css-max-inline-size
        css-min-block-size css-min-inline-size css-margin-block-start-end
        css-margin-inline-block css-margin-inline-start-end css-padding-block-start-end
        css-padding-inline-block css-padding-inline-start-end css-border-inline-block
        css-border-inline-block-individual css-border-inline-block-longhand css-float
        css-background-image css-important css-intrinsic-size html-style css-table-layout
        css-display-none""",
    )
    | _impacts(
        "cosmetic",
        """css-border-radius css-border-radius-logical css-box-shadow css-text-shadow
        css-opacity css-outline css-outline-offset css-linear-gradient css-radial-gradient
        css-conic-gradient css-background-blend-mode css-mix-blend-mode css-filter
        css-backdrop-filter css-mask-image css-clip-path css-text-decoration-color
        css-text-decoration-style css-text-decoration-thickness css-text-decoration-skip-ink
        css-text-underline-offset css-text-underline-position css-letter-spacing
        css-word-spacing css-text-transform css-cursor css-user-select css-white-space
        css-white-space-collapse css-text-overflow css-hyphens css-hyphenate-character
        css-font-kerning css-font-stretch css-font-size-adjust css-sytem-ui
        css-caption-side css-empty-cells css-list-style-image css-list-style-position
        css-overflow css-max-height css-min-height css-height css-visibility css-border-image
        css-border-spacing css-accent-color css-resize css-tab-size css-word-break
        css-overflow-wrap css-text-wrap css-text-indent css-text-justify css-text-align-last
        css-text-emphasis css-text-emphasis-position css-writing-mode css-text-orientation
        css-orphans css-widows css-z-index css-object-fit css-object-position
        css-aspect-ratio css-background-size css-background-position css-background-repeat
        css-background-origin css-background-clip css-color-scheme css-scroll-snap
        css-padding css-margin css-display html-bdi html-abbr html-acronym html-ruby html-rt
        html-rp html-wbr html-dfn html-semantics html-target html-anchor-links
        html-aria-describedby html-aria-labelledby html-aria-live""",
    )
    | _impacts(
        "enhancement",
        """css-at-media css-at-media-prefers-color-scheme css-at-media-prefers-reduced-motion
        css-at-media-hover css-at-media-orientation css-at-media-device-pixel-ratio
        css-at-font-face css-at-supports css-at-keyframes css-animation css-transition
        css-pseudo-class-hover css-pseudo-class-active css-pseudo-class-focus
        css-pseudo-class-focus-visible css-pseudo-class-focus-within css-pseudo-class-visited
        css-pseudo-class-link css-pseudo-class-target css-pseudo-class-checked
        css-pseudo-class-first-child css-pseudo-class-last-child css-pseudo-class-nth-child
        css-pseudo-class-nth-last-child css-pseudo-class-nth-of-type
        css-pseudo-class-nth-last-of-type css-pseudo-class-first-of-type
        css-pseudo-class-last-of-type css-pseudo-class-only-child css-pseudo-class-only-of-type
        css-pseudo-class-not css-pseudo-class-has css-pseudo-class-lang
        css-pseudo-class-default css-pseudo-element-first-letter css-pseudo-element-first-line
        css-pseudo-element-marker css-pseudo-element-placeholder html-srcset
        html-loading-attribute css-function-light-dark html-picture""",
    )
)


def _properties(slug: str, names: str) -> dict[str, str]:
    return dict.fromkeys(names.split(), slug)


_SIDES = ("top", "right", "bottom", "left")

# Properties whose use is a feature of their own; display, position, flex-direction and
# flex-wrap are told apart by value below.
_PROPERTIES: Mapping[str, str] = MappingProxyType(
    _properties("css-accent-color", "accent-color")
    | _properties("css-align-items", "align-items")
    | _properties("css-aspect-ratio", "aspect-ratio")
    | _properties("css-backdrop-filter", "backdrop-filter")
    | _properties("css-background-blend-mode", "background-blend-mode")
    | _properties("css-background-clip", "background-clip")
    | _properties("css-background-image", "background-image")
    | _properties("css-background-origin", "background-origin")
    | _properties("css-background-position", "background-position")
    | _properties("css-background-repeat", "background-repeat")
    | _properties("css-background-size", "background-size")
    | _properties("css-block-inline-size", "block-size inline-size")
    | _properties(
        "css-border-image",
        "border-image border-image-source border-image-slice border-image-width "
        "border-image-outset border-image-repeat",
    )
    | _properties("css-border-inline-block", "border-inline border-block")
    | _properties(
        "css-border-inline-block-individual",
        "border-inline-color border-block-color border-inline-style border-block-style "
        "border-inline-width border-block-width border-inline-start border-inline-end "
        "border-block-start border-block-end",
    )
    | _properties(
        "css-border-inline-block-longhand",
        " ".join(
            f"border-{axis}-{end}-{what}"
            for axis in ("inline", "block")
            for end in ("start", "end")
            for what in ("color", "style", "width")
        ),
    )
    | _properties(
        "css-border-radius-logical",
        "border-start-start-radius border-start-end-radius border-end-start-radius "
        "border-end-end-radius",
    )
    | _properties(
        "css-border-radius",
        "border-radius border-top-left-radius border-top-right-radius "
        "border-bottom-left-radius border-bottom-right-radius",
    )
    | _properties("css-border-spacing", "border-spacing")
    | _properties("css-box-shadow", "box-shadow")
    | _properties("css-box-sizing", "box-sizing")
    | _properties("css-caption-side", "caption-side")
    | _properties("css-clip-path", "clip-path")
    | _properties("css-color-scheme", "color-scheme")
    | _properties("css-column-count", "column-count")
    | _properties(
        "css-column-layout-properties",
        "columns column-fill column-rule column-rule-color column-rule-style "
        "column-rule-width column-span column-width",
    )
    | _properties("css-cursor", "cursor")
    | _properties("css-empty-cells", "empty-cells")
    | _properties("css-filter", "filter")
    | _properties("css-float", "float")
    | _properties("css-font-kerning", "font-kerning")
    | _properties("css-font-size-adjust", "font-size-adjust")
    | _properties("css-font-stretch", "font-stretch")
    | _properties("css-gap", "gap row-gap column-gap")
    | _properties(
        "css-grid-template",
        "grid-template grid-template-areas grid-template-columns grid-template-rows",
    )
    | _properties("css-height", "height")
    | _properties("css-hyphenate-character", "hyphenate-character")
    | _properties("css-hyphens", "hyphens")
    | _properties(
        "css-inset",
        "inset inset-block inset-inline inset-inline-start inset-inline-end "
        "inset-block-start inset-block-end",
    )
    | _properties("css-justify-content", "justify-content")
    | _properties("css-left-right-top-bottom", " ".join(_SIDES))
    | _properties("css-letter-spacing", "letter-spacing")
    | _properties("css-list-style-image", "list-style-image")
    | _properties("css-list-style-position", "list-style-position")
    | _properties("css-margin-block-start-end", "margin-block-start margin-block-end")
    | _properties("css-margin-inline-block", "margin-inline margin-block")
    | _properties("css-margin-inline-start-end", "margin-inline-start margin-inline-end")
    | _properties("css-margin", "margin " + " ".join(f"margin-{s}" for s in _SIDES))
    | _properties("css-mask-image", "mask-image")
    | _properties("css-max-block-size", "max-block-size")
    | _properties("css-max-height", "max-height")
    | _properties("css-max-inline-size", "max-inline-size")
    | _properties("css-max-width", "max-width")
    | _properties("css-min-block-size", "min-block-size")
    | _properties("css-min-height", "min-height")
    | _properties("css-min-inline-size", "min-inline-size")
    | _properties("css-min-width", "min-width")
    | _properties("css-mix-blend-mode", "mix-blend-mode")
    | _properties("css-object-fit", "object-fit")
    | _properties("css-object-position", "object-position")
    | _properties("css-opacity", "opacity")
    | _properties("css-orphans", "orphans")
    | _properties("css-outline-offset", "outline-offset")
    | _properties("css-outline", "outline outline-color outline-style outline-width")
    | _properties("css-overflow-wrap", "overflow-wrap")
    | _properties("css-overflow", "overflow overflow-x overflow-y")
    | _properties("css-padding-block-start-end", "padding-block-start padding-block-end")
    | _properties("css-padding-inline-block", "padding-inline padding-block")
    | _properties("css-padding-inline-start-end", "padding-inline-start padding-inline-end")
    | _properties("css-padding", "padding " + " ".join(f"padding-{s}" for s in _SIDES))
    | _properties("css-resize", "resize")
    | _properties("css-scroll-snap", "scroll-snap-type scroll-snap-align scroll-snap-stop")
    | _properties("css-tab-size", "tab-size")
    | _properties("css-table-layout", "table-layout")
    | _properties("css-text-align-last", "text-align-last")
    | _properties("css-text-decoration-color", "text-decoration-color")
    | _properties("css-text-decoration-skip-ink", "text-decoration-skip-ink")
    | _properties("css-text-decoration-style", "text-decoration-style")
    | _properties("css-text-decoration-thickness", "text-decoration-thickness")
    | _properties("css-text-emphasis-position", "text-emphasis-position")
    | _properties("css-text-emphasis", "text-emphasis text-emphasis-style text-emphasis-color")
    | _properties("css-text-indent", "text-indent")
    | _properties("css-text-justify", "text-justify")
    | _properties("css-text-orientation", "text-orientation")
    | _properties("css-text-overflow", "text-overflow")
    | _properties("css-text-shadow", "text-shadow")
    | _properties("css-text-transform", "text-transform")
    | _properties("css-text-underline-offset", "text-underline-offset")
    | _properties("css-text-underline-position", "text-underline-position")
    | _properties("css-text-wrap", "text-wrap")
    | _properties("css-transform", "transform transform-origin")
    | _properties("css-user-select", "user-select")
    | _properties("css-visibility", "visibility")
    | _properties("css-white-space-collapse", "white-space-collapse")
    | _properties("css-white-space", "white-space")
    | _properties("css-widows", "widows")
    | _properties("css-width", "width")
    | _properties("css-word-break", "word-break")
    | _properties("css-word-spacing", "word-spacing")
    | _properties("css-writing-mode", "writing-mode")
    | _properties("css-z-index", "z-index")
    | _properties(
        "css-animation",
        "animation animation-name animation-duration animation-delay animation-iteration-count "
        "animation-timing-function animation-direction animation-fill-mode animation-play-state",
    )
    | _properties(
        "css-transition",
        "transition transition-property transition-duration transition-delay "
        "transition-timing-function",
    )
)

# Values anywhere in a declaration that are features of their own.
_VALUE_FEATURES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), slug, label)
    for pattern, slug, label in (
        (r"\blinear-gradient\(", "css-linear-gradient", "linear-gradient()"),
        (r"\bradial-gradient\(", "css-radial-gradient", "radial-gradient()"),
        (r"\bconic-gradient\(", "css-conic-gradient", "conic-gradient()"),
        (r"\bcalc\(", "css-unit-calc", "calc()"),
        (r"(?<![\w-])min\(", "css-function-min", "min()"),
        (r"(?<![\w-])max\(", "css-function-max", "max()"),
        (r"\bclamp\(", "css-function-clamp", "clamp()"),
        (r"\bvar\(", "css-variables", "var()"),
        (r"\blight-dark\(", "css-function-light-dark", "light-dark()"),
        (r"\b(?:ok)?(?:lab|lch)\(", "css-modern-color", "lab()/lch() colours"),
        (r"\b(?:fit|min|max)-content\b", "css-intrinsic-size", "fit-content/min-content"),
        (
            r"\bui-(?:serif|sans-serif|rounded|monospace)\b|\bsystem-ui\b",
            "css-sytem-ui",
            "system-ui fonts",
        ),
    )
)
_UNIT = re.compile(r"(?<![\w#.-])\d*\.?\d+(rem|vh|vw|vmin|vmax|ch)\b", re.IGNORECASE)
# rgb(0 128 0): Gmail removes the whole style attribute (or <style> block) around it.
_RGB_SPACES = re.compile(r"\brgba?\(\s*[\d.]+%?\s+[\d.]", re.IGNORECASE)
_RGB = re.compile(r"\b(rgba?)\(", re.IGNORECASE)

_MEDIA_FEATURES: tuple[tuple[str, str], ...] = (
    ("prefers-color-scheme", "css-at-media-prefers-color-scheme"),
    ("prefers-reduced-motion", "css-at-media-prefers-reduced-motion"),
    ("hover", "css-at-media-hover"),
    ("orientation", "css-at-media-orientation"),
    ("device-pixel-ratio", "css-at-media-device-pixel-ratio"),
)
_AT_RULES = {
    "media": "css-at-media",
    "font-face": "css-at-font-face",
    "import": "css-at-import",
    "keyframes": "css-at-keyframes",
    "supports": "css-at-supports",
}
_PSEUDO = re.compile(r"(::?)([a-z-]+)", re.IGNORECASE)

_CONTENT_ELEMENTS = words(
    "svg video audio object form select textarea dialog progress meter marquee"
)
_INLINE_ELEMENTS = words("bdi abbr acronym ruby rt rp wbr dfn")
_SEMANTIC_ELEMENTS = words(
    "article aside details figcaption figure footer header main mark nav section summary time"
)
_INPUT_TYPES = words("checkbox hidden radio reset submit text")
_IMAGE_FORMATS = {
    "svg": "image-svg",
    "webp": "image-webp",
    "avif": "image-avif",
    "heic": "image-heif",
    "heif": "image-heif",
    "tif": "image-tiff",
    "tiff": "image-tiff",
    "bmp": "image-bmp",
    "ico": "image-ico",
}
_ATTRIBUTES = {
    "srcset": "html-srcset",
    "loading": "html-loading-attribute",
    "hidden": "html-hidden",
    "popover": "html-popover",
    "target": "html-target",
    "aria-describedby": "html-aria-describedby",
    "aria-labelledby": "html-aria-labelledby",
    "aria-live": "html-aria-live",
}

# Outlook on Windows (Word) honours these only on some elements: caniemail's notes.
_CELLS = frozenset({"td", "th"})
_WORD_BLOCKS = frozenset({"body", "span", "div", "p"})
_BLOCK_WIDTH = frozenset({"100%", "auto"})
_ZERO = re.compile(r"0(?:px|em|%)?(?:\s+0(?:px|em|%)?)*")


def _property_pattern(name: str) -> str:
    return rf"(?<![\w-]){re.escape(name)}\s*:"


@lru_cache(maxsize=8192)
def declaration_uses(tag: str, declaration: Declaration) -> tuple[Use, ...]:
    """The features one declaration on a ``tag`` element uses (``tag`` may be ``*``)."""
    name, value = declaration.name, declaration.value
    if name.startswith("--"):
        return (Use("css-variables", f"custom property {name}", re.escape(name) + r"\s*:"),)
    if name.startswith(("-", "mso-")):
        return ()  # vendor and Outlook properties are workarounds aimed at one client
    found = [*_property_uses(tag, name, value.lower()), *_value_uses(name, value)]
    found = [replace(use, property=name) for use in found]
    if declaration.important and tag != "*":
        found.append(
            Use(
                "css-important",
                f"!important in a style attribute ({name})",
                r"!\s*important",
                limited=("outlook",),
                note="Outlook (Windows) ignores !important declarations in style attributes",
            )
        )
    return tuple(found)


def _property_uses(tag: str, name: str, value: str) -> Iterator[Use]:
    pattern = _property_pattern(name)
    if name == "display":
        yield _display_use(tag, value)
    elif name == "position":
        if value in {"absolute", "fixed", "sticky"}:
            yield Use("css-position", f"position:{value}", rf"position\s*:\s*{value}")
        elif value == "relative":
            yield Use("css-position", "position:relative", r"position\s*:\s*relative", "cosmetic")
    elif name == "flex-direction":
        if value.startswith("column"):
            yield Use("css-flex-direction", f"flex-direction:{value}", pattern)
    elif name == "flex-wrap":
        if value.startswith("wrap"):
            yield Use("css-flex-wrap", f"flex-wrap:{value}", pattern)
    elif name in {"width", "height"} and tag in _WORD_BLOCKS:
        if name == "width" and (tag == "body" or value in _BLOCK_WIDTH):
            return  # what a block is anyway: nothing changes where it is ignored
        yield Use(
            f"css-{name}",
            f"{name} on <{tag}>",
            pattern,
            limited=("outlook",),
            note=f"Outlook (Windows) ignores {name} on <{tag}>; set it on a table or cell",
        )
    elif name == "max-width" and tag not in {"table", "*"}:
        yield Use(
            "css-max-width",
            f"max-width on <{tag}>",
            pattern,
            limited=("outlook",),
            note="Outlook (Windows) honours max-width only on tables: wrap it in a table",
        )
    elif name.startswith("padding") and name in _PROPERTIES and tag not in _CELLS | {"*"}:
        if _ZERO.fullmatch(value):
            return
        yield Use(
            "css-padding",
            f"{name} on <{tag}>",
            pattern,
            limited=("outlook",),
            note="Outlook (Windows) applies padding only to table cells",
        )
    elif name.startswith("margin") and _PROPERTIES.get(name) == "css-margin":
        yield from _margin_uses(tag, name, value, pattern)
    elif name in _PROPERTIES:
        yield Use(_PROPERTIES[name], name, pattern)


def _display_use(tag: str, value: str) -> Use:
    pattern = rf"display\s*:\s*{re.escape(value)}"
    if value in {"flex", "inline-flex"}:
        return Use("css-display-flex", f"display:{value}", pattern)
    if value in {"grid", "inline-grid"}:
        return Use("css-display-grid", f"display:{value}", pattern)
    if value == "none":
        limited = ("outlook",) if tag == "img" else ()
        return Use(
            "css-display-none",
            "display:none" + (" on <img>" if limited else ""),
            pattern,
            limited=limited,
            note="Outlook (Windows) cannot hide an image with display:none" if limited else "",
        )
    return Use(
        "css-display",
        f"display:{value}",
        pattern,
        limited=("outlook",),
        note="Outlook (Windows) honours only display:none",
    )


def _margin_uses(tag: str, name: str, value: str, pattern: str) -> Iterator[Use]:
    if re.search(r"(?<![\w.])-\d", value):
        yield Use(
            "css-margin",
            f"negative {name}",
            pattern,
            limited=("gmail", "outlook", "yahoo"),
            note="negative margins are not supported",
        )
    elif "auto" in value or tag in {"span", "body"}:
        what = f"{name}:auto" if "auto" in value else f"{name} on <{tag}>"
        yield Use(
            "css-margin",
            what,
            pattern,
            limited=("outlook",),
            note="Outlook (Windows) ignores auto margins and margins on <span> and <body>",
        )


def _value_uses(name: str, value: str) -> Iterator[Use]:
    for pattern, slug, label in _VALUE_FEATURES:
        if pattern.search(value):
            yield Use(slug, f"{label} in {name}", pattern.pattern)
    for unit in dict.fromkeys(match.lower() for match in _UNIT.findall(value)):
        yield Use(f"css-unit-{unit}", f"{unit} units in {name}", rf"\d{unit}\b")
    if value.strip().lower() == "initial":
        yield Use("css-unit-initial", f"{name}:initial", rf"{re.escape(name)}\s*:\s*initial")
    if _RGB_SPACES.search(value):
        yield Use(
            "css-rgb",
            f"space-separated rgb() in {name}",
            r"rgba?\(\s*[\d.]+%?\s+[\d.]",
            "breaking",
            limited=("gmail",),
            note="Gmail throws away the whole style attribute or <style> block around it; "
            "write rgb(0, 128, 0)",
        )
    else:
        for function in dict.fromkeys(match.lower() for match in _RGB.findall(value)):
            yield Use(f"css-{function}", f"{function}() in {name}", rf"\b{function}\(")


@lru_cache(maxsize=4096)
def element_uses(tag: str, attributes: tuple[tuple[str, str], ...]) -> tuple[Use, ...]:
    """The features an element uses by its tag and attributes (not its ``style``)."""
    values = dict(attributes)
    found: list[Use] = []
    pattern = rf"<{tag}\b"
    if tag == "bdi":
        # The ltr filter writes it (environment.py): point at the first use of the filter.
        found.append(Use("html-bdi", "<bdi>", r"<bdi\b|\|\s*ltr\b"))
    elif tag in _CONTENT_ELEMENTS or tag in _INLINE_ELEMENTS:
        found.append(Use(f"html-{tag}", f"<{tag}>", pattern))
    elif tag in _SEMANTIC_ELEMENTS:
        found.append(Use("html-semantics", f"<{tag}>", pattern))
    elif tag == "picture":
        found.append(Use("html-picture", "<picture>", pattern))
    elif tag == "input":
        kind = values.get("type", "text").lower()
        if kind in _INPUT_TYPES:
            found.append(Use(f"html-input-{kind}", f'<input type="{kind}">', pattern))
    elif tag == "button":
        kind = values.get("type", "submit").lower()
        if kind in {"submit", "reset"}:
            found.append(Use(f"html-button-{kind}", f'<button type="{kind}">', pattern))
    elif tag == "link" and "stylesheet" in values.get("rel", "").lower():
        found.append(Use("html-link", '<link rel="stylesheet">', pattern))
    elif tag == "img":
        found.extend(_image_uses(values.get("src", "")))
    elif tag == "a" and values.get("href", "").startswith("#") and len(values["href"]) > 1:
        found.append(Use("html-anchor-links", "a link to an anchor in the message", r'href="#'))
    for name, slug in _ATTRIBUTES.items():
        if name in values:
            found.append(Use(slug, f"the {name} attribute", rf"\b{name}\s*="))
    return tuple(found)


def _image_uses(src: str) -> Iterator[Use]:
    if src.lower().startswith("data:"):
        yield Use("image-base64", "an image embedded as a data: URI", r"data:image")
        return
    path = src.split("?", 1)[0].split("#", 1)[0]
    extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    slug = _IMAGE_FORMATS.get(extension)
    if slug is not None:
        yield Use(slug, f"a .{extension} image", rf"\.{extension}\b")


@lru_cache(maxsize=256)
def stylesheet_uses(css: str) -> tuple[Use, ...]:
    """The features a ``<style>`` block uses.

    Inside ``@media`` nothing is reported but the ``@media`` itself: the block is an
    enhancement by design, and so is everything in it.
    """
    found: list[Use] = []
    for rule in style_rules(css):
        if rule.media:
            continue
        if rule.at is not None:
            slug = _AT_RULES.get(rule.at)
            if slug is not None:
                found.append(Use(slug, f"@{rule.at}", rf"@{rule.at}\b"))
            if rule.at == "media":
                for feature, slug in _MEDIA_FEATURES:
                    if feature in rule.prelude.lower():
                        found.append(Use(slug, f"@media ({feature})", feature))
            continue
        for colons, name in _PSEUDO.findall(rule.prelude):
            kind = "element" if colons == "::" or name in {"before", "after"} else "class"
            slug = f"css-pseudo-{kind}-{name.lower()}"
            if slug in FEATURES:
                found.append(Use(slug, f"{colons}{name}", rf"{colons}{name}\b"))
        for declaration in rule.declarations:
            found.extend(declaration_uses("*", declaration))
    return tuple(dict.fromkeys(found))


def style_uses(tag: str, style: str) -> tuple[Use, ...]:
    """The features of an element's ``style`` attribute."""
    return tuple(use for d in declarations(style) for use in declaration_uses(tag, d))


@lru_cache(maxsize=8192)
def evaluate(use: Use, *, outlook_hidden: bool = False) -> Issue | None:
    """The issue ``use`` raises, or ``None`` when every client evaluated supports it."""
    feature = snapshot().features[use.slug]
    clients = []
    for support in feature.support:
        if support.client == "outlook" and outlook_hidden:
            continue
        platforms = support.unsupported
        if support.client in use.limited:
            platforms += support.partial
        if platforms:
            clients.append(support.name(platforms))
    if not clients:
        return None
    severity, meaning = IMPACTS[use.impact or FEATURES[use.slug]]
    note = f"; {use.note}" if use.note else ""
    return Issue(
        "client.support",
        severity,
        f"{use.label} is not supported by {', '.join(clients)}: {meaning}{note} "
        f"(caniemail {use.slug})",
        hint=Hint(patterns=(use.pattern,)),
    )


# Attributes that decide an element's features; href and src count only by their form.
_RELEVANT = frozenset({"type", "rel", "src", "href", *_ATTRIBUTES})


def client_issues(document: Document) -> list[Issue]:
    """Every client-support issue of one HTML part, each feature once.

    Outlook counts as seeing a feature when it sees any element that uses it; the issue
    points at the first element using it (the CSS rule of its class or tag, else its
    ``style`` attribute).
    """
    seen: dict[Use, bool] = {}
    first: dict[Use, Element] = {}
    for element in document.elements:
        relevant = tuple(
            (name, _shape(name, value)) for name, value in element.attributes if name in _RELEVANT
        )
        uses = list(element_uses(element.tag, relevant))
        style = element.get("style")
        if style:
            uses += style_uses(element.tag, style)
        for use in uses:
            seen[use] = seen.get(use, False) or not element.outlook_hidden
            first.setdefault(use, element)
    for css, in_body in document.styles:
        for use in stylesheet_uses(css):
            seen[use] = True
        if in_body:
            seen[_STYLE_IN_BODY] = True
    found: dict[Issue, None] = {}
    for use, outlook_sees in seen.items():
        issue = evaluate(use, outlook_hidden=not outlook_sees)
        if issue is not None:
            user = first.get(use)
            if use.property is not None and user is not None:
                issue = _at_rule_of(issue, use.property, user.tag, user.get("class") or "")
            found[issue] = None
    return list(found)


@lru_cache(maxsize=1024)
def _at_rule_of(issue: Issue, name: str, tag: str, classes: str) -> Issue:
    """``issue`` pointing first at the CSS rules that set ``name`` on such an element."""
    declared = rf"[^{{}}]*?(?<![\w-]){re.escape(name)}\s*:"
    patterns = [rf"\.{re.escape(c)}\b[^{{}}]*\{{{declared}" for c in classes.split()]
    patterns.append(rf"(?:^|[\s,}}]){tag}\s*\{{{declared}")
    patterns.append(rf"<{tag}\b[^>]*style=\"[^\"]*(?<![\w-]){re.escape(name)}\s*:")
    return replace(issue, hint=Hint(patterns=(*patterns, *issue.hint.patterns)))


_STYLE_IN_BODY = Use(
    "html-style",
    "<style> in <body>",
    r"<style\b",
    limited=("gmail",),
    note="Gmail reads <style> only in <head>",
)


def _shape(name: str, value: str) -> str:
    if name == "src":
        return "data:" if value.lower().startswith("data:") else value.rsplit("/", 1)[-1]
    if name == "href":
        return value if value.startswith("#") else ""
    return value
