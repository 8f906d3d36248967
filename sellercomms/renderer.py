"""The renderer: one seller, one template folder, every message of every order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from io import BytesIO
from os import PathLike
from pathlib import Path
from typing import IO, Any

from .batches import render_emails
from .channels import ChannelRules
from .composer import EmailComposer
from .environment import TemplateEnvironment
from .exceptions import SellerCommsError
from .inlining import InlinerName
from .loading import load_seller
from .mail import RenderedEmail
from .message_context import message_locale
from .message_data import MessageData
from .models import Order, Seller
from .relays import resolve_channel
from .slips import PageSize, RenderedSlip, SlipBatch, SlipFailure, order_slips, write_slips
from .spec import RenderSetup

__all__ = ["Renderer"]


class Renderer(EmailComposer):
    """Renders messages for one seller, from a template folder over the built-in templates.

    E-mails come from :meth:`email` (and :meth:`~EmailComposer.context` shows what their
    templates see); packing slips from :meth:`packing_slips` and :meth:`write_packing_slips`.

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
        # The seller, the template environment and the inlining, as both pipelines use them.
        super().__init__(
            RenderSetup.create(
                seller if isinstance(seller, Seller) else load_seller(seller),
                templates,
                inliner=inliner,
                inline_css=inline_css,
            )
        )

    @property
    def seller(self) -> Seller:
        """The seller the messages are from."""
        return self.setup.seller

    @property
    def environment(self) -> TemplateEnvironment:
        """The template environment: the seller's folder over the built-in templates."""
        return self.setup.environment

    @property
    def templates(self) -> Path | None:
        """The seller's template folder, if any."""
        return self.setup.templates

    @property
    def inline_css(self) -> bool:
        """Whether e-mails get their CSS inlined."""
        return self.setup.inline_css

    @property
    def inliner(self) -> InlinerName:
        """What inlines it: ``"css-inline"`` (the default) or ``"premailer"``."""
        return self.setup.inliner

    def locale_for(self, order: Order, locale: str | None = None) -> str:
        """The message locale: ``locale`` > the buyer's preferred language > the order's >
        the marketplace's > ``en_US``."""
        return str(message_locale(order, locale))

    def channel_for(self, order: Order, channel: str | None = None) -> ChannelRules:
        """The channel: a relay address's > ``channel`` > the order's > the marketplace's
        own messaging; another channel for a relay address is a PolicyError (relays.py)."""
        return resolve_channel(order, channel)

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
        ``data`` goes to every order's message.  Orders given as a list or tuple are read
        by forked workers where they lie, as they were when the batch started; any other
        iterable is read as the work goes on.

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

    def packing_slip_html(
        self, order: Order, *, page_size: PageSize = "letter", locale: str | None = None
    ) -> list[RenderedSlip]:
        """The packing slips of ``order`` as HTML, one per parcel, before they become PDF."""
        return order_slips(self.environment, self.seller, order, page_size=page_size, locale=locale)

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
            self.setup,
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
