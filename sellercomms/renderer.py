"""The renderer: one seller, one template folder, every message of every order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from io import BytesIO
from os import PathLike
from pathlib import Path
from typing import IO, Any

from markupsafe import Markup

from .batches import render_emails
from .channels import ChannelRules
from .compliance import check_data_links, check_rendered
from .context import build_context
from .environment import LTR_CLOSE, LTR_OPEN, TemplateEnvironment, template_namespace
from .exceptions import PolicyError, SellerCommsError, TemplateNotFound
from .formatting import get_formatter, resolve_locale
from .inlining import InlinerName, make_inliner
from .loading import load_seller
from .mail import RenderedEmail, header_safe
from .marketplaces import get_marketplace
from .message_data import MessageData, validate_data
from .messages import MESSAGES, MessageKind
from .models import Order, Seller
from .pdf import SlipBatch, SlipFailure
from .relays import order_channel
from .shards import write_slips
from .slips import PageSize, RenderedSlip, render_slips
from .typography import close_sentence_gaps

__all__ = ["Renderer"]


class Renderer:
    """Renders messages for one seller, from a template folder over the built-in templates.

    >>> from sellercomms import Renderer, sample_orders, sample_seller
    >>> renderer = Renderer(sample_seller())
    >>> mail = renderer.email("shipping_confirmation", sample_orders()[2])
    >>> mail.subject
    'Your order ACME-1003 has shipped in 2 parcels'

    >>> mail.links.feedback.startswith("https://")
    True
    """

    def __init__(
        self,
        seller: Seller | str | Path,
        templates: str | Path | None = None,
        *,
        inline_css: bool = True,
        inliner: InlinerName = "css-inline",
    ) -> None:
        self.seller = seller if isinstance(seller, Seller) else load_seller(seller)
        self.environment = TemplateEnvironment(templates)
        #: The seller's template folder, if any (worker processes rebuild the renderer from it).
        self.templates = Path(templates).resolve() if templates is not None else None
        #: Whether e-mails get their CSS inlined, and by what: ``"css-inline"`` (the default)
        #: or ``"premailer"``.
        self.inline_css = inline_css
        self.inliner = inliner
        inline = make_inliner(inliner)  # checks the name even when nothing is inlined
        self._inliner = inline if inline_css else None

    def locale_for(self, order: Order, locale: str | None = None) -> str:
        """The message locale: ``locale`` > the buyer's preferred language > the order's >
        the marketplace's > ``en_US``."""
        market = get_marketplace(order.marketplace)
        return resolve_locale(locale, order.buyer_language, order.locale, market.default_locale)

    def channel_for(self, order: Order, channel: str | None = None) -> ChannelRules:
        """The channel: a relay address's > ``channel`` > the order's > the marketplace's
        own messaging; another channel for a relay address is a PolicyError (relays.py)."""
        return order_channel(order, channel)

    def context(
        self,
        message: str,
        order: Order,
        *,
        locale: str | None = None,
        channel: str | None = None,
        shipment_index: int | None = None,
        data: MessageData | Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The variables the template of ``message`` sees for ``order`` (for debugging).

        ``data`` is validated against the message's data model (message_data.py) first.
        """
        kind = self._kind(message)
        rules = self.channel_for(order, channel)
        rules.ensure_allowed(kind.name)
        market = get_marketplace(order.marketplace)
        formatter = get_formatter(
            self.locale_for(order, locale), order.timezone or market.default_timezone
        )
        data = validate_data(kind.name, data, order, self.seller, locale=str(formatter.locale))
        check_data_links(kind, rules, data)
        return build_context(
            order,
            self.seller,
            message=kind,
            channel=rules,
            formatter=formatter,
            shipment_index=shipment_index,
            data=data,
        )

    def email(
        self,
        template: str,
        order: Order,
        *,
        locale: str | None = None,
        channel: str | None = None,
        data: MessageData | Mapping[str, Any] | None = None,
    ) -> RenderedEmail:
        """Render the e-mail ``template`` for ``order``.

        ``data`` is the extra data the message needs (a refund amount, a return deadline …):
        a dict or the message's model from :mod:`sellercomms.message_data`.  Raises
        :class:`~sellercomms.PolicyError` when the channel forbids the message or the rendered
        message breaks one of its rules, :class:`~sellercomms.InputError` when ``data`` does
        not fit, and :class:`~sellercomms.TemplateError` when the template fails.
        """
        mail, context = self._compose(template, order, locale=locale, channel=channel, data=data)
        check_rendered(
            message=context["message"],
            channel=context["channel"],
            context=context,
            seller=self.seller,
            html=mail.html,
            text=mail.text,
        )
        return mail

    def emails(
        self,
        orders: Iterable[Order],
        template: str,
        *,
        locale: str | None = None,
        channel: str | None = None,
        data: MessageData | Mapping[str, Any] | None = None,
        jobs: int = 1,
        executor: Executor | None = None,
        workers: int | None = None,
    ) -> Iterator[RenderedEmail | SellerCommsError]:
        """The e-mail ``template`` for each of ``orders``, in input order.

        Each result is the :class:`RenderedEmail`, or the error :meth:`email` raised for
        that order, in its place.  ``jobs`` worker processes share the work, or any
        ``executor`` (with ``workers`` saying how many run at once; docs/scaling.md);
        ``data`` goes to every order's message.

        >>> from sellercomms import sample_orders, sample_seller
        >>> batch = Renderer(sample_seller()).emails(sample_orders(), "shipping_confirmation")
        >>> [type(result).__name__ for result in batch][:2]
        ['PolicyError', 'RenderedEmail']
        """
        return render_emails(
            self,
            orders,
            template,
            locale=locale,
            channel=channel,
            data=data,
            jobs=jobs,
            executor=executor,
            workers=workers,
        )

    def _compose(
        self,
        template: str,
        order: Order,
        *,
        locale: str | None = None,
        channel: str | None = None,
        data: MessageData | Mapping[str, Any] | None = None,
    ) -> tuple[RenderedEmail, dict[str, Any]]:
        """The e-mail and its context, before its output is checked against the channel.

        ``sellercomms check`` uses it to list every breach where :meth:`email` refuses at the
        first one.
        """
        context = self.context(template, order, locale=locale, channel=channel, data=data)
        headers = _unsubscribe_headers(context)
        html_name, text_name = f"emails/{template}.html", f"emails/{template}.txt"
        rtl = context["dir"] == "rtl"
        environment = self.environment
        # What the templates see, worked out once for the four renders of the message.
        namespace = template_namespace(context)
        with environment.rendering(context["locale"]):
            subject = environment.render_block(html_name, "subject", context, namespace=namespace)
            subject = header_safe(_plain(subject, rtl=rtl))
            preheader = environment.render_block(
                html_name, "preheader", context, namespace=namespace
            )
            # The layout's <title> shows the subject as text: markup has no place there.
            html = environment.render(
                html_name, context, namespace={**namespace, "subject": subject}
            )
            text = environment.render(text_name, context, namespace=namespace)
        language = context["formatter"].language
        html = close_sentence_gaps(html, language=language, html=True)
        text = close_sentence_gaps(text, language=language, html=False)
        if self._inliner is not None:
            html = self._inliner.inline(html, name=html_name)
        mail = RenderedEmail(
            template=template,
            order_id=order.order_id,
            locale=context["locale"],
            channel=context["channel"].name,
            subject=subject,
            preheader=_plain(preheader, rtl=rtl),
            html=html,
            text=text,
            links=context["links"],
            sender_name=self.seller.name,
            sender_email=self.seller.email,
            recipient_name=order.customer.name,
            recipient_email=order.customer.email,
            headers=headers,
        )
        return mail, context

    def packing_slip_html(
        self, order: Order, *, page_size: PageSize = "letter", locale: str | None = None
    ) -> list[RenderedSlip]:
        """The packing slips of ``order`` as HTML, one per parcel, before they become PDF."""
        return render_slips(self, order, page_size=page_size, locale=locale)

    def packing_slips(
        self,
        orders: Iterable[Order],
        *,
        page_size: PageSize = "letter",
        jobs: int = 1,
        locale: str | None = None,
        on_error: Callable[[SlipFailure], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> bytes:
        """One PDF with a packing slip per parcel of ``orders``, in input order.

        ``page_size`` is ``letter``, ``a4`` or ``4x6``; ``jobs`` worker processes share the
        work.  Without ``on_error`` the first failing order raises its error; with it, failed
        orders are passed to it and left out.  See :meth:`write_packing_slips` for large
        batches: it writes as it goes instead of holding the PDF in memory.
        """
        buffer = BytesIO()
        self.write_packing_slips(
            orders,
            buffer,
            page_size=page_size,
            jobs=jobs,
            locale=locale,
            on_error=on_error,
            progress=progress,
        )
        return buffer.getvalue()

    def write_packing_slips(
        self,
        orders: Iterable[Order],
        target: str | PathLike[str] | IO[bytes],
        *,
        page_size: PageSize = "letter",
        jobs: int = 1,
        executor: Executor | None = None,
        workers: int | None = None,
        locale: str | None = None,
        on_error: Callable[[SlipFailure], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> SlipBatch:
        """Write the packing slips of ``orders`` as one PDF to a path or a binary file.

        A path is replaced atomically: when the batch fails, an existing file stays as it
        was.  ``progress`` is called with the number of orders done after each chunk.
        ``jobs`` worker processes render the slips, or any ``executor`` (a Dask client's
        ``get_executor()``, with ``workers`` saying how many run at once):
        docs/scaling.md.  Orders are read from ``orders`` as they are needed.
        """
        return write_slips(
            self,
            orders,
            target,
            page_size=page_size,
            jobs=jobs,
            executor=executor,
            workers=workers,
            locale=locale,
            on_error=on_error,
            progress=progress,
        )

    def _kind(self, message: str) -> MessageKind:
        kind = MESSAGES.get(message)
        if kind is not None:
            return kind
        if self.environment.exists(f"emails/{message}.html"):
            # A seller's own e-mail template: a follow-up that links reviews.
            return MessageKind(
                message,  # type: ignore[arg-type]
                "email",
                transactional=False,
                asks_reviews=True,
                summary="A seller's own e-mail template.",
            )
        known = ", ".join(MESSAGES)
        raise TemplateNotFound(f"no message {message!r}; built-in messages: {known}", name=message)


def _unsubscribe_headers(context: Mapping[str, Any]) -> dict[str, str]:
    """One-click unsubscribe headers (RFC 8058) for follow-ups on channels that send them."""
    message: MessageKind = context["message"]
    rules: ChannelRules = context["channel"]
    if message.transactional or rules.unsubscribe_rule is None:
        return {}
    url = context["unsubscribe_url"]
    if url is None or not url.lower().startswith("https://"):
        rule = rules.unsubscribe_rule
        raise PolicyError(f"{message.name}: {rule.reason}", channel=rules.name, rule=rule.id)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _plain(block: str, *, rtl: bool) -> str:
    """A block rendered from the HTML template as plain text: no tags, no entities.

    In right-to-left text the ``<bdi>`` isolates of the ``ltr`` filter become their Unicode
    equivalents, so an order id in an Arabic subject line still reads left to right.
    """
    if rtl:
        block = block.replace(LTR_OPEN, "\u2066").replace(LTR_CLOSE, "\u2069")
    return Markup(block).striptags()
