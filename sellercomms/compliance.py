"""A rendered message checked against its channel's rules, link by link.

The built-in templates ask the channel what they may show, but a seller's own template may
not.  So on channels that restrict what a message shows, every URL, e-mail address, phone
number, image (linked, from a third party, a tracking pixel) and emoji in the rendered HTML
and text is checked before the message is handed back, feedback links are held to the
messages that may carry them, and a follow-up must name its order where the channel wants it
to; the first breach raises :class:`~sellercomms.PolicyError` naming the rule: a
non-compliant message is never returned.  ``sellercomms check`` lists every breach
instead (:func:`rendered_breaches`).

The rules are about what the seller puts in.  Text the buyer wrote (a name, a gift message, a
feedback comment, an address) or the marketplace lists (an item title) is shown escaped, as
text, and may hold anything, ``www.`` and ``@`` included; where it appears in the visible
text it is left out of the scan.  Every ``href`` is checked whatever it holds: a template
that turns buyer text into a link has made a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from .channels import ChannelRules, Rule
from .exceptions import PolicyError
from .hrefs import URL_IN_TEXT, LinkReader, text_urls
from .message_data import MessageData
from .messages import LinkKind, MessageKind
from .models import Seller

__all__ = [
    "Breach",
    "RenderedFrom",
    "check_data_links",
    "check_rendered",
    "image_allowed",
    "message_urls",
    "on_platform",
    "rendered_breaches",
]

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_CONTACT_SCHEMES = ("mailto:", "tel:", "sms:")
# Emoji: the pictographs, dingbats and symbol blocks they come from, the variation selector
# that makes a symbol an emoji, and regional-indicator flags; the stars ★☆ are text.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u2604\u2607-\u27bf\u2b50\u2b55\u231a\u231b"
    "\u23e9-\u23f3\u23f8-\u23fa\ufe0f]"
)
# What a template may do to a value's spacing: wrap it (breaking at spaces, or between two
# Chinese or Japanese characters), indent the lines, or split it into lines with <br>.
_GAP = r"\s*"

_KIND_NAMES: Mapping[LinkKind, str] = {
    "feedback": "the feedback page",
    "review": "a review page",
    "tracking": "a tracking page",
    "product": "a product page",
    "storefront": "the seller's website",
    "return_policy": "the return policy",
    "return_label": "a return label",
    "redeem": "a gift certificate page",
    "unsubscribe": "the unsubscribe page",
}


@dataclass(frozen=True, slots=True)
class Breach:
    """One way a rendered message breaks a rule of its channel.

    ``detail`` says what the message does (``links to https://…``); ``evidence`` is the
    offending URL, address, number or tag, and ``kinds`` the kinds of link a URL is known as.
    """

    rule: Rule
    detail: str
    evidence: str
    kinds: frozenset[LinkKind] = frozenset()

    def error(self, message: MessageKind, channel: ChannelRules) -> PolicyError:
        """The breach as the error the renderer raises."""
        return PolicyError(
            f"{message.name} {self.detail}: {self.rule.reason}",
            channel=channel.name,
            rule=self.rule.id,
        )


class RenderedFrom(Protocol):
    """What the checks of rendered output read of the message's context (a
    :class:`~sellercomms.context.MessageContext`)."""

    @property
    def order(self) -> Any: ...
    @property
    def feedback_url(self) -> str | None: ...
    @property
    def items(self) -> Sequence[Any]: ...
    @property
    def shipments(self) -> Sequence[Any]: ...
    @property
    def unsubscribe_url(self) -> str | None: ...
    @property
    def data(self) -> Any: ...


def message_urls(context: RenderedFrom, seller: Seller) -> dict[str, set[LinkKind]]:
    """Every URL the message's context offers, with the kinds of link it is."""
    found: dict[str, set[LinkKind]] = {}
    for kind, url in _context_links(context, seller):
        found.setdefault(url, set()).add(kind)
    return found


def _context_links(context: RenderedFrom, seller: Seller) -> Iterator[tuple[LinkKind, str]]:
    if context.feedback_url:
        yield "feedback", context.feedback_url
    for item in context.items:
        if item.review_url:
            yield "review", item.review_url
        if item.product_url:
            yield "product", item.product_url
    for shipment in context.shipments:
        if shipment.tracking is not None and shipment.tracking.url:
            yield "tracking", shipment.tracking.url
    if seller.website:
        yield "storefront", seller.website
    if seller.return_policy_url:
        yield "return_policy", seller.return_policy_url
    if context.unsubscribe_url:
        yield "unsubscribe", context.unsubscribe_url
    data = context.data
    if isinstance(data, MessageData):
        yield from data.links()


