"""Back to the source: which template file and line a piece of output comes from.

The output cannot say which line wrote it, so the sources are searched instead.  A template's
*chain* is the template, then what it imports and includes (recursively, in order), then its
parent and the parent's own imports, includes and parents; the stylesheet comes in as an
include.  Each file is read from the folder the environment loads it from, so a seller's
override is searched instead of the built-in it replaces.

* A CSS property, a tag or an attribute is found as a pattern: the first line of the chain
  that matches it (Jinja and CSS comments left out).
* Rendered words are looked up first in the catalogs of the message's locale, where a
  translation gives the ``.po`` file and line of its ``msgstr``, then in the templates.
* What is missing from the output (a link that should be there) or came from data has no
  line: the template file alone is named.

The first match wins, so a pattern used on several lines points at the first of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from ..catalogs import catalog_files
from ..environment import TemplateEnvironment
from ..folding import fold
from .rules import Hint

__all__ = ["Location", "Sources"]

Location = tuple[str | None, int | None]

_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_WORD = re.compile(r"\w+")


def _blank(match: re.Match[str]) -> str:
    # Comments are blanked out rather than removed, so that line numbers stay right.
    return re.sub(r"[^\n]", " ", match.group())


class Sources:
    """The template files of one environment, searched for where output comes from."""

    def __init__(self, environment: TemplateEnvironment, *, base: Path | None = None) -> None:
        self.environment = environment
        self.base = (base or Path.cwd()).resolve()
        self._chains: dict[str, tuple[str, ...]] = {}
        self._texts: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._catalogs: dict[str, list[tuple[Path, int, str]]] = {}

    def path(self, name: str) -> Path | None:
        """The file template ``name`` is loaded from."""
        folder = self.environment.folder_of(name)
        return folder / name if folder is not None else None

    def display(self, path: Path | str | None) -> str | None:
        """``path`` relative to the working folder when it is inside it."""
        if path is None:
            return None
        resolved = Path(path).resolve()
        if resolved.is_relative_to(self.base):
            return resolved.relative_to(self.base).as_posix()
        return str(resolved)

    def chain(self, name: str) -> tuple[str, ...]:
        """``name`` and every template it pulls in, in search order."""
        if name not in self._chains:
            self._chains[name] = self.environment.chain(name)
        return self._chains[name]

    def text(self, name: str) -> str | None:
        """The source of template ``name``, comments blanked out; ``None`` if there is none."""
        if name not in self._texts:
            path = self.path(name)
            if path is None:
                return None
            source = path.read_text(encoding="utf-8")
            source = _JINJA_COMMENT.sub(_blank, source)
            if name.endswith(".css"):
                source = _CSS_COMMENT.sub(_blank, source)
            self._texts[name] = source
        return self._texts[name]

    def locate(self, names: Sequence[str], hint: Hint, locale: str | None) -> Location:
        """Where ``hint`` leads in the chains of ``names``: file and line, the file, or none."""
        chain = [member for name in names for member in self.chain(name)]
        for pattern in hint.patterns:
            found = self._search(chain, _compiled(pattern))
            if found is not None:
                return found
        for text in hint.texts:
            found = self._find_words(chain, text, locale)
            if found is not None:
                return found
        first = self.path(names[0]) if names else None
        return self.display(first), None

    def _search(self, chain: Sequence[str], pattern: re.Pattern[str]) -> Location | None:
        for name in dict.fromkeys(chain):
            text = self.text(name)
            if text is None:
                continue
            match = pattern.search(text)
            if match is not None:
                # The line where the match ends: a pattern may lead up to what it looks for
                # (a CSS rule's selector, then the property).
                end = max(match.start(), match.end() - 1)
                return self.display(self.path(name)), text.count("\n", 0, end) + 1
        return None

    def _find_words(self, chain: Sequence[str], words: str, locale: str | None) -> Location | None:
        folded = fold(words)
        parts = _WORD.findall(folded)
        if not parts:
            return None
        if locale is not None:
            for path, line, string in self._catalog(locale):
                if folded in string:
                    return self.display(path), line
        pattern = re.compile(r"\W+".join(map(re.escape, parts)))
        for name in dict.fromkeys(chain):
            if name not in self._folded:
                self._folded[name] = fold(self.text(name) or "")
            match = pattern.search(self._folded[name])
            if match is not None:
                return self.display(self.path(name)), self._folded[name].count(
                    "\n", 0, match.start()
                ) + 1
        return None

    def _catalog(self, locale: str) -> list[tuple[Path, int, str]]:
        """The translations serving ``locale``: file, line and folded ``msgstr``."""
        if locale not in self._catalogs:
            entries: list[tuple[Path, int, str]] = []
            for path in catalog_files(locale, self.environment.folders):
                entries += _translations(path)
            self._catalogs[locale] = entries
        return self._catalogs[locale]


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


def _translations(path: Path) -> list[tuple[Path, int, str]]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if string and isinstance(string, str) and message.lineno is not None:
                found.append((path, message.lineno, fold(string)))
    return found
