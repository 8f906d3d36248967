"""A stylesheet cut, at its top-level rules, into the rules an inliner can inline and the rest.

Every message of a template set carries the same stylesheet; css-inline would parse all of
it, the ``@media`` rules it can only keep included, for every message.  Cut once, the style
rules can be given to it on their own and the kept at-rules put back as text.  The cut is
made in the source text, so every rule reaches the inliner exactly as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tinycss2

__all__ = ["StylesheetSplit", "split_stylesheet"]

# The line ends CSS knows; tinycss2 counts lines by them (it reads each as one "\n").
_LINE_END = re.compile(r"\r\n|[\r\n\f]")


@dataclass(frozen=True, slots=True)
class StylesheetSplit:
    """The parts of a stylesheet, each a run of its source text."""

    #: The comments and white space before the first rule.
    lead: str
    #: The style rules (``selector { ... }``), in their order, one per line; the at-rules
    #: (``@media``, ``@font-face`` ...) are left out.
    style_rules: str


def split_stylesheet(text: str) -> StylesheetSplit | None:
    """``text`` without its at-rules, or None.

    None when there is nothing to cut (no style rules or no at-rules) or when the text has a
    syntax error, where parsers may recover differently.

    >>> split = split_stylesheet("/* x */ p{color:red} @media print{p{color:#000}} a{b:c}")
    >>> split.lead, split.style_rules
    ('/* x */ ', 'p{color:red}\\na{b:c}')
    >>> split_stylesheet("p{color:red}") is None
    True
    """
    nodes = tinycss2.parse_stylesheet(text)
    if not nodes or any(node.type == "error" for node in nodes):
        return None
    line_starts = [0, *(end.end() for end in _LINE_END.finditer(text))]
    # Columns count from 1; each node runs up to where the next one starts.
    starts = [line_starts[node.source_line - 1] + node.source_column - 1 for node in nodes]
    runs = list(zip(nodes, starts, [*starts[1:], len(text)], strict=True))
    style = [text[start:end] for node, start, end in runs if node.type == "qualified-rule"]
    if not style or all(node.type != "at-rule" for node in nodes):
        return None
    first = next(start for node, start, _ in runs if node.type in ("qualified-rule", "at-rule"))
    return StylesheetSplit(text[:first], "\n".join(style))