def check_data_links(message: MessageKind, channel: ChannelRules, data: object) -> None:
    """Raise :class:`PolicyError` when ``data`` gives a link the channel does not allow.

    Checked before rendering: a return label the channel may not link would otherwise be
    left out of the message without a word, and the buyer would never get it.
    """
    if not isinstance(data, MessageData) or channel.link_rule is None:
        return
    allowed = channel.links_for(message)
    for name, kind, url in data.given_links():
        if kind not in allowed and not on_platform(url, channel):
            what = f"gives data.{name} {url} ({_KIND_NAMES[kind]})"
            raise Breach(channel.link_rule, what, url, frozenset({kind})).error(message, channel)


class _Scan(LinkReader):
    """The hrefs, linked images and visible text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.linked_images = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "img":
            self.images.append(dict(attrs))
            self.linked_images += 1 if self.in_link else 0
        elif tag in {"style", "script"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if tag in {"style", "script"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if not self._skip:
            self.text.append(data)


def check_rendered(
    *,
    message: MessageKind,
    channel: ChannelRules,
    context: RenderedFrom,
    seller: Seller,
    html: str,
    text: str,
) -> None:
    """Raise :class:`PolicyError` when the rendered ``html`` or ``text`` breaks a rule.

    Checked on channels that restrict output: each link must be of a kind both the channel
    and the message allow (or lead to the channel's own pages); no e-mail address or phone
    number where contact details are forbidden; no linked image where linked logos are.
    """
    for breach in rendered_breaches(
        message=message, channel=channel, context=context, seller=seller, html=html, text=text
    ):
        raise breach.error(message, channel)


def rendered_breaches(
    *,
    message: MessageKind,
    channel: ChannelRules,
    context: RenderedFrom,
    seller: Seller,
    html: str,
    text: str,
) -> Iterator[Breach]:
    """Every breach of the channel's output rules in ``html`` and ``text``, each once."""
    if not channel.restricts_output:
        return
    scan = _Scan()
    scan.feed(html)
    scan.close()
    phone = _phone_pattern(seller.phone) if seller.phone else None
    bodies = _without_order_text(["".join(scan.text), text], context.order, phone)
    found: list[Breach] = []
    if channel.contact_rule is not None:
        found += _contact_breaches(channel.contact_rule, scan.hrefs, bodies, seller, phone)
    if channel.logo_link_rule is not None and scan.linked_images:
        found.append(Breach(channel.logo_link_rule, "has an image that is a link", "<img>"))
    if channel.emoji_rule is not None:
        for body in bodies:
            for emoji in _EMOJI.findall(body):
                found.append(Breach(channel.emoji_rule, f"has the emoji {emoji}", emoji))
    if channel.image_rule is not None:
        found += _image_breaches(channel, channel.image_rule, scan.images, seller)
    if channel.link_rule is not None:
        known = message_urls(context, seller)
        allowed = channel.links_for(message)
        # Contact links are the contact rule's to judge, not pages a link leads to.
        urls = [
            href
            for href in scan.hrefs
            if href and not href.startswith("#") and not href.lower().startswith(_CONTACT_SCHEMES)
        ]
        urls += [url for body in bodies for url in text_urls(body)]
        for url in urls:
            kinds = known.get(url, set())
            asks = bool(kinds & {"feedback", "review"}) or _feedback_page(url, channel)
            if asks and channel.feedback_rule and not channel.may_carry_feedback(message.name):
                what = f"links to {url} (a feedback or review page)"
                found.append(Breach(channel.feedback_rule, what, url, frozenset(kinds)))
                continue
            if kinds & allowed or on_platform(url, channel):
                continue
            what = " or ".join(sorted(_KIND_NAMES[k] for k in kinds)) or "a page it does not need"
            found.append(
                Breach(channel.link_rule, f"links to {url} ({what})", url, frozenset(kinds))
            )
    if channel.order_id_rule is not None and not message.transactional:
        # Last: a message that breaks a rule of what it shows is told that first.
        found += _order_id_breaches(channel.order_id_rule, context, ["".join(scan.text), text])
    yield from dict.fromkeys(found)


def _image_breaches(
    channel: ChannelRules, rule: Rule, images: list[dict[str, str | None]], seller: Seller
) -> Iterator[Breach]:
    """Images from hosts other than the seller's and the channel's, and tracking pixels."""
    for image in images:
        src = (image.get("src") or "").strip()
        if image.get("width") in {"0", "1"} and image.get("height") in {"0", "1"}:
            yield Breach(rule, f"has a tracking pixel {src}", src)
            continue
        if not src.lower().startswith(("http://", "https://", "//")):
            continue  # part of the message itself (data:, cid:) or nothing fetched
        if not image_allowed(src, channel, seller):
            yield Breach(rule, f"shows an image from {_host(src)}", src)


def image_allowed(src: str, channel: ChannelRules, seller: Seller) -> bool:
    """Whether a message on ``channel`` may show the image at ``src`` (an http(s) URL).

    Any image where the channel has no image rule; else only from the seller's own site or
    logo host, or from the channel's own image hosts (Amazon's).  The context asks it before
    it offers templates a product image, so a message never shows one the channel forbids.
    """
    if channel.image_rule is None:
        return True
    host = _host(src)
    own = {_host(url) for url in (seller.website, seller.logo) if url}
    theirs = channel.image_hosts is not None and re.search(channel.image_hosts, host)
    return host in own or bool(theirs)


def _order_id_breaches(rule: Rule, context: RenderedFrom, bodies: list[str]) -> Iterator[Breach]:
    order_id = context.order.order_id
    for part, body in zip(("the HTML part", "the text part"), bodies, strict=True):
        if order_id not in body:
            yield Breach(rule, f"does not name order {order_id} in {part}", order_id)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _order_text(order: Any) -> list[str]:
    """The order's text the seller did not write: the buyer's, and the listing's titles.

    ``order`` is the context's: an :class:`~sellercomms.Order` or the record of one that
    templates see, which has the same fields.
    """
    if order is None:
        return []
    values = [order.customer.name, order.customer.email]
    for place in (order.ship_to, order.pickup_point):
        if place is not None:
            values += [place.name, getattr(place, "company", None), place.line1, place.line2]
            values += [place.city, place.region, place.postal_code]
    for item in order.items:
        values += [item.title, item.variant, *(p.value for p in item.properties)]
    feedback = order.events.feedback
    values += [order.gift.message if order.gift else None, feedback.comment if feedback else None]
    return list(dict.fromkeys(value for value in values if value))


def _without_order_text(bodies: list[str], order: Any, phone: re.Pattern[str] | None) -> list[str]:
    """``bodies`` with every showing of the order's own text blanked out.

    Only values that hold something the scan would find are looked for; each stands for the
    whole value, so a URL the template puts right next to a buyer's name is still found.
    """
    for value in _order_text(order):
        if not (
            URL_IN_TEXT.search(value)
            or _EMAIL.search(value)
            or _EMOJI.search(value)
            or (phone and phone.search(value))
        ):
            continue
        letters = [re.escape(char) for char in value if not char.isspace()]
        showing = re.compile(_GAP.join(letters), re.IGNORECASE)
        bodies = [showing.sub(" ", body) for body in bodies]
    return bodies


def _contact_breaches(
    rule: Rule,
    hrefs: list[str],
    bodies: list[str],
    seller: Seller,
    phone: re.Pattern[str] | None,
) -> Iterator[Breach]:
    for href in hrefs:
        if href.lower().startswith(_CONTACT_SCHEMES):
            yield Breach(rule, f"links to {href}", href)
    for body in bodies:
        for address in _EMAIL.findall(body):
            yield Breach(rule, f"shows the e-mail address {address}", address)
        if phone is not None:
            for number in phone.findall(body):
                yield Breach(rule, f"shows the phone number {seller.phone}", number)


def _phone_pattern(phone: str) -> re.Pattern[str] | None:
    # The seller's number however it is spaced or punctuated in the message; too short a
    # number would match order numbers and prices, so it is not looked for.
    digits = [d for d in phone if d.isdigit()]
    if len(digits) < 6:
        return None
    return re.compile(r"(?<!\d)" + r"[\s.\-()/]*".join(digits) + r"(?!\d)")


def on_platform(url: str, channel: ChannelRules) -> bool:
    """Whether ``url`` is one of the channel's own pages, which its messages may always link."""
    if channel.platform_hosts is None:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or re.search(channel.platform_hosts, host) is None:
        return False
    return (
        channel.platform_paths is None or re.search(channel.platform_paths, parts.path) is not None
    )


def _feedback_page(url: str, channel: ChannelRules) -> bool:
    """Whether ``url`` is one of the channel's own feedback or review pages."""
    paths = channel.feedback_paths
    return (
        paths is not None
        and on_platform(url, channel)
        and re.search(paths, urlsplit(url).path) is not None
    )
