"""Which templates a seller's folder overrides and which e-mails it adds."""

from __future__ import annotations

from pathlib import Path

from sellercomms.template_files import added_emails, overrides
from tests.template_helpers import seller_template


def test_a_folder_adds_its_own_messages_but_not_its_parts_or_overrides(tmp_path: Path) -> None:
    seller_template(tmp_path, "welcome_back", "<p>Hello again</p>")
    seller_template(tmp_path, "a_note", "<p>A note</p>")
    seller_template(tmp_path, "review_request", "<p>Overridden</p>")
    (tmp_path / "emails" / "_footer.html").write_text("<p>part</p>", encoding="utf-8")
    assert added_emails(tmp_path) == ("a_note", "welcome_back")
    assert overrides(tmp_path, "emails/review_request.html")
    assert not overrides(tmp_path, "emails/shipping_confirmation.html")
    assert not overrides(tmp_path, "emails")


def test_no_folder_holds_nothing(tmp_path: Path) -> None:
    assert added_emails(None) == ()
    assert added_emails(tmp_path) == ()
    assert not overrides(None, "emails/review_request.html")
