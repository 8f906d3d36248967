"""Errors as the preview shows them: what went wrong, where, and the source lines around it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from babel.core import UnknownLocaleError

from ..environment import TemplateEnvironment
from ..exceptions import InputError, InputFileError, PolicyError, TemplateError

__all__ = ["Problem", "SourceLine", "problem_from", "source_excerpt"]

logger = logging.getLogger("sellercomms.preview")

ProblemKind = Literal["template", "policy", "input", "render"]

# Lines shown before and after the line an error names.
_CONTEXT: Final = 4
# Longer lines (minified CSS, long URLs) are cut: the excerpt is for finding the spot.
_LINE_CHARS: Final = 240


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of a template file; ``current`` marks the line the error names."""

    number: int
    text: str
    current: bool


@dataclass(frozen=True, slots=True)
class Problem:
    """Why something cannot be shown, in the words of the error the library raised.

    ``template``, ``filename`` and ``lineno`` locate a template error; ``channel`` and ``rule``
    name the rule a policy error broke; ``excerpt`` holds the lines around ``lineno``.
    """

    kind: ProblemKind
    title: str
    message: str
    template: str | None = None
    filename: str | None = None
    lineno: int | None = None
    channel: str | None = None
    rule: str | None = None
    excerpt: tuple[SourceLine, ...] = ()


def problem_from(error: Exception, environment: TemplateEnvironment | None = None) -> Problem:
    """``error`` as a :class:`Problem`; ``environment`` finds the file of a named template."""
    if isinstance(error, TemplateError):
        filename = error.filename
        if filename is None and error.name is not None and environment is not None:
            folder = environment.folder_of(error.name)
            filename = str(folder / error.name) if folder is not None else None
        return Problem(
            kind="template",
            title="Template error",
            message=error.message,
            template=error.name,
            filename=filename,
            lineno=error.lineno,
            excerpt=source_excerpt(filename, error.lineno),
        )
    if isinstance(error, PolicyError):
        return Problem(
            kind="policy",
            title=f"Not allowed on the {error.channel} channel",
            message=error.message,
            channel=error.channel,
            rule=error.rule,
        )
    if isinstance(error, InputFileError):
        return Problem(
            kind="input",
            title="Input file problem",
            message=error.message,
            filename=error.filename,
        )
    if isinstance(error, InputError):
        return Problem(kind="input", title="Input problem", message=str(error))
    if isinstance(error, UnknownLocaleError | ValueError):
        return Problem(kind="input", title="Unusable choice", message=str(error))
    # Anything else is a bug or a failure below the templates (fonts, PDF writing): the page
    # names it, and the traceback goes to the terminal for a bug report.
    logger.error("the preview could not render this", exc_info=error)
    return Problem(
        kind="render",
        title="Rendering failed",
        message=f"{type(error).__name__}: {error}",
    )


def source_excerpt(filename: str | None, lineno: int | None) -> tuple[SourceLine, ...]:
    """The lines of ``filename`` around ``lineno``; empty when either is unknown or unreadable."""
    if filename is None or lineno is None:
        return ()
    try:
        lines = Path(filename).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    first = max(1, lineno - _CONTEXT)
    last = min(len(lines), lineno + _CONTEXT)
    return tuple(
        SourceLine(number, _cut(lines[number - 1]), number == lineno)
        for number in range(first, last + 1)
    )


def _cut(line: str) -> str:
    return line if len(line) <= _LINE_CHARS else f"{line[:_LINE_CHARS]}…"
