"""Gettext catalogs next to the templates: found by locale, merged, read without compiling."""

from __future__ import annotations

import shutil
from pathlib import Path

from sellercomms import Order, Renderer, Seller
from sellercomms.catalogs import catalog_files, translations_for

CATALOG = Path(__file__).parent / "resources" / "templates" / "catalog"


def test_a_seller_catalog_translates_the_builtin_templates(
    seller: Seller, orders_by_id: dict[str, Order]
) -> None:
    renderer = Renderer(seller, CATALOG)
    mail = renderer.email("shipping_confirmation", orders_by_id["ACME-1003"], locale="de_DE")
    assert "Verkäufer bewerten" in mail.html
    # Fuzzy entries are not finished translations: the English text stays.
    assert "(unfertig)" not in mail.html
    english = renderer.email("shipping_confirmation", orders_by_id["ACME-1003"], locale="en_US")
    assert "Leave seller feedback" in english.html


def test_regional_locale_falls_back_to_its_language() -> None:
    files = catalog_files("de_AT", [CATALOG])
    assert files == [CATALOG / "locale" / "de" / "LC_MESSAGES" / "messages.po"]
    assert translations_for("de_AT", [CATALOG]).gettext("Leave seller feedback") == (
        "Verkäufer bewerten"
    )


def test_unknown_language_keeps_the_english_text() -> None:
    assert translations_for("sv_SE", [CATALOG]).gettext("Leave seller feedback") == (
        "Leave seller feedback"
    )


def test_the_first_folder_wins_message_by_message(tmp_path: Path) -> None:
    mine = tmp_path / "locale" / "de" / "LC_MESSAGES"
    mine.mkdir(parents=True)
    (mine / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Thank you"\nmsgstr "Vielen Dank"\n',
        encoding="utf-8",
    )
    translations = translations_for("de_DE", [tmp_path, CATALOG])
    assert translations.gettext("Thank you") == "Vielen Dank"
    assert translations.gettext("Leave seller feedback") == "Verkäufer bewerten"


def test_the_first_folder_replaces_a_translation_of_the_next(tmp_path: Path) -> None:
    mine = tmp_path / "locale" / "de" / "LC_MESSAGES"
    mine.mkdir(parents=True)
    (mine / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Leave seller feedback"\nmsgstr "Bewerten Sie uns"\n',
        encoding="utf-8",
    )
    translations = translations_for("de_DE", [tmp_path, CATALOG])
    assert translations.gettext("Leave seller feedback") == "Bewerten Sie uns"


def test_an_edited_catalog_is_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(CATALOG, folder)
    po = folder / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    assert translations_for("de_DE", [folder]).gettext("Leave seller feedback") == (
        "Verkäufer bewerten"
    )
    po.write_text(po.read_text(encoding="utf-8").replace("bewerten", "beurteilen"), "utf-8")
    assert translations_for("de_DE", [folder]).gettext("Leave seller feedback") == (
        "Verkäufer beurteilen"
    )


def test_a_catalog_linked_from_outside_its_folder_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "messages.po"
    outside.parent.mkdir()
    shutil.copy(CATALOG / "locale" / "de" / "LC_MESSAGES" / "messages.po", outside)
    folder = tmp_path / "mine"
    (folder / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "locale" / "de" / "LC_MESSAGES" / "messages.po").symlink_to(outside)
    assert catalog_files("de_DE", [folder]) == []
    inside = folder / "shared.po"
    shutil.copy(outside, inside)
    (folder / "locale" / "de" / "LC_MESSAGES" / "messages.po").unlink()
    (folder / "locale" / "de" / "LC_MESSAGES" / "messages.po").symlink_to(inside)
    assert catalog_files("de_DE", [folder]) == [
        folder / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    ]
