"""The check itself: render every message × order × locale × channel and apply every rule.

Each e-mail is rendered the way :meth:`Renderer.email` does it, CSS inlined, but not refused
at its first channel breach: breaches become findings like everything else.  The size of
each e-mail is also measured for a generated order of :data:`SIZE_CHECK_ITEMS` items, in
every locale: however many items an order has, no message may near Gmail's clip.  Messages a
channel forbids outright are skipped and listed.  Identical findings of many renders are
counted once (:class:`_Tally`).
"""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from ..channels import CHANNELS, ChannelRules, get_channel
from ..compliance import Breach, rendered_breaches
from ..exceptions import (
    InputError,
    PolicyError,
    SellerCommsError,
    TemplateError,
    TemplateNotFound,
)
from ..loading import load_orders, load_seller
from ..mail import RenderedEmail
from ..messages import EMAIL_TEMPLATES, MESSAGES, LinkKind, email_template_files
from ..models import Order, Seller
from ..relays import relay_channel
from ..renderer import Renderer
from ..samples import large_sample_order, sample_data, sample_orders, sample_seller
from ..slips import SLIP_STYLESHEET, SLIP_TEMPLATE
from ..template_files import added_emails
from .caniemail import snapshot
from .clients import client_issues
from .content import email_content_issues, slip_content_issues
from .darkmode import dark_mode_issues
from .html import Document, read_html
from .hygiene import hygiene_issues, leftover_issues
from .locales import catalog_locales, untranslated
from .parallel import rendered_in_workers
from .renders import Event, Rendered
from .report import CheckFinding, CheckReport, CheckSummary, SkippedMessage, sorted_findings
from .rules import Hint, Issue, Severity
from .sources import Location, Sources
from .wording import Texts, wording_issues

__all__ = ["HTML_ERROR_BYTES", "HTML_WARNING_BYTES", "SIZE_CHECK_ITEMS", "Checker"]

#: Rendered HTML larger than this is a warning, and an error past the second limit: Gmail
#: clips at about 102 KB, and sending services add some of their own.
HTML_WARNING_BYTES = 50 * 1024
HTML_ERROR_BYTES = 90 * 1024
#: The items of the generated order each e-mail's size is measured with, beside the orders
#: checked: e-mails list the first items only, so any larger order is no larger a message.
SIZE_CHECK_ITEMS = 200

# Where a link of each kind comes from in a template: the variable that holds it.
_LINK_VARIABLES: Mapping[LinkKind, str] = {
    "feedback": "feedback_url",
    "review": "review_url",
    "tracking": r"tracking\.url",
    "product": "product_url",
    "storefront": "website",
    "return_policy": "return_policy_url",
    "return_label": "label_url",
    "redeem": "redeem_url",
    "unsubscribe": "unsubscribe_url",
}


@dataclass(slots=True)
class _Tally:
    """One finding as first seen, and every render it was seen in since."""

    first: CheckFinding
    count: int = 0
    templates: dict[str, None] = field(default_factory=dict)
    locales: dict[str, None] = field(default_factory=dict)
    channels: dict[str, None] = field(default_factory=dict)
    orders: dict[str, None] = field(default_factory=dict)

    def add(self, render: _Render) -> None:
        self.count += 1
        for seen, value in (
            (self.templates, render.template),
            (self.locales, render.locale),
            (self.channels, render.channel),
            (self.orders, render.order),
        ):
            if value is not None:
                seen[value] = None

    def finding(self) -> CheckFinding:
        return replace(
            self.first,
            count=self.count,
            templates=tuple(self.templates),
            locales=tuple(self.locales),
            channels=tuple(self.channels),
            orders=tuple(self.orders),
        )


@dataclass(frozen=True, slots=True)
class _Render:
    """Which render an issue was found in, and the templates that made it."""

    template: str
    locale: str | None
    channel: str | None
    order: str | None
    html: tuple[str, ...]
    text: tuple[str, ...] = ()


