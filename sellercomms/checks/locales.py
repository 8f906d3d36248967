"""Locales: message texts with no translation in a locale's catalogs.

The texts are extracted the way ``pybabel extract`` does (``pyproject.toml``'s mappings):
``**.html``, ``emails/**.txt`` and ``packing_slip/**.css`` of every template folder, each
file taken from the folder that wins for its name, so a seller's override counts instead of
the built-in it replaces.  A text is translated when the locale's catalogs (the seller's
``locale/`` folder over the built-in one, a region's over its language's) give every plural
form a translation that is not fuzzy.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from ..catalogs import SHIPPED_LOCALES, catalog_files

__all__ = ["Untranslated", "catalog_locales", "untranslated"]

_OPTIONS = {"extensions": "jinja2.ext.i18n"}


@dataclass(frozen=True, slots=True)
class Untranslated:
    """A text of template ``template`` (at ``path``, ``line``) with no translation in ``locale``.

    ``context`` is the ``pgettext`` context that tells the text apart, if any.
    """

    template: str
    path: Path
    line: int
    msgid: str
    context: str | None
    locale: str


def catalog_locales(folders: Sequence[Path]) -> tuple[str, ...]:
    """The shipped locales, then the languages a seller's folder adds catalogs for."""
    found = list(SHIPPED_LOCALES)
    languages = {Locale.parse(locale).language for locale in found}
    for folder in folders:
        for po in sorted((folder / "locale").glob("*/LC_MESSAGES/messages.po")):
            name = po.parent.parent.name
            if Locale.parse(name).language not in languages:
                languages.add(Locale.parse(name).language)
                found.append(name)
    return tuple(found)


def untranslated(
    folders: Sequence[Path], locales: Sequence[str], templates: Collection[str]
) -> Iterator[Untranslated]:
    """Each text of ``templates`` (names) that a locale's catalogs do not translate."""
    texts: list[tuple[str, Path, int, str, str | None]] | None = None
    for locale in locales:
        files = catalog_files(locale, folders)
        if not files:
            continue  # the source language, or one nothing is translated into
        catalogs = [_read(path, locale) for path in files]
        if texts is None:
            texts = list(_template_texts(folders, templates))
        for template, path, line, msgid, context in texts:
            if not any(_translated(catalog, msgid, context) for catalog in catalogs):
                yield Untranslated(template, path, line, msgid, context, locale)


def _template_texts(
    folders: Sequence[Path], templates: Collection[str]
) -> Iterator[tuple[str, Path, int, str, str | None]]:
    seen: set[str] = set()
    for folder in folders:
        for path in sorted(_extracted_files(folder)):
            name = path.relative_to(folder).as_posix()
            if name in seen or name not in templates:
                continue  # overridden by a folder searched before, or not used
            seen.add(name)
            for line, message, _, context in extract_from_file("jinja2", path, options=_OPTIONS):
                msgid = message if isinstance(message, str) else message[0]
                if msgid:
                    yield name, path, line, msgid, context


def _extracted_files(folder: Path) -> Iterator[Path]:
    yield from folder.rglob("*.html")
    yield from (folder / "emails").rglob("*.txt")
    yield from (folder / "packing_slip").rglob("*.css")


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _translated(catalog: Catalog, msgid: str, context: str | None) -> bool:
    message = catalog.get(msgid, context=context)
    if message is None or message.fuzzy:
        return False
    if isinstance(message.string, tuple):
        return all(message.string) and len(message.string) == catalog.num_plurals
    return bool(message.string)
