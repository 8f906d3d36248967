"""The check's rules one by one: policy wording in every shipped language, client support."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from sellercomms.catalogs import SHIPPED_LOCALES
from sellercomms.channels import get_channel
from sellercomms.checks.caniemail import snapshot
from sellercomms.checks.clients import FEATURES, client_issues
from sellercomms.checks.html import read_html
from sellercomms.checks.phrases import LANGUAGES
from sellercomms.checks.wording import Texts, language_of, wording_issues
from sellercomms.messages import MESSAGES, MessageKind

REVIEW_REQUEST = MESSAGES["review_request"]

# For each language: an incentive, a positive-review ask, a feedback-change ask, "[Important]".
POLICY_WORDS = {
    "en": (
        "Leave a review and we will send you a $10 gift card.",
        "Please rate us with 5 stars!",
        "Could you please remove your negative feedback?",
        "[Important] How was your order?",
    ),
    "de": (
        "Für Ihre Bewertung erhalten Sie einen Gutschein über 10 €.",
        "Bitte bewerten Sie uns mit 5 Sternen.",
        "Könnten Sie Ihre Bewertung bitte ändern?",
        "[Wichtig] Wie war Ihre Bestellung?",
    ),
    "fr": (
        "Laissez un avis et recevez un bon d'achat de 10 €.",
        "Merci de nous donner 5 étoiles !",
        "Pourriez-vous modifier votre avis ?",
        "[Important] Comment s'est passée votre commande ?",
    ),
    "es": (
        "Deje una reseña y reciba un cupón de 10 €.",
        "Valórenos con 5 estrellas, por favor.",
        "¿Podría cambiar su valoración?",
        "[Importante] ¿Qué tal su pedido?",
    ),
    "it": (
        "Lascia una recensione e ricevi un buono sconto di 10 €.",
        "Lasciaci una recensione a 5 stelle!",
        "Potresti modificare la tua recensione?",
        "[Importante] Com'è andato il tuo ordine?",
    ),
    "ja": (
        "レビューを書いていただくと、500円分のギフト券をプレゼントします。",
        "星5つの評価をお願いします。",
        "評価を変更していただけますか。",
        "【重要】ご注文はいかがでしたか？",
    ),
    "ar": (
        "اترك تقييمًا واحصل على قسيمة خصم بقيمة 10 دولارات.",
        "يرجى تقييمنا بخمس نجوم.",
        "هل يمكنك تعديل تقييمك من فضلك؟",
        "[مهم] كيف كان طلبك؟",
    ),
}
RULES = (
    "wording.incentive",
    "wording.positive-review-ask",
    "wording.feedback-change-ask",
    "wording.important-tag",
)


def rules_found(
    text: str,
    locale: str,
    *,
    subject: str = "A note",
    channel: str = "amazon",
    message: MessageKind = REVIEW_REQUEST,
) -> set[str]:
    texts = Texts(subject, "", text, text, ())
    issues = wording_issues(texts, message=message, channel=get_channel(channel), locale=locale)
    return {issue.rule for issue in issues}


def test_every_shipped_locale_has_phrases() -> None:
    assert {language_of(locale) for locale in SHIPPED_LOCALES} == set(LANGUAGES)
    assert set(POLICY_WORDS) == set(LANGUAGES)


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
@pytest.mark.parametrize("index", range(3))
def test_policy_wording_in_every_shipped_language(locale: str, index: int) -> None:
    words = POLICY_WORDS[language_of(locale)][index]
    assert rules_found(words, locale) == {RULES[index]}


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_important_in_every_shipped_language(locale: str) -> None:
    subject = POLICY_WORDS[language_of(locale)][3]
    assert rules_found("", locale, subject=subject) == {"wording.important-tag"}
    # Critical order information may carry it.
    refund = MESSAGES["resolution_refund"]
    assert rules_found("", locale, subject=subject, message=refund) == set()


def test_english_phrases_count_in_every_message() -> None:
    assert rules_found("Please rate us with 5 stars!", "de_DE") == {"wording.positive-review-ask"}


@pytest.mark.parametrize(
    "words",
    [
        "Whether your experience was good or bad, an honest review helps other shoppers.",
        "Shipping: Free. Your refund of $5.00 is on its way.",
        "Rate the item from 1 to 5 stars.",
        "We have refunded you. Thank you for shopping with us.",
    ],
)
def test_neutral_words_are_no_finding(words: str) -> None:
    assert rules_found(words, "en_US") == set()


def test_the_orders_own_words_are_not_judged() -> None:
    texts = Texts("A note", "", "Five Star Towel, 2 pieces", "", ("Five Star Towel",))
    channel = get_channel("amazon")
    assert not wording_issues(texts, message=REVIEW_REQUEST, channel=channel, locale="en_US")


# Client support


def html(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="en" dir="ltr"><head>{head}</head><body>{body}</body></html>'


def client_messages(body: str, head: str = "") -> dict[str, str]:
    issues = client_issues(read_html(html(body, head)))
    return {issue.message.split(" is not")[0]: issue.severity for issue in issues}


def test_the_snapshot_covers_every_feature_detected() -> None:
    data = snapshot()
    assert set(FEATURES) <= set(data.features)
    assert data.date == "2026-05-13"


def test_the_snapshot_keeps_its_licence() -> None:
    folder = resources.files("sellercomms.checks") / "data"
    document = json.loads((folder / "caniemail.json").read_text("utf-8"))
    assert document["license"].startswith("MIT License")
    assert "Avi Goldman" in (folder / "caniemail-LICENSE").read_text("utf-8")


def test_severity_follows_what_is_lost() -> None:
    found = client_messages(
        '<div style="display:grid"><svg></svg>'
        '<table><tr><td style="border-radius:4px;font-size:1.5rem">x</td></tr></table></div>'
    )
    assert found["display:grid"] == "error"
    assert found["<svg>"] == "warning"
    assert found["rem units in font-size"] == "warning"
    assert found["border-radius"] == "info"


def test_media_queries_are_an_enhancement() -> None:
    found = client_messages(
        "<p>x</p>", "<style>@media (max-width: 480px) { .a { display: flex !important; } }</style>"
    )
    assert found == {"@media": "info"}


def test_what_outlook_does_not_see_is_not_held_against_outlook() -> None:
    hidden = client_messages('<div style="mso-hide:all;border-radius:4px">x</div>')
    assert hidden == {}
    conditional = client_messages(
        '<!--[if !mso]><!--><div style="border-radius:4px">x</div><!--<![endif]-->'
    )
    assert conditional == {}
    assert client_messages('<div style="border-radius:4px">x</div>') == {"border-radius": "info"}


def test_outlook_only_markup_is_not_read() -> None:
    found = client_messages('<!--[if mso]><div style="display:flex">x</div><![endif]--><p>x</p>')
    assert found == {}


def test_partial_support_is_reported_where_the_note_says_so() -> None:
    found = client_messages('<div style="max-width:600px">x</div><table style="max-width:600px">')
    assert found == {"max-width on <div>": "warning"}
    assert client_messages('<div style="width:100%;padding:0">x</div>') == {}
