"""Errors cross process and machine boundaries intact: pickled, they read the same."""

from __future__ import annotations

import pickle

import pytest

from sellercomms.exceptions import (
    InputError,
    InputFileError,
    PolicyError,
    RenderError,
    SellerCommsError,
    TemplateError,
    TemplateNotFound,
)

ERRORS = [
    InputError("must be at least 1", path="items[0].quantity", order_id="A-1", index=3),
    InputFileError("not valid JSON", filename="orders.json"),
    TemplateError("unexpected end", name="emails/x.html", lineno=4, filename="/t/emails/x.html"),
    TemplateNotFound("no template 'y'"),
    PolicyError("review_request: no links", channel="amazon", rule="amazon.only-needed-links"),
    RenderError("the packing slip could not be laid out"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: type(error).__name__)
def test_a_pickled_error_is_the_same_error(error: SellerCommsError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (str(copy), copy.args, copy.exit_code) == (str(error), error.args, error.exit_code)
    assert vars(copy) == vars(error)
    if isinstance(error, OSError):
        assert copy.filename == error.filename
