"""Gettext catalogs for the templates, read from ``.po`` files next to them.

Catalogs live in ``<template folder>/locale/<language>/LC_MESSAGES/messages.po``.  They are
compiled in memory on first use, so neither the installed package nor a seller's own folder
needs a compile step.  A seller's folder wins over the built-in catalogs message by message,
and a regional catalog (``fr_CA``) over its language's (``fr``).
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = ["SHIPPED_LOCALES", "catalog_files", "translations_for"]

DOMAIN = "messages"

#: Locales the built-in templates are written or translated for; ``en_US`` is the source.
SHIPPED_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "ja_JP", "ar_SA")


def catalog_files(locale: str | Locale, folders: Sequence[Path]) -> list[Path]:
    """The ``.po`` files that serve ``locale``, the one that wins first.

    Only files inside their folder count, as for templates (:mod:`sellercomms.loader`).
    """
    parsed = Locale.parse(locale)
    names = [str(parsed)]
    if parsed.territory or parsed.script:
        names.append(parsed.language)
    candidates = (
        (folder.resolve(), folder / "locale" / name / "LC_MESSAGES" / f"{DOMAIN}.po")
        for folder in folders
        for name in names
    )
    # As for templates: a symbolic link that leads out of its folder is not followed.
    return [
        path
        for folder, path in candidates
        if path.is_file() and path.resolve().is_relative_to(folder)
    ]


def translations_for(locale: str | Locale, folders: Sequence[Path]) -> gettext.NullTranslations:
    """Translations for ``locale`` from ``folders`` (first wins); the msgids where none."""
    files = catalog_files(locale, folders)
    if not files:
        return gettext.NullTranslations()
    # Modification times are part of the key so an edited catalog is read again.
    stamps = tuple((path, path.stat().st_mtime_ns) for path in files)
    return _compile(str(Locale.parse(locale)), stamps)


@lru_cache(maxsize=64)
def _compile(locale: str, stamps: tuple[tuple[Path, int], ...]) -> gettext.GNUTranslations:
    merged = Catalog(locale=locale, domain=DOMAIN)
    for path, _ in reversed(stamps):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.string and not message.fuzzy:
                    # Catalog keeps the first translation it is given for an id; a later
                    # folder's must replace it.
                    merged.delete(message.id, context=message.context)
                    merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
