"""Amazon's Communication Guidelines beyond links and contact details: Amazon's own pages,
emoji, images, the order id, opt-out text, one proactive message, the buyer's language."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sellercomms import PolicyError, Renderer, Seller, due_messages, get_channel, parse_order
from sellercomms.checks import check_templates
from sellercomms.checks.wording import Texts, wording_issues
from sellercomms.messages import MESSAGES
from tests.template_helpers import seller_template

AMAZON_ORDER = "113-7654321-1234567"
NOW = datetime.fromisoformat("2026-12-04T12:00:00-05:00")


@pytest.fixture
def amazon_dict(order_dicts: list[dict[str, Any]]) -> dict[str, Any]:
    data = next(o for o in order_dicts if o["order_id"] == AMAZON_ORDER)
    data["shipments"][0]["delivered_at"] = "2026-11-25T15:00:00-05:00"
    return data


def note(tmp_path: Path, seller: Seller, body: str) -> Renderer:
    return Renderer(seller, seller_template(tmp_path, "note", body))


def render_note(tmp_path: Path, seller: Seller, body: str, order: dict[str, Any], **kw: Any) -> Any:
    return note(tmp_path, seller, body).email("note", parse_order(order), **kw)


ORDER_LINE = "<p>Your order {{ order.order_id }}.</p>"


# --- Amazon's own pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.amazon.com/gp/your-account/order-details?orderID={{ order.order_id }}",
        "https://www.amazon.com/gp/css/order-history",
        "https://www.amazon.com/your-orders/orders",
        "https://www.amazon.co.uk/review/review-your-purchases",
    ],
)
def test_links_to_amazons_order_and_review_pages_are_allowed(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any], url: str
) -> None:
    mail = render_note(
        tmp_path, seller, f'{ORDER_LINE}<a href="{url}">Your Orders</a>', amazon_dict
    )
    assert "amazon." in mail.html


@pytest.mark.parametrize(
    "url",
    [
        "https://www.amazon.com/dp/B0EXAMPLE1",  # a product detail page
        "https://www.amazon.com/stores/page/ACME",  # a storefront
        "http://www.amazon.com/your-orders",  # not https
        "https://www.amazon.com.evil.example/your-orders",
    ],
)
def test_other_amazon_pages_are_still_refused(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any], url: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        render_note(tmp_path, seller, f'{ORDER_LINE}<a href="{url}">look</a>', amazon_dict)
    assert caught.value.rule == "amazon.only-needed-links"


# --- emoji --------------------------------------------------------------------------------


@pytest.mark.parametrize("emoji", ["😊", "📦", "⭐", "✅", "❤️", "🇺🇸"])
def test_emoji_are_refused_on_amazon(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any], emoji: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        render_note(tmp_path, seller, f"{ORDER_LINE}<p>Enjoy {emoji}</p>", amazon_dict)
    assert caught.value.rule == "amazon.no-emoji"


def test_emoji_are_fine_on_the_own_channel(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any]
) -> None:
    mail = render_note(tmp_path, seller, f"{ORDER_LINE}<p>Enjoy 😊</p>", amazon_dict, channel="own")
    assert "😊" in mail.text


def test_an_emoji_the_buyer_wrote_is_not_the_sellers(
    renderer: Renderer, amazon_dict: dict[str, Any]
) -> None:
    amazon_dict["customer"]["name"] = "Ada 🌸 Lovelace"
    amazon_dict["ship_to"]["name"] = "Ada 🌸 Lovelace"
    mail = renderer.email("review_request", parse_order(amazon_dict))
    assert "🌸" in mail.text


# --- images -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ('<img src="https://pixel.tracker.example/o.gif" width="1" height="1" alt="">', "pixel"),
        ('<img src="https://acme.example/o.gif" width="1" height="1" alt="">', "pixel"),
        ('<img src="https://cdn.other.example/banner.png" width="600" alt="">', "cdn.other"),
    ],
)
def test_third_party_images_and_pixels_are_refused(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any], image: str, words: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        render_note(tmp_path, seller, f"{ORDER_LINE}{image}", amazon_dict)
    assert caught.value.rule == "amazon.no-third-party-images"
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "src",
    ["https://acme.example/logo.png", "https://m.media-amazon.com/images/I/mug.jpg", "cid:logo"],
)
def test_the_sellers_own_and_amazons_images_are_fine(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any], src: str
) -> None:
    image = f'<img src="{src}" width="160" alt="Acme">'
    assert src in render_note(tmp_path, seller, f"{ORDER_LINE}{image}", amazon_dict).html


def test_a_linked_image_is_refused(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any]
) -> None:
    body = (
        f'{ORDER_LINE}<a href="https://www.amazon.com/your-orders">'
        '<img src="https://acme.example/logo.png" width="160" alt="Acme"></a>'
    )
    with pytest.raises(PolicyError) as caught:
        render_note(tmp_path, seller, body, amazon_dict)
    assert caught.value.rule == "amazon.no-linked-logo"


# --- the order id -------------------------------------------------------------------------


def test_a_message_naming_the_order_passes(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any]
) -> None:
    folder = seller_template(tmp_path, "note", ORDER_LINE, subject="Hi", layout=False)
    assert AMAZON_ORDER in Renderer(seller, folder).email("note", parse_order(amazon_dict)).text


def test_a_proactive_message_without_the_order_id_is_refused(
    tmp_path: Path, seller: Seller, amazon_dict: dict[str, Any]
) -> None:
    folder = seller_template(tmp_path, "note", "<p>Hello, how is it going?</p>", layout=False)
    with pytest.raises(PolicyError) as caught:
        Renderer(seller, folder).email("note", parse_order(amazon_dict))
    assert caught.value.rule == "amazon.order-id-in-message"
    assert AMAZON_ORDER in str(caught.value)


def test_check_fails_a_custom_template_without_the_order_id(
    tmp_path: Path, amazon_dict: dict[str, Any]
) -> None:
    folder = seller_template(
        tmp_path, "note", "<p>Hello, how is it going?</p>", subject="Hi", layout=False
    )
    report = check_templates(
        folder, orders=[parse_order(amazon_dict)], locales=["en_US"], messages=["note"]
    )
    failing = [f for f in report.findings if f.rule == "amazon.order-id-in-message"]
    assert failing and failing[0].severity == "error" and failing[0].channels == ("amazon",)


def test_the_built_in_review_request_names_the_order(
    renderer: Renderer, amazon_dict: dict[str, Any]
) -> None:
    mail = renderer.email("review_request", parse_order(amazon_dict))
    assert AMAZON_ORDER in mail.text and AMAZON_ORDER in mail.html


# --- opt-out text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en_US", "Reply STOP to opt out of these messages."),
        ("en_GB", "To unsubscribe, reply STOP."),
        ("de_DE", "Antworten Sie mit STOP, wenn Sie keine Nachrichten mehr erhalten möchten."),
        ("fr_FR", "Pour vous désinscrire, répondez STOP."),
        ("es_ES", "Para darse de baja, responda STOP."),
        ("it_IT", "Per disiscriverti, rispondi STOP."),
        ("ja_JP", "配信停止をご希望の場合はSTOPと返信してください。"),
        ("ar_SA", "لإلغاء الاشتراك أرسل STOP."),
    ],
)
def test_opt_out_text_is_an_error_on_amazon_in_every_language(locale: str, words: str) -> None:
    texts = Texts("", "", words, words, ())
    amazon = wording_issues(
        texts, message=MESSAGES["review_request"], channel=get_channel("amazon"), locale=locale
    )
    assert [(i.rule, i.severity) for i in amazon][:1] == [("amazon.no-opt-out-text", "error")]
    own = wording_issues(
        texts, message=MESSAGES["review_request"], channel=get_channel("own"), locale=locale
    )
    assert not [i for i in own if i.rule == "amazon.no-opt-out-text"]


def test_the_built_in_messages_say_nothing_about_opting_out() -> None:
    report = check_templates(channels=["amazon"], locales=["en_US", "de_DE", "ja_JP"])
    assert not [f for f in report.findings if f.rule == "amazon.no-opt-out-text"]


# --- one proactive message per order ------------------------------------------------------


def test_a_resolution_after_the_review_request_is_suppressed(amazon_dict: dict[str, Any]) -> None:
    amazon_dict["events"] = {
        "solicited_at": "2026-12-01T10:00:00-05:00",
        "feedback": {"rating": 1, "left_at": "2026-12-02T10:00:00-05:00"},
    }
    entry = due_messages(parse_order(amazon_dict), NOW).entry("resolution")
    assert (entry.status, entry.reason, entry.rule) == (
        "suppressed",
        "already_contacted",
        "amazon.one-proactive-message-per-order",
    )
    assert "Request a Review" in entry.detail


def test_a_review_request_after_a_resolution_is_suppressed(amazon_dict: dict[str, Any]) -> None:
    amazon_dict["events"] = {"resolved_at": "2026-11-28T10:00:00-05:00"}
    entry = due_messages(parse_order(amazon_dict), NOW).entry("review_request")
    assert (entry.reason, entry.rule) == (
        "already_contacted",
        "amazon.one-proactive-message-per-order",
    )


def test_the_own_channel_may_ask_after_a_resolution(amazon_dict: dict[str, Any]) -> None:
    amazon_dict["events"] = {"resolved_at": "2026-11-28T10:00:00-05:00"}
    entry = due_messages(parse_order(amazon_dict), NOW, channel="own").entry("review_request")
    assert entry.status == "due"


def test_a_resolution_without_an_earlier_message_is_due(amazon_dict: dict[str, Any]) -> None:
    amazon_dict["events"] = {"feedback": {"rating": 2, "left_at": "2026-12-02T10:00:00-05:00"}}
    assert due_messages(parse_order(amazon_dict), NOW).entry("resolution").status == "due"


# --- the buyer's language -----------------------------------------------------------------


def test_the_buyers_language_picks_the_locale(
    renderer: Renderer, amazon_dict: dict[str, Any]
) -> None:
    amazon_dict["buyer_language"] = "de-DE"
    mail = renderer.email("review_request", parse_order(amazon_dict))
    assert mail.locale == "de_DE"
    assert "Bewertung" in mail.text
    assert renderer.email("review_request", parse_order(amazon_dict), locale="fr_FR").locale == (
        "fr_FR"
    )


def test_no_catalog_for_the_buyers_language_suppresses_with_the_alternative(
    amazon_dict: dict[str, Any],
) -> None:
    amazon_dict["buyer_language"] = "pt-BR"
    entry = due_messages(parse_order(amazon_dict), NOW).entry("review_request")
    assert (entry.status, entry.reason, entry.rule) == (
        "suppressed",
        "no_catalog",
        "amazon.buyer-language",
    )
    assert "pt_BR" in entry.detail and "Request a Review" in entry.detail


@pytest.mark.parametrize("language", ["ja-JP", "en-GB", "es-MX", "ar-SA"])
def test_a_language_with_a_catalog_is_planned(amazon_dict: dict[str, Any], language: str) -> None:
    amazon_dict["buyer_language"] = language
    assert due_messages(parse_order(amazon_dict), NOW).entry("review_request").status == "due"


def test_the_language_rule_is_amazons(amazon_dict: dict[str, Any]) -> None:
    amazon_dict["buyer_language"] = "pt-BR"
    order = parse_order(amazon_dict)
    assert due_messages(order, NOW, channel="own").entry("review_request").status == "due"
    planned = due_messages(order, NOW, languages=["en", "pt"])
    assert planned.entry("review_request").status == "due"


def test_an_unknown_buyer_language_is_an_input_error(amazon_dict: dict[str, Any]) -> None:
    from sellercomms import InputError

    amazon_dict["buyer_language"] = "klingon"
    with pytest.raises(InputError, match="buyer_language"):
        parse_order(amazon_dict)
