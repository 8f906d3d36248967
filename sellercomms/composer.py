"""One e-mail of one order: context, four renders, inlining, then the channel's checks.

An :class:`EmailComposer` renders with a :class:`~sellercomms.spec.RenderSetup`; the
:class:`~sellercomms.Renderer` is one (with packing slips besides), and every worker of an
e-mail batch builds one (batches.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from .bidi import as_isolates
from .compliance import check_rendered
from .context import MessageContext
from .environment import TemplateEnvironment
from .exceptions import PolicyError, TemplateNotFound
from .inlining import make_inliner
from .mail import RenderedEmail, header_safe
from .message_context import message_context
from .message_data import MessageData
from .messages import MESSAGES, MessageKind, email_template_files
from .models import Order
from .spec import RenderSetup
from .typography import close_sentence_gaps

__all__ = ["EmailComposer", "message_kind"]

_Data = MessageData | Mapping[str, Any] | None


def message_kind(name: str, environment: TemplateEnvironment) -> MessageKind:
    """The built-in message ``name``, or a seller's own e-mail template of that name (a
    follow-up that links reviews); :class:`TemplateNotFound` for neither."""
    kind = MESSAGES.get(name)
    if kind is not None:
        return kind
    html, _ = email_template_files(name)
    if environment.exists(html):
        return MessageKind(
            name,  # type: ignore[arg-type]
            "email",
            transactional=False,
            asks_reviews=True,
            summary="A seller's own e-mail template.",
        )
    known = ", ".join(MESSAGES)
    raise TemplateNotFound(f"no message {name!r}; built-in messages: {known}", name=name)


class EmailComposer:
    """Renders the e-mails of ``setup``: :meth:`email` checks each against its channel."""

    def __init__(self, setup: RenderSetup) -> None:
        self.setup = setup
        inline = make_inliner(setup.inliner)  # checks the name even when nothing is inlined
        self._inliner = inline if setup.inline_css else None

    def context(
        self,
        message: str,
        order: Order,
        *,
        locale: str | None = None,
        channel: str | None = None,
        shipment_index: int | None = None,
        data: _Data = None,
    ) -> MessageContext:
        """What the template of ``message`` sees for ``order`` (for debugging a template);
        its :meth:`~sellercomms.context.MessageContext.variables` are the template's variables.

        ``data`` is validated against the message's data model (message_data.py) first.
        """
        return message_context(
            self.setup.seller,
            message_kind(message, self.setup.environment),
            order,
            locale=locale,
            channel=channel,
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
        data: _Data = None,
    ) -> RenderedEmail:
        """Render the e-mail ``template`` for ``order``.

        ``data`` is the extra data the message needs (a refund amount, a return deadline …):
        a dict or the message's model from :mod:`sellercomms.message_data`.  Raises
        :class:`~sellercomms.PolicyError` when the channel forbids the message or the rendered
        message breaks one of its rules, :class:`~sellercomms.InputError` when ``data`` does
        not fit, and :class:`~sellercomms.TemplateError` when the template fails.
        """
        mail, context = self.compose(template, order, locale=locale, channel=channel, data=data)
        check_rendered(
            message=context.message,
            channel=context.channel,
            context=context,
            seller=self.setup.seller,
            html=mail.html,
            text=mail.text,
        )
        return mail

    def compose(
        self,
        template: str,
        order: Order,
        *,
        locale: str | None = None,
        channel: str | None = None,
        data: _Data = None,
    ) -> tuple[RenderedEmail, MessageContext]:
        """The e-mail and its context, before its output is checked against the channel.

        ``sellercomms check`` uses it to list every breach where :meth:`email` refuses at the
        first one.
        """
        context = self.context(template, order, locale=locale, channel=channel, data=data)
        headers = _unsubscribe_headers(context)
        html_name, text_name = email_template_files(template)
        rtl = context.dir == "rtl"
        environment = self.setup.environment
        formatter = context.formatter
        # What the templates see, worked out once for the four renders of the message.
        variables = context.variables()
        with environment.rendering(formatter.locale):
            subject = environment.render_block(html_name, "subject", variables, formatter=formatter)
            subject = header_safe(_plain(subject, rtl=rtl))
            preheader = environment.render_block(
                html_name, "preheader", variables, formatter=formatter
            )
            # The layout's <title> shows the subject as text: markup has no place there.
            html = environment.render(
                html_name, variables.updated(subject=subject), formatter=formatter
            )
            text = environment.render(text_name, variables, formatter=formatter)
        html = close_sentence_gaps(html, language=formatter.language, html=True)
        text = close_sentence_gaps(text, language=formatter.language, html=False)
        if self._inliner is not None:
            html = self._inliner.inline(html, name=html_name)
        seller = self.setup.seller
        mail = RenderedEmail(
            template=template,
            order_id=order.order_id,
            locale=context.locale,
            channel=context.channel.name,
            subject=subject,
            preheader=_plain(preheader, rtl=rtl),
            html=html,
            text=text,
            links=context.links,
            sender_name=seller.name,
            sender_email=seller.email,
            recipient_name=order.customer.name,
            recipient_email=order.customer.email,
            headers=headers,
        )
        return mail, context


def _unsubscribe_headers(context: MessageContext) -> dict[str, str]:
    """One-click unsubscribe headers (RFC 8058) for follow-ups on channels that send them."""
    message, rules = context.message, context.channel
    if message.transactional or rules.unsubscribe_rule is None:
        return {}
    url = context.unsubscribe_url
    if url is None or not url.lower().startswith("https://"):
        rule = rules.unsubscribe_rule
        raise PolicyError(f"{message.name}: {rule.reason}", channel=rules.name, rule=rule.id)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _plain(block: str, *, rtl: bool) -> str:
    """A block rendered from the HTML template as plain text: no tags, no entities.

    In right-to-left text the ``<bdi>`` isolates of the filters become their Unicode
    equivalents, so an order id in an Arabic subject line still reads left to right.
    """
    return Markup(as_isolates(block) if rtl else block).striptags()
