"""Unsubscribe tokens: what ``{unsubscribe_token}`` in a link pattern is filled with.

RFC 8058 wants a one-click unsubscribe URI that a third party cannot guess: an order id alone
would let anyone unsubscribe anyone.  The token is an HMAC-SHA256 of the order id and the
message (the template name) under the seller's secret, base64url without padding (43
characters).  The seller's unsubscribe endpoint checks it with
:func:`verify_unsubscribe_token` before it records ``events.opted_out``.

The secret is the seller profile's ``unsubscribe_secret``, else the environment variable
``SELLERCOMMS_UNSUBSCRIBE_SECRET`` (so it need not sit in a file next to the templates).

>>> token = unsubscribe_token("ACME-1003", "review_request", secret="s3cret-for-docs")
>>> len(token), verify_unsubscribe_token(
...     token, order_id="ACME-1003", message="review_request", secret="s3cret-for-docs"
... )
(43, True)
>>> verify_unsubscribe_token(
...     token, order_id="ACME-1004", message="review_request", secret="s3cret-for-docs"
... )
False
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from .models import Seller

__all__ = ["SECRET_VARIABLE", "unsubscribe_secret", "unsubscribe_token", "verify_unsubscribe_token"]

#: The environment variable that holds the secret when the seller profile names none.
SECRET_VARIABLE = "SELLERCOMMS_UNSUBSCRIBE_SECRET"


def unsubscribe_secret(seller: Seller | None = None) -> str | None:
    """The secret tokens are made with: the seller profile's, else the environment's."""
    if seller is not None and seller.unsubscribe_secret is not None:
        return seller.unsubscribe_secret.get_secret_value()
    return os.environ.get(SECRET_VARIABLE) or None


def unsubscribe_token(order_id: str, message: str, *, secret: str | bytes) -> str:
    """The token of ``order_id`` and ``message`` (a template name) under ``secret``."""
    key = secret.encode() if isinstance(secret, str) else secret
    # A separator no order id or template name holds keeps ("a", "bc") apart from ("ab", "c").
    data = f"{order_id}\x1f{message}".encode()
    digest = hmac.new(key, data, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_unsubscribe_token(
    token: str, *, order_id: str, message: str, secret: str | bytes | None = None
) -> bool:
    """Whether ``token`` is the one sellercomms put in the unsubscribe link of ``message``
    for ``order_id``.

    ``secret`` defaults to ``SELLERCOMMS_UNSUBSCRIBE_SECRET``; :class:`ValueError` when
    there is none.  The comparison takes the same time however much of the token is right.
    """
    if secret is None:
        secret = unsubscribe_secret()
        if secret is None:
            raise ValueError(f"no secret given and {SECRET_VARIABLE} is not set")
    expected = unsubscribe_token(order_id, message, secret=secret)
    return hmac.compare_digest(expected.encode("ascii"), token.encode("utf-8", "replace"))
