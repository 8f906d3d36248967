"""Packing slips as HTML: one slip per parcel, each from its own message context.

The template ``packing_slip/slip.html`` sees everything
:func:`~sellercomms.context.build_context` gives an e-mail, plus ``slip``, the
:class:`~sellercomms.slips.view.SlipView` of the parcel being packed, and ``stylesheet``,
``packing_slip/slip.css`` rendered with the same variables.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..context import MessageContext, MessageLinks
from ..environment import TemplateEnvironment
from ..message_context import message_context
from ..messages import MESSAGES
from ..models import Order, Seller
from .pages import SLIP_STYLESHEET, SLIP_TEMPLATE, PageSize, check_page_size
from .view import SlipView, slip_view

__all__ = ["RenderedSlip", "order_slips", "slip_html"]


@dataclass(frozen=True, slots=True)
class RenderedSlip:
    """One packing slip as HTML, before it becomes PDF.

    ``html`` holds ``stylesheet`` in its ``<style>`` element (open it in a browser to see
    the slip), unless it was rendered for the PDF pipeline, which parses the stylesheet once
    for a whole batch.  ``base_url`` is where relative resources resolve; ``links`` holds
    the feedback link, the review links of this parcel's items and its tracking link.
    """

    order_id: str
    parcel: int
    parcels: int
    page_size: PageSize
    locale: str
    html: str
    stylesheet: str
    base_url: str
    links: MessageLinks


def order_slips(
    environment: TemplateEnvironment,
    seller: Seller,
    order: Order,
    *,
    page_size: PageSize = "letter",
    locale: str | None = None,
    embed_stylesheet: bool = True,
) -> list[RenderedSlip]:
    """The slips of ``order``: one per shipment, or one for everything before it ships."""
    size = check_page_size(page_size)
    indexes: list[int | None] = list(range(len(order.shipments))) or [None]
    slips = []
    for index in indexes:
        context = message_context(
            seller, MESSAGES["packing_slip"], order, locale=locale, shipment_index=index
        )
        view = slip_view(seller, order, context, index, size)
        slips.append(slip_html(environment, context, view, embed_stylesheet=embed_stylesheet))
    return slips


def slip_html(
    environment: TemplateEnvironment,
    context: MessageContext,
    view: SlipView,
    *,
    embed_stylesheet: bool = True,
) -> RenderedSlip:
    """The slip ``view`` of one parcel, rendered with its message ``context``.

    The template sees the stylesheet as ``stylesheet``, or an empty one when
    ``embed_stylesheet`` is false.
    """
    folder = environment.folder_of(SLIP_TEMPLATE)
    base_url = (folder / SLIP_TEMPLATE).as_uri() if folder is not None else ""
    variables = context.variables().updated(slip=view)
    formatter = context.formatter
    with environment.rendering(formatter.locale):
        stylesheet = environment.render(SLIP_STYLESHEET, variables, formatter=formatter)
        embedded = Markup(stylesheet if embed_stylesheet else "")
        html = environment.render(
            SLIP_TEMPLATE, variables.updated(stylesheet=embedded), formatter=formatter
        )
    links = context.links
    return RenderedSlip(
        order_id=context.order.order_id,
        parcel=view.number,
        parcels=view.count,
        page_size=view.page_size,
        locale=context.locale,
        html=html,
        stylesheet=stylesheet,
        base_url=base_url,
        links=MessageLinks(
            feedback=links.feedback,
            reviews={r.line_id: r.url for r in view.reviews},
            tracking=links.tracking,
        ),
    )
