"""What the platform adapter tests share: the fixtures, and rendering an order for real."""

from __future__ import annotations

import email
import json
from decimal import Decimal
from email import policy
from pathlib import Path
from typing import Any

from sellercomms import Order, Renderer
from sellercomms.samples import sample_seller

PLATFORMS_DIR = Path(__file__).parent / "resources" / "platforms"


def fixture(platform: str, name: str) -> Any:
    return json.loads((PLATFORMS_DIR / platform / name).read_text(encoding="utf-8"))


def rendered(order: Order) -> tuple[str, list[str]]:
    """The shipping confirmation's text (read back from the .eml) and each packing slip's HTML."""
    renderer = Renderer(sample_seller())
    # The marketplace forbids a seller's shipping confirmation to its relay address; the
    # totals are checked in the one a seller's own store would send to the buyer.
    buyer = order.customer.model_copy(update={"email": "buyer@example.com"})
    own = order.model_copy(update={"customer": buyer})
    mail = renderer.email("shipping_confirmation", own, channel="own")
    message = email.message_from_bytes(mail.to_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    assert body is not None
    return body.get_content(), [slip.html for slip in renderer.packing_slip_html(order)]


def cents(value: Decimal | None) -> Decimal:
    assert value is not None
    return value.quantize(Decimal("0.01"))
