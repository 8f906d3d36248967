"""The US FTC rule on consumer reviews (16 CFR 465) on the seller's own channel: no incentive
for a review of a particular sentiment (465.4), no review suppression (465.7), in every
shipped language."""

from __future__ import annotations

from pathlib import Path

import pytest

from sellercomms import Order, get_channel
from sellercomms.checks import check_templates
from sellercomms.checks.wording import Texts, wording_issues
from sellercomms.messages import MESSAGES
from tests.template_helpers import seller_template

SENTIMENT = "own.ftc-sentiment-incentive"
SUPPRESSION = "own.ftc-review-suppression"

CONDITIONED = [
    ("en_US", "Leave a 5-star review and get a $10 gift card."),
    ("en_GB", "Leave a five-star review and we will send you a voucher."),
    ("de_DE", "Für eine 5-Sterne-Bewertung erhalten Sie einen Gutschein über 10 €."),
    ("fr_FR", "Laissez un avis 5 étoiles et recevez un bon de réduction."),
    ("es_ES", "Deje una reseña de 5 estrellas y reciba un cupón de descuento."),
    ("it_IT", "Lasci una recensione a 5 stelle e riceva un buono sconto."),
    ("ja_JP", "星5のレビューを書いていただいた方にクーポンを差し上げます。"),
    ("ar_SA", "اترك تقييم 5 نجوم واحصل على كوبون خصم."),
]

SUPPRESSING = [
    ("en_US", "Please contact us before leaving a negative review."),
    ("en_GB", "Do not leave negative feedback: we take legal action over false reviews."),
    ("de_DE", "Bitte melden Sie sich bei uns, bevor Sie eine negative Bewertung abgeben."),
    ("fr_FR", "Contactez-nous avant de laisser un avis négatif."),
    ("es_ES", "Contáctenos antes de dejar una reseña negativa."),
    ("it_IT", "Ci contatti prima di lasciare una recensione negativa."),
    ("ja_JP", "低評価をつける前にご連絡ください。"),
    ("ar_SA", "يرجى التواصل معنا قبل ترك تقييم سلبي."),
]

NEUTRAL = [
    ("en_US", "Whether your experience was good or bad, we would value your honest review."),
    ("de_DE", "Ob gut oder schlecht: Wir freuen uns über Ihre ehrliche Bewertung."),
    ("fr_FR", "Que votre expérience soit bonne ou mauvaise, votre avis honnête compte."),
    ("es_ES", "Tanto si su experiencia fue buena como mala, valoramos su opinión sincera."),
    ("it_IT", "Che la sua esperienza sia stata buona o cattiva, la sua opinione conta."),
    ("ja_JP", "良い点も悪い点も、率直なご意見をお聞かせください。"),
    ("ar_SA", "سواء كانت تجربتك جيدة أو سيئة، نقدر رأيك الصادق."),
]


def rules_on(channel: str, locale: str, words: str) -> dict[str, str]:
    issues = wording_issues(
        Texts("", "", words, words, ()),
        message=MESSAGES["review_request"],
        channel=get_channel(channel),
        locale=locale,
    )
    return {issue.rule: issue.severity for issue in issues}


@pytest.mark.parametrize(("locale", "words"), CONDITIONED)
def test_an_incentive_for_a_positive_review_fails_on_the_own_channel(
    locale: str, words: str
) -> None:
    assert rules_on("own", locale, words).get(SENTIMENT) == "error"


@pytest.mark.parametrize(("locale", "words"), SUPPRESSING)
def test_review_suppression_fails_on_the_own_channel(locale: str, words: str) -> None:
    assert rules_on("own", locale, words).get(SUPPRESSION) == "error"


@pytest.mark.parametrize(("locale", "words"), NEUTRAL)
def test_a_neutral_request_passes(locale: str, words: str) -> None:
    found = rules_on("own", locale, words)
    assert SENTIMENT not in found and SUPPRESSION not in found


def test_an_incentive_for_any_review_is_not_the_ftc_rule() -> None:
    # Offered for every review, whatever it says: 465.4 does not apply; sellercomms still
    # warns (marketplaces forbid it outright).
    found = rules_on("own", "en_US", "Leave a review and get a $10 gift card.")
    assert SENTIMENT not in found and found.get("wording.incentive") == "warning"


def test_the_ftc_rules_are_the_own_channels() -> None:
    found = rules_on("amazon", "en_US", "Please contact us before leaving a negative review.")
    assert SUPPRESSION not in found


def test_the_built_in_messages_pass_the_ftc_rules() -> None:
    report = check_templates(channels=["own"])
    assert not [f for f in report.findings if f.rule in {SENTIMENT, SUPPRESSION}]


def test_check_finds_suppression_in_a_sellers_template(
    tmp_path: Path, orders_by_id: dict[str, Order]
) -> None:
    folder = seller_template(
        tmp_path,
        "note",
        "<p>Order {{ order.order_id }}: please contact us before leaving a negative review.</p>",
    )
    report = check_templates(
        folder,
        orders=[orders_by_id["ACME-1003"]],
        locales=["en_US"],
        channels=["own"],
        messages=["note"],
    )
    found = [f for f in report.findings if f.rule == SUPPRESSION]
    assert found and found[0].severity == "error"
    assert found[0].file is not None and found[0].file.endswith("note.html")
