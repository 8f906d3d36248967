"""``{unsubscribe_token}``: an unguessable one-click unsubscribe link (RFC 8058), and the check
the seller's endpoint makes with ``verify_unsubscribe_token``."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sellercomms import InputError, Order, Renderer, parse_seller, verify_unsubscribe_token
from sellercomms.unsubscribe import SECRET_VARIABLE, unsubscribe_token

SECRET = "correct horse battery staple"
PATTERN = "https://acme.example/unsubscribe?order={order_id}&m={message}&t={unsubscribe_token}"


def seller_with(seller_data: dict[str, Any], **changes: Any) -> Any:
    return parse_seller({**seller_data, **changes})


@pytest.fixture
def seller_data(seller: Any) -> dict[str, Any]:
    data: dict[str, Any] = seller.model_dump(mode="json", exclude_none=True)
    data.pop("logo", None)  # a file next to the sample profile, not next to this one
    data["links"] = {**data.get("links", {}), "unsubscribe": PATTERN}
    return data


def header_link(raw: bytes) -> dict[str, list[str]]:
    parsed = email.message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    value = str(parsed["List-Unsubscribe"])
    assert value.startswith("<https://acme.example/unsubscribe?") and value.endswith(">")
    return parse_qs(urlsplit(value[1:-1]).query)


def test_the_link_carries_a_token_the_endpoint_accepts(
    seller_data: dict[str, Any], orders_by_id: dict[str, Order]
) -> None:
    renderer = Renderer(seller_with(seller_data, unsubscribe_secret=SECRET))
    mail = renderer.email("review_request", orders_by_id["ACME-1003"])
    query = header_link(mail.to_bytes())
    assert query["order"] == ["ACME-1003"] and query["m"] == ["review_request"]
    (token,) = query["t"]
    assert len(token) == 43 and "ACME" not in token
    assert verify_unsubscribe_token(
        token, order_id="ACME-1003", message="review_request", secret=SECRET
    )
    assert token in mail.text  # the footer's visible link is the same


@pytest.mark.parametrize(
    ("order_id", "message", "secret"),
    [
        ("ACME-1004", "review_request", SECRET),
        ("ACME-1003", "delivery_checkin", SECRET),
        ("ACME-1003", "review_request", "another secret, just as long"),
    ],
)
def test_a_token_is_good_for_its_order_message_and_secret_only(
    order_id: str, message: str, secret: str
) -> None:
    token = unsubscribe_token("ACME-1003", "review_request", secret=SECRET)
    assert not verify_unsubscribe_token(token, order_id=order_id, message=message, secret=secret)


def test_a_tampered_or_foreign_token_is_refused() -> None:
    token = unsubscribe_token("ACME-1003", "review_request", secret=SECRET)
    flipped = ("A" if token[0] != "A" else "B") + token[1:]
    for bad in (flipped, token[:-1], "", "ACME-1003", "☃" * 43):
        assert not verify_unsubscribe_token(
            bad, order_id="ACME-1003", message="review_request", secret=SECRET
        )


def test_the_environment_holds_the_secret_when_the_profile_does_not(
    seller_data: dict[str, Any], orders_by_id: dict[str, Order], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, SECRET)
    mail = Renderer(seller_with(seller_data)).email("delivery_checkin", orders_by_id["ACME-1003"])
    (token,) = header_link(mail.to_bytes())["t"]
    assert verify_unsubscribe_token(token, order_id="ACME-1003", message="delivery_checkin")


def test_the_profiles_secret_wins_over_the_environment(
    seller_data: dict[str, Any], orders_by_id: dict[str, Order], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, "the environment's secret, long enough")
    renderer = Renderer(seller_with(seller_data, unsubscribe_secret=SECRET))
    mail = renderer.email("review_request", orders_by_id["ACME-1003"])
    (token,) = header_link(mail.to_bytes())["t"]
    assert verify_unsubscribe_token(
        token, order_id="ACME-1003", message="review_request", secret=SECRET
    )
    assert not verify_unsubscribe_token(token, order_id="ACME-1003", message="review_request")


def test_a_token_without_a_secret_is_an_input_error(
    seller_data: dict[str, Any], orders_by_id: dict[str, Order], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    renderer = Renderer(seller_with(seller_data))
    with pytest.raises(InputError) as caught:
        renderer.email("review_request", orders_by_id["ACME-1003"])
    assert caught.value.path == "links.unsubscribe"
    assert SECRET_VARIABLE in caught.value.message
    with pytest.raises(ValueError, match=SECRET_VARIABLE):
        verify_unsubscribe_token("x", order_id="ACME-1003", message="review_request")


def test_transactional_messages_need_no_secret(
    seller_data: dict[str, Any], orders_by_id: dict[str, Order], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    mail = Renderer(seller_with(seller_data)).email(
        "shipping_confirmation", orders_by_id["ACME-1003"]
    )
    assert "List-Unsubscribe" not in mail.headers


def test_a_short_secret_is_refused(seller_data: dict[str, Any]) -> None:
    with pytest.raises(InputError, match="unsubscribe_secret"):
        seller_with(seller_data, unsubscribe_secret="short")


def test_the_secret_stays_out_of_templates_and_reprs(
    seller_data: dict[str, Any], orders_by_id: dict[str, Order]
) -> None:
    seller = seller_with(seller_data, unsubscribe_secret=SECRET)
    assert SECRET not in repr(seller)
    context = Renderer(seller).context("review_request", orders_by_id["ACME-1003"])
    assert not hasattr(context.seller, "unsubscribe_secret")