class Checker:
    """Checks a template folder (over the built-ins) with a seller, orders, locales, channels.

    ``templates`` is the seller's folder (``None``: the built-ins alone); ``seller`` a
    profile or its file (default: the sample seller); ``orders`` orders or their file
    (default: the sample orders); ``locales``, ``channels`` and ``messages`` narrow what is
    checked (default: the shipped locales and any the folder adds catalogs for, every
    channel, every built-in message and every e-mail template of the folder).
    ``large_order`` is the generated order whose size every e-mail is also measured with.
    """

    def __init__(
        self,
        templates: str | Path | None = None,
        *,
        seller: Seller | str | Path | None = None,
        orders: Iterable[Order] | str | Path | None = None,
        locales: Sequence[str] | None = None,
        channels: Sequence[str] | None = None,
        messages: Sequence[str] | None = None,
    ) -> None:
        if seller is None:
            seller = sample_seller()
        elif not isinstance(seller, Seller):
            seller = load_seller(seller)
        self.renderer = Renderer(seller, templates)
        environment = self.renderer.environment
        if orders is None:
            self.orders = sample_orders()
        elif isinstance(orders, str | Path):
            self.orders = load_orders(orders)
        else:
            self.orders = list(orders)
        self.locales = tuple(locales or catalog_locales(environment.folders))
        for locale in self.locales:
            try:
                Locale.parse(locale)
            except (ValueError, UnknownLocaleError):
                raise InputError(f"unknown locale {locale!r}") from None
        self.channels: tuple[ChannelRules, ...] = tuple(
            get_channel(name) for name in channels or CHANNELS
        )
        self.messages = tuple(messages or self._message_names())
        for name in self.messages:
            if name not in MESSAGES and not environment.exists(email_template_files(name)[0]):
                known = ", ".join(self._message_names())
                raise TemplateNotFound(f"no message {name!r} to check; there are: {known}")
        self.large_order = large_sample_order(SIZE_CHECK_ITEMS)
        self.sources = Sources(environment)
        self._tallies: dict[tuple[str, str, str, str | None, int | None], _Tally] = {}
        self._locations: dict[tuple[tuple[str, ...], Hint, str | None], Location] = {}
        self._skipped: list[SkippedMessage] = []
        self._renders = 0
        # Renders made by worker processes, taken in check order (parallel.py); and, in a
        # worker, what its renders find, sent back instead of recorded.
        self._rendered: Iterator[Rendered] | None = None
        self._events: list[Event] | None = None

    def _message_names(self) -> list[str]:
        return [*EMAIL_TEMPLATES, *added_emails(self.renderer.templates), "packing_slip"]

    def run(self, *, jobs: int = 1) -> CheckReport:
        """Check everything; the report lists each finding once, worst first.

        With ``jobs`` > 1, that many worker processes render and check the e-mails; the
        report is the same as with one.
        """
        if jobs < 1:
            raise ValueError(f"jobs must be 1 or more, not {jobs}")
        started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            if jobs > 1:
                workers = rendered_in_workers(self, jobs, rebuild=self._recipe())
                self._rendered = stack.enter_context(workers)
                stack.callback(setattr, self, "_rendered", None)
            for message in self.messages:
                if message == "packing_slip":
                    self._check_slips()
                else:
                    self._check_email_template(message)
        self._check_catalogs()
        summary = CheckSummary(
            templates=self.messages,
            orders=tuple(order.order_id for order in self.orders),
            locales=self.locales,
            channels=tuple(channel.name for channel in self.channels),
            renders=self._renders,
            seconds=time.perf_counter() - started,
            caniemail_date=snapshot().date,
            skipped=tuple(self._skipped),
        )
        findings = sorted_findings(tally.finding() for tally in self._tallies.values())
        return CheckReport(findings=findings, summary=summary)

    # E-mails

    def _check_email_template(self, message: str) -> None:
        largest: tuple[int, _Render] | None = None
        for channel in self.channels:
            rule = channel.forbidding_rule(message)
            if rule is not None:
                self._skipped.append(SkippedMessage(message, channel.name, rule.id))
                continue
            for order in self.orders:
                if not _checked_on(order, channel):
                    continue
                data = sample_data(message, order, channel=channel.name)
                for locale in self.locales:
                    size = self._check_email(message, order, channel, locale, data)
                    if size is not None and (largest is None or size[0] > largest[0]):
                        largest = size
        size = self._measure_large_order(message)
        if size is not None and (largest is None or size[0] > largest[0]):
            largest = size
        if largest is not None:
            self._report_size(*largest)

    def _measure_large_order(self, message: str) -> tuple[int, _Render] | None:
        """The largest HTML of ``message`` for :attr:`large_order`, over the locales.

        Only its size is judged (the sample orders show the rest), on the first channel
        that allows the message: a channel only ever takes content out.
        """
        channel = next((c for c in self.channels if c.forbidding_rule(message) is None), None)
        if channel is None:
            return None
        order = self.large_order
        data = sample_data(message, order, channel=channel.name)
        html, text = _template_names(message)
        largest: tuple[int, _Render] | None = None
        for locale in self.locales:
            # Not counted in the summary's renders, which are those of the orders checked.
            render = _Render(message, locale, channel.name, order.order_id, (html,), (text,))
            try:
                mail, _ = self.renderer.compose(
                    message, order, locale=locale, channel=channel.name, data=data
                )
            except Exception as error:  # a seller's template may raise anything: report it
                self._failed(render, error)
                continue
            size = len(mail.html.encode("utf-8"))
            if largest is None or size > largest[0]:
                largest = (size, render)
        return largest

    def _check_email(
        self,
        message: str,
        order: Order,
        channel: ChannelRules,
        locale: str,
        data: Mapping[str, Any] | None,
    ) -> tuple[int, _Render] | None:
        self._renders += 1
        html, text = _template_names(message)
        render = _Render(message, locale, channel.name, order.order_id, (html,), (text,))
        if self._rendered is not None:
            return self._replay(render)
        try:
            mail, context = self.renderer.compose(
                message, order, locale=locale, channel=channel.name, data=data
            )
            # What `render` writes: an address or header it cannot write is a finding too.
            mail.to_bytes()
        except Exception as error:  # a seller's template may raise anything: report it
            self._failed(render, error)
            return None
        document = read_html(mail.html)
        values = _values(order, self.renderer.seller, context.data)
        issues = [
            _breach_issue(breach)
            for breach in rendered_breaches(
                message=context.message,
                channel=channel,
                context=context,
                seller=self.renderer.seller,
                html=mail.html,
                text=mail.text,
            )
        ]
        issues += email_content_issues(message, context, document, mail.text)
        issues += wording_issues(
            _texts(mail, document, values),
            message=context.message,
            channel=channel,
            locale=mail.locale,
        )
        issues += client_issues(document)
        issues += dark_mode_issues(mail.html)
        issues += hygiene_issues(document, lang=context.lang, direction=context.dir)
        issues += leftover_issues(document, mail.text, mail.subject, values)
        for issue in issues:
            self._add(issue, render)
        return len(mail.html.encode("utf-8")), render

    def _report_size(self, size: int, render: _Render) -> None:
        if size <= HTML_WARNING_BYTES:
            return
        severity: Severity = "error" if size > HTML_ERROR_BYTES else "warning"
        limit = (HTML_ERROR_BYTES if severity == "error" else HTML_WARNING_BYTES) // 1024
        issue = Issue(
            "size.html",
            severity,
            f"the largest rendered HTML is {size / 1024:.1f} KB (order {render.order}, "
            f"{render.locale}, {render.channel}), over {limit} KB: Gmail clips messages at "
            "about 102 KB",
        )
        self._add(issue, render)

    # Packing slips

    def _check_slips(self) -> None:
        for order in self.orders:
            try:
                channel = self.renderer.channel_for(order)
            except PolicyError as error:  # a relay address with another channel named
                named = order.channel or ""
                self._failed(_Render("packing_slip", None, named, order.order_id, ()), error)
                continue
            for locale in self.locales:
                self._renders += 1
                render = _Render(
                    "packing_slip",
                    locale,
                    channel.name,
                    order.order_id,
                    _template_names("packing_slip"),
                )
                try:
                    slips = self.renderer.packing_slip_html(order, locale=locale)
                except Exception as error:  # a seller's template may raise anything
                    self._failed(render, error)
                    continue
                values = _values(order, self.renderer.seller)
                for slip in slips:
                    document = read_html(slip.html)
                    issues = slip_content_issues(slip, document)
                    issues += wording_issues(
                        Texts("", "", _words(document), "", values),
                        message=MESSAGES["packing_slip"],
                        channel=channel,
                        locale=slip.locale,
                    )
                    issues += leftover_issues(document, "", "", values)
                    for issue in issues:
                        self._add(issue, render)

    # Catalogs

    def _check_catalogs(self) -> None:
        folders = self.renderer.environment.folders
        used = {
            member
            for message in self.messages
            for name in _template_names(message)
            for member in self.sources.chain(name)
        }
        for found in untranslated(folders, self.locales, used):
            self._record(
                Issue(
                    "locale.untranslated",
                    "warning",
                    f'"{_shortened(found.msgid)}"'
                    + (f" (context {found.context!r})" if found.context else "")
                    + " has no translation",
                    "catalog",
                ),
                _Render(found.template, found.locale, None, None, (found.template,)),
                (self.sources.display(found.path), found.line),
            )

    # Findings

    def _failed(self, render: _Render, error: Exception) -> None:
        if isinstance(error, PolicyError):
            issue = Issue(error.rule, "error", error.message)
            self._add(issue, render)
            return
        if not isinstance(error, SellerCommsError):
            error = self.renderer.environment.error(error)
        if isinstance(error, TemplateError) and error.filename is not None:
            where: Location = (self.sources.display(error.filename), error.lineno)
            self._record(Issue("render.failed", "error", error.message), render, where)
            return
        if isinstance(error, InputError):
            message = f"{error.path}: {error.message}" if error.path else error.message
        else:
            message = error.message if isinstance(error, TemplateError) else str(error)
        self._add(Issue("render.failed", "error", message), render)

    def _add(self, issue: Issue, render: _Render) -> None:
        if self._events is not None:
            self._events.append((issue, None))
            return
        names = render.text + render.html if issue.part == "text" else render.html + render.text
        key = (names, issue.hint, render.locale)
        if key not in self._locations:
            self._locations[key] = self.sources.locate(names, issue.hint, render.locale)
        self._record(issue, render, self._locations[key])

    def _record(self, issue: Issue, render: _Render, where: Location) -> None:
        if self._events is not None:
            self._events.append((issue, where))
            return
        file, line = where
        # Not the template: a finding in a shared file (the layout, the stylesheet) is one
        # finding, whichever messages use it.
        key = (issue.rule, issue.severity, issue.message, file, line)
        tally = self._tallies.get(key)
        if tally is None:
            first = CheckFinding(
                rule=issue.rule,
                severity=issue.severity,
                template=render.template,
                message=issue.message,
                locale=render.locale,
                channel=render.channel,
                order=render.order,
                file=file,
                line=line,
            )
            tally = self._tallies[key] = _Tally(first)
        tally.add(render)

    # E-mails on several cores (parallel.py)

    def _recipe(self) -> functools.partial[Checker]:
        """A call that builds this checker again, for a spawned worker: it pickles."""
        return functools.partial(
            Checker,
            self.renderer.templates,
            seller=self.renderer.seller,
            orders=self.orders,
            locales=self.locales,
            channels=tuple(channel.name for channel in self.channels),
            messages=self.messages,
        )

    def _email_renders(self) -> Iterator[tuple[str, ChannelRules, int, Mapping[str, Any] | None]]:
        """Each message × channel × order :meth:`_check_email_template` renders in every
        locale, in its order: (message, channel, index of the order, the message's data)."""
        for message in self.messages:
            if message == "packing_slip":
                continue
            for channel in self.channels:
                if channel.forbidding_rule(message) is not None:
                    continue
                for index, order in enumerate(self.orders):
                    if _checked_on(order, channel):
                        data = sample_data(message, order, channel=channel.name)
                        yield message, channel, index, data

    def _render_in_worker(
        self, message: str, channel_name: str, index: int, data: Mapping[str, Any] | None
    ) -> list[Rendered]:
        """In a worker: the renders of ``message`` for one order on one channel, in every
        locale, each with what it found."""
        self._rendered = None  # a forked worker starts with its parent's
        order, channel = self.orders[index], get_channel(channel_name)
        results: list[Rendered] = []
        for locale in self.locales:
            self._events = []
            try:
                size = self._check_email(message, order, channel, locale, data)
                key = (message, locale, channel.name, order.order_id)
                results.append((key, self._events, None if size is None else size[0]))
            finally:
                self._events = None
        return results

    def _replay(self, render: _Render) -> tuple[int, _Render] | None:
        """Record what a worker found for ``render``, as :meth:`_check_email` would have."""
        assert self._rendered is not None
        key, events, size = next(self._rendered)
        if key != (render.template, render.locale, render.channel, render.order):
            raise RuntimeError(f"worker renders out of step: {key} for {render}")
        for issue, where in events:
            if where is None:
                self._add(issue, render)
            else:
                self._record(issue, render, where)
        return None if size is None else (size, render)


