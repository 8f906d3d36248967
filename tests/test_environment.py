"""The template environment: overrides, sandbox, strict variables and errors that point home."""

from __future__ import annotations

from pathlib import Path

import pytest

from sellercomms import Order, Renderer, Seller, TemplateError, TemplateNotFound
from sellercomms.environment import TemplateEnvironment, builtin_templates_dir

TEMPLATES = Path(__file__).parent / "resources" / "templates"


def test_builtin_templates_are_found() -> None:
    assert (builtin_templates_dir() / "emails" / "shipping_confirmation.html").is_file()


def test_user_folder_overrides_a_builtin_by_name(seller: Seller, orders: list[Order]) -> None:
    mail = Renderer(seller, TEMPLATES / "override").email("shipping_confirmation", orders[2])
    assert mail.subject == "Shipped: ACME-1003"
    assert mail.text == "Hello Katherine Johnson, your parcel is on its way.\n"
    # The stylesheet of the override was inlined like a built-in one.
    assert 'style="color:#123456"' in mail.html


def test_templates_not_overridden_still_come_from_the_builtins(tmp_path: Path) -> None:
    env = TemplateEnvironment(TEMPLATES / "override")
    assert env.folder_of("emails/shipping_confirmation.html") == TEMPLATES / "override"
    assert env.folder_of("emails/_base.html") == builtin_templates_dir()


def test_missing_template_folder(seller: Seller, tmp_path: Path) -> None:
    with pytest.raises(TemplateNotFound, match="template folder not found"):
        Renderer(seller, tmp_path / "nope")


def test_unknown_message(renderer: Renderer, orders: list[Order]) -> None:
    with pytest.raises(TemplateNotFound, match="no message 'shiping_confirmation'"):
        renderer.email("shiping_confirmation", orders[2])


def test_syntax_error_names_template_and_line(seller: Seller, orders: list[Order]) -> None:
    renderer = Renderer(seller, TEMPLATES / "syntax_error")
    with pytest.raises(TemplateError) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert caught.value.name == "emails/shipping_confirmation.html"
    assert caught.value.lineno == 5
    assert str(caught.value.filename).endswith("syntax_error/emails/shipping_confirmation.html")


def test_undefined_variable_names_template_and_line(seller: Seller, orders: list[Order]) -> None:
    renderer = Renderer(seller, TEMPLATES / "undefined")
    with pytest.raises(TemplateError) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert caught.value.message == "undefined variable 'tracking_link'"
    assert caught.value.name == "emails/shipping_confirmation.html"
    assert str(caught.value.filename).endswith("undefined/emails/shipping_confirmation.html")
    assert caught.value.lineno == 7


def test_sandbox_stops_an_escape(seller: Seller, orders: list[Order]) -> None:
    renderer = Renderer(seller, TEMPLATES / "sandbox")
    with pytest.raises(TemplateError, match="not allowed in the sandbox") as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert caught.value.lineno == 6


def test_customer_text_is_escaped_and_never_evaluated(
    seller: Seller, order_dict: dict[str, object]
) -> None:
    from sellercomms import parse_order

    order_dict["customer"] = {"name": "{{ 7*7 }} <script>alert(1)</script>"}
    order = parse_order(order_dict)
    mail = Renderer(seller, TEMPLATES / "override").email("shipping_confirmation", order)
    assert "{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert "<script>" not in mail.html
    assert "49" not in mail.html
    # The plain-text part shows the text as the customer typed it.
    assert "Hello {{ 7*7 }} <script>alert(1)</script>," in mail.text


def test_a_python_error_in_a_template_names_its_line(seller: Seller, orders: list[Order]) -> None:
    renderer = Renderer(seller, TEMPLATES / "python_error")
    with pytest.raises(TemplateError) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert caught.value.message == "ZeroDivisionError: integer division or modulo by zero"
    assert (caught.value.name, caught.value.lineno) == ("emails/shipping_confirmation.html", 6)
