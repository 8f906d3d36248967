"""The public API: what ``sellercomms`` exports is a promise, so changes show up here."""

from __future__ import annotations

import sellercomms


def test_public_names() -> None:
    exported = {name for name in dir(sellercomms) if not name.startswith("_")}
    modules = {name for name in exported if type(getattr(sellercomms, name)).__name__ == "module"}
    assert exported - modules == {
        "ChannelRules",
        "CheckFinding",
        "CheckReport",
        "FeedbackReport",
        "Formatter",
        "GiftCertificateData",
        "InputError",
        "InputFileError",
        "MARKETPLACES",
        "MESSAGES",
        "Marketplace",
        "MessageLinks",
        "Order",
        "Plan",
        "PlanEntry",
        "PolicyError",
        "RefundData",
        "RenderError",
        "RenderedEmail",
        "RenderedSlip",
        "Renderer",
        "ReplacementData",
        "ReturnData",
        "Seller",
        "SellerCommsError",
        "SlipBatch",
        "SlipFailure",
        "TemplateError",
        "TemplateNotFound",
        "Tracking",
        "check_templates",
        "due_messages",
        "feedback_report",
        "get_channel",
        "load_orders",
        "load_seller",
        "parse_order",
        "parse_seller",
        "read_feedback",
        "read_orders",
        "sample_orders",
        "sample_seller",
        "track",
        "verify_unsubscribe_token",
    }


def test_errors_form_one_tree() -> None:
    for name in ("InputError", "TemplateError", "PolicyError", "RenderError"):
        assert issubclass(getattr(sellercomms, name), sellercomms.SellerCommsError)
    assert issubclass(sellercomms.InputError, ValueError)
    assert issubclass(sellercomms.TemplateNotFound, LookupError)


def test_version_comes_from_the_installed_metadata() -> None:
    from importlib.metadata import version

    assert sellercomms.__version__ == version("sellercomms")
