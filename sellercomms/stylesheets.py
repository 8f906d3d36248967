"""Checks on stylesheet text: a stylesheet may not pull in another one.

Stylesheets reach a message only from the template folders (``{% include %}`` into
``<style>``).  ``@import`` would make the CSS tools fetch a URL or read a file while a
message is rendered, so it is refused wherever it appears, however it is spelled: escapes
(``@\\69mport``), upper case, or a comment between ``@`` and ``import``.  tinycss2 tokenizes
the text as CSS Syntax Level 3 does, so escapes are decoded and strings and comments are
told apart from rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

import tinycss2

from .exceptions import TemplateError

__all__ = ["IMPORT_REFUSED", "check_stylesheet", "import_line"]

IMPORT_REFUSED: Final = (
    "@import is not allowed: stylesheets are included from the template folders, "
    "never fetched or read from elsewhere"
)


def import_line(source: str) -> int | None:
    """The line of the first ``@import`` in ``source``, or None.

    >>> import_line("p { color: red }\\n@IM\\\\50 ORT url(x.css);")
    2
    >>> import_line('p::after { content: "@import" } /* @import */') is None
    True
    """
    tokens = tinycss2.parse_component_value_list(source, skip_comments=False)
    previous_at: Any = None  # a lone "@" waiting for what follows it
    for token in _flat(tokens):
        if token.type == "at-keyword" and token.lower_value == "import":
            return int(token.source_line)
        if token.type in ("comment", "whitespace") and previous_at is not None:
            continue
        # "@/**/import" is no at-rule to a browser, but tools differ; refuse it as well.
        if previous_at is not None and token.type == "ident" and token.lower_value == "import":
            return int(previous_at.source_line)
        previous_at = token if token.type == "literal" and token.value == "@" else None
    return None


def check_stylesheet(name: str, source: str) -> None:
    """Raise :class:`TemplateError` naming ``name`` and the line if ``source`` has ``@import``.

    >>> check_stylesheet("emails/email.css", "p { color: red }")
    >>> css = "p { color: red }\\n@\\\\69mport 'x.css';"
    >>> check_stylesheet("emails/email.css", css)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sellercomms.exceptions.TemplateError: template emails/email.css, line 2: @import is not ...
    """
    line = import_line(source)
    if line is not None:
        raise TemplateError(IMPORT_REFUSED, name=name, lineno=line)


def _flat(tokens: Iterable[Any]) -> Iterator[Any]:
    # @import is only valid at the top level, but a parser that recovers from errors may
    # still act on one inside a block or a function: look everywhere.
    for token in tokens:
        yield token
        if token.type in ("{} block", "[] block", "() block", "function"):
            yield from _flat(token.content if token.type != "function" else token.arguments)