def _checked_on(order: Order, channel: ChannelRules) -> bool:
    """Whether ``order`` is rendered on ``channel``: an order whose buyer address is at a
    marketplace relay only on that marketplace's channel, and on the channel it names, where
    the relay rule then reports the conflict."""
    relay = relay_channel(order.customer.email)
    return relay is None or channel.name in (relay.name, order.channel)


def _breach_issue(breach: Breach) -> Issue:
    """A breach of a channel rule, pointing at the offending words where a template has them
    literally, else at the variable that holds them."""
    evidence = breach.evidence
    patterns = [re.escape(evidence)] if evidence != "<img>" else []
    for kind in sorted(breach.kinds):
        variable = _LINK_VARIABLES[kind]
        patterns += [rf"href=\"[^\"\n]*\b{variable}\b", rf"\b{variable}\b"]
    if evidence == "<img>":
        patterns += [r"<a\b[^\n]*<img\b", r"<img\b"]
    elif evidence.lower().startswith(("mailto:", "tel:", "sms:")):
        patterns.append(evidence.split(":", 1)[0] + ":")
    elif "@" in evidence:
        patterns += [r"\bsupport_email\b", "mailto:"]
    elif not breach.kinds and not evidence.lower().startswith(("http", "www")):
        patterns += [r"\bsupport_phone\b", "tel:"]
    return Issue(
        breach.rule.id,
        "error",
        f"{breach.detail}: {breach.rule.reason}",
        hint=Hint(patterns=tuple(patterns), texts=(evidence,)),
    )


