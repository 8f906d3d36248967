"""Making a bad feedback right: the data a resolution e-mail needs, and the command to render it.

For a feedback whose order is known, the report suggests a starting point for the message's
data (message_data.py) and the ``sellercomms render email`` command that sends it, so the
seller only edits the amounts and runs it.  Nothing is rendered here.

* refund: the order total for a product or return problem, 10 % of it for a service problem;
* replacement: every item of the order, as ordered;
* gift certificate: 10 % of the order total, and a code to create in the store first.
"""

from __future__ import annotations

import re
import shlex
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_precision

from ..filenames import file_stem
from ..models import Order
from .models import Remedy, Resolution

__all__ = ["PRODUCT_CAUSES", "data_stub", "resolution"]

#: Causes about the item itself (or getting money back for it): the refund is the total.
PRODUCT_CAUSES = frozenset({"not_as_described", "packing", "hard_to_return"})

_SHARE = Decimal("0.10")

#: Where the suggested commands write the e-mails.
OUTBOX = "outbox"


def _share(total: Decimal, currency: str) -> Decimal:
    unit = Decimal(1).scaleb(-get_currency_precision(currency))
    return (total * _SHARE).quantize(unit, rounding=ROUND_HALF_UP)


def data_stub(remedy: Remedy, cause: str, order: Order) -> dict[str, Any]:
    """The data of ``resolution_<remedy>`` for ``order``, as a JSON-ready dict to edit."""
    total = order.total
    if remedy == "replacement":
        return {
            "items": [{"sku": item.sku, "quantity": item.quantity} for item in order.items],
            "return_required": False,
        }
    suffix = re.sub(r"[^A-Za-z0-9]", "", order.order_id).upper()[-10:]
    stub: dict[str, Any] = {"code": f"SORRY-{suffix}"} if remedy == "gift_certificate" else {}
    if total is not None and total > 0:
        full = remedy == "refund" and cause in PRODUCT_CAUSES
        amount = total if full else _share(total, order.currency)
        if amount > 0:
            stub["value" if remedy == "gift_certificate" else "amount"] = str(amount)
            stub["currency"] = order.currency
    if remedy == "refund":
        stub["return_required"] = False
    return stub


def resolution(
    remedy: Remedy,
    cause: str,
    *,
    note: str | None,
    order: Order | None,
    orders_file: str | None,
    data_dir: str | Path | None,
) -> Resolution:
    """The suggested resolution; with a known ``order`` also its data and command line.

    ``orders_file`` is the orders file named in the command; ``data_dir`` where the data
    file is (or will be) saved, else the current folder.
    """
    message = f"resolution_{remedy}"
    if order is None:
        return Resolution(remedy=remedy, message=message, note=note)
    name = f"{file_stem(order.order_id)}.{message}.json"
    data_file = str(Path(data_dir) / name) if data_dir is not None else name
    command = None
    if orders_file is not None:
        command = shlex.join(
            [
                "sellercomms",
                "render",
                "email",
                message,
                "--orders",
                orders_file,
                "--order-id",
                order.order_id,
                "--data",
                data_file,
                "--out",
                OUTBOX,
            ]
        )
    return Resolution(
        remedy=remedy,
        message=message,
        note=note,
        data=data_stub(remedy, cause, order),
        data_file=data_file,
        command=command,
    )
