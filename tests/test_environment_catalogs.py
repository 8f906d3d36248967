"""What templates translate with: the message's catalog, kept per locale, read again when edited."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sellercomms.environment import TemplateEnvironment, builtin_templates_dir

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def seller_folder(tmp_path: Path, translation: str) -> Path:
    folder = tmp_path / "templates"
    (folder / "emails").mkdir(parents=True)
    (folder / "emails" / "note.html").write_text(
        '{{ _("Thank you, %(name)s", name=name) }}|{{ _("100%% sure") }}', encoding="utf-8"
    )
    (folder / "emails" / "note.txt").write_text(
        '{{ _("Thank you, %(name)s", name=name) }}', encoding="utf-8"
    )
    write_catalog(folder, translation)
    return folder


def write_catalog(folder: Path, translation: str) -> None:
    po = folder / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    existed = po.exists()
    po.write_text(
        f'{PO_HEADER}msgid "Thank you, %(name)s"\nmsgstr "{translation}"\n', encoding="utf-8"
    )
    if existed:
        # A file system's clock may not tick between two writes in a row; an edit does.
        later = po.stat().st_mtime_ns + 10**9
        os.utime(po, ns=(later, later))


def render(environment: TemplateEnvironment, name: str, locale: str = "de_DE") -> str:
    with environment.rendering(locale):
        return environment.render(name, {"name": "<Ada>"})


def test_the_catalog_of_a_locale_is_kept_until_its_file_changes(tmp_path: Path) -> None:
    folder = seller_folder(tmp_path, "Danke, %(name)s")
    environment = TemplateEnvironment(folder)
    kept = environment.translations("de_DE")
    assert environment.translations("de_DE") is kept
    assert render(environment, "emails/note.txt") == "Danke, <Ada>"
    write_catalog(folder, "Vielen Dank, %(name)s")
    assert environment.translations("de_DE") is not kept
    assert render(environment, "emails/note.txt") == "Vielen Dank, <Ada>"


def test_a_removed_catalog_is_no_longer_used(tmp_path: Path) -> None:
    folder = seller_folder(tmp_path, "Danke, %(name)s")
    environment = TemplateEnvironment(folder)
    assert render(environment, "emails/note.txt") == "Danke, <Ada>"
    shutil.rmtree(folder / "locale")
    assert render(environment, "emails/note.txt") == "Thank you, <Ada>"


def test_translations_escape_their_variables_in_html_only(tmp_path: Path) -> None:
    environment = TemplateEnvironment(seller_folder(tmp_path, "Danke, %(name)s"))
    assert render(environment, "emails/note.html") == "Danke, &lt;Ada&gt;|100% sure"
    assert render(environment, "emails/note.txt", locale="en_US") == "Thank you, <Ada>"


def test_each_locale_has_its_own_catalog() -> None:
    environment = TemplateEnvironment()
    assert environment.folders[-1] == builtin_templates_dir().resolve()
    german, french = environment.translations("de_DE"), environment.translations("fr_FR")
    assert german.gettext("Leave seller feedback") == "Verkäufer bewerten"
    assert french.gettext("Leave seller feedback") != german.gettext("Leave seller feedback")