def _template_names(message: str) -> tuple[str, ...]:
    if message == "packing_slip":
        return (SLIP_TEMPLATE, SLIP_STYLESHEET)
    return email_template_files(message)


def _texts(mail: RenderedEmail, document: Document, values: tuple[str, ...]) -> Texts:
    return Texts(mail.subject, mail.preheader, _words(document), mail.text, values)


def _words(document: Document) -> str:
    return "\n".join([document.text, *document.attribute_text])


def _values(order: Order, seller: Seller, data: object = None) -> tuple[str, ...]:
    """The order's and seller's own words, which the wording rules do not judge."""
    found = [order.customer.name, seller.name, order.order_id, *order.discount_codes]
    if order.display_number:
        found.append(order.display_number)
    if order.pickup_point is not None:
        found.append(order.pickup_point.name)
    address = order.ship_to
    if address is not None:
        found += [
            value
            for value in (address.name, address.company, address.line1, address.line2, address.city)
            if value
        ]
    for item in order.items:
        found += [value for value in (item.title, item.variant, item.sku) if value]
        found += [prop.value for prop in item.properties]
    if order.gift is not None and order.gift.message:
        found += order.gift.message.splitlines()
    for name in ("reason", "code"):
        value = getattr(data, name, None)
        if isinstance(value, str):
            found.append(value)
    return tuple(found)


def _shortened(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
