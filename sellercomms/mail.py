"""A rendered e-mail you can look at, and the MIME message it becomes.

The From, Reply-To, To and Subject headers and the extra headers carry text from buyers,
sellers and templates, so they are encoded here, not by the standard library's header
folder: that one parses the text it is given, decodes RFC 2047 encoded words in it
(``=?utf-8?q?...?=``) and writes their decoded text back unquoted, which lets a name add
header lines or recipients, and it drops spaces when it folds mixed scripts.  Here a value
that is plain printable ASCII without ``=?`` is written as it is (display names quoted
where RFC 5322 needs it); any other value becomes encoded words of its exact text, made by
:class:`email.header.Header`.  Either way a reader decodes exactly the characters given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import quote

from .context import MessageLinks
from .exceptions import InputError, RenderError
from .mailboxes import address_problem

__all__ = ["RenderedEmail", "header_safe"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")

_CRLF = "\r\n"
#: Header lines are kept to this many characters where the text allows (RFC 5322, 2.1.1).
_LINE = 78
#: A plain ASCII value is written as it is only if every word fits on a folded line.
_LONGEST_PLAIN_WORD = 60
_PLAIN = re.compile(r"[\x20-\x7e]*")

#: Characters a URI may hold (RFC 3986): anything else in a link is percent-encoded.
_URI_SAFE = "-._~:/?#[]@!$&'()*+,;=%"
#: Extra headers whose value is a list of ``<URI>`` (RFC 2369), not text.
_URI_HEADERS = frozenset({"list-unsubscribe"})
_FIELD_NAME = re.compile(r"[!-9;-~]+")
_OWN_HEADERS = frozenset(
    {
        "from",
        "reply-to",
        "to",
        "cc",
        "bcc",
        "sender",
        "subject",
        "date",
        "message-id",
        "mime-version",
    }
)


def header_safe(value: str) -> str:
    """``value`` on one line: line breaks and control characters become single spaces.

    Other characters, the non-breaking and ideographic spaces included, are kept.

    >>> header_safe("Ada\\r\\nBcc: evil@example.com")
    'Ada Bcc: evil@example.com'
    """
    return _SPACES.sub(" ", _CONTROL.sub(" ", value)).strip(" ")


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    """One e-mail for one order, before it becomes bytes.

    ``links`` lists the feedback, review and tracking URLs it uses; ``headers`` holds extra
    headers such as ``List-Unsubscribe`` for follow-ups.
    """

    template: str
    order_id: str
    locale: str
    channel: str
    subject: str
    preheader: str
    html: str
    text: str
    links: MessageLinks
    sender_name: str
    sender_email: str
    recipient_name: str
    recipient_email: str | None
    headers: Mapping[str, str] = field(default_factory=dict)

    def to_message(
        self, *, message_id: str | None = None, date: datetime | None = None
    ) -> EmailMessage:
        """A multipart/alternative UTF-8 message: the text part first, then the HTML.

        Raises :class:`~sellercomms.InputError` for an address that cannot be written and
        :class:`~sellercomms.RenderError` for an extra header or text that cannot be.
        """
        try:
            return self._message(message_id, date)
        except UnicodeEncodeError as error:
            character = error.object[error.start : error.start + 1]
            raise RenderError(
                f"order {self.order_id}: the e-mail has text that is not valid Unicode "
                f"({character!r}, a lone surrogate); correct it in the order data"
            ) from error

    def to_bytes(self, **kwargs: object) -> bytes:
        """The message as RFC 5322 bytes with CRLF line ends, ready for an ``.eml`` file."""
        return self.to_message(**kwargs).as_bytes()  # type: ignore[arg-type]

    def _message(self, message_id: str | None, date: datetime | None) -> EmailMessage:
        message = EmailMessage(policy=policy.SMTP)
        for name in ("From", "Reply-To"):
            message[name] = self._mailbox(name, self.sender_name, self.sender_email, "seller.email")
        if self.recipient_email:
            message["To"] = self._mailbox(
                "To", self.recipient_name, self.recipient_email, "customer.email"
            )
        message["Subject"] = _text("Subject", self.subject)
        message["Date"] = format_datetime(date or datetime.now(UTC))
        domain = self.sender_email.rpartition("@")[2]
        message["Message-ID"] = message_id or make_msgid(idstring=self.order_id, domain=domain)
        for name, value in self.headers.items():
            message[name] = self._extra(name, value)
        message.set_content(self.text, subtype="plain", charset="utf-8", cte="quoted-printable")
        message.add_alternative(self.html, subtype="html", charset="utf-8", cte="quoted-printable")
        return message

    def _mailbox(self, name: str, display_name: str, address: str, path: str) -> _Encoded:
        problem = address_problem(address)
        if problem is not None:
            raise InputError(problem, path=path, order_id=self.order_id)
        display_name = header_safe(display_name)
        local, _, domain = address.rpartition("@")
        shown = str(Address(display_name=display_name, username=local, domain=domain))
        if not display_name:
            return _Encoded(name, shown, address)
        plain = formataddr((display_name, address))
        if _is_plain(display_name) and len(name) + 2 + len(plain) <= _LINE:
            return _Encoded(name, shown, plain)
        words = Header(display_name, "utf-8", header_name=name).encode(linesep=_CRLF)
        lines = words.split(_CRLF)
        width = len(lines[-1]) + (len(name) + 2 if len(lines) == 1 else 0)
        gap = " " if width + len(address) + 3 <= _LINE else f"{_CRLF} "
        return _Encoded(name, shown, f"{words}{gap}<{address}>")

    def _extra(self, name: str, value: str) -> _Encoded:
        lower = name.lower()
        # The message's own headers, and the MIME ones the body parts need, come from here.
        if not _FIELD_NAME.fullmatch(name) or lower in _OWN_HEADERS or lower.startswith("content-"):
            raise RenderError(f"order {self.order_id}: {name!r} cannot be an extra header")
        if lower not in _URI_HEADERS:
            return _text(name, value)
        uri = re.fullmatch(r"<(.*)>", value)
        link = quote(uri[1], safe=_URI_SAFE) if uri else ""
        if not link or "=?" in link or len(name) + len(link) + 4 > 998:
            raise RenderError(
                f"order {self.order_id}: {name}: {value!r} cannot be written as one <link> "
                "(it needs angle brackets, no '=?' and at most 990 characters)"
            )
        return _Encoded(name, f"<{link}>", f"<{link}>")


class _Encoded(str):
    """A header value encoded here; the message writes ``folded`` as it is.

    The policy takes an object with a ``name`` as a finished header (see
    :meth:`email.policy.EmailPolicy.header_store_parse`), so it is neither parsed nor
    folded again.  As a string it is the decoded text, the way a mail client shows it.
    """

    name: str
    folded: str

    def __new__(cls, name: str, shown: str, folded: str) -> _Encoded:
        header = super().__new__(cls, shown)
        header.name = name
        header.folded = folded
        return header

    def fold(self, *, policy: Policy) -> str:
        """The header line(s), ending in the policy's line separator."""
        # Folded here with CRLF; a policy that writes other line ends gets its own.
        folded = self.folded.replace(_CRLF, policy.linesep)
        return f"{self.name}: {folded}{policy.linesep}"


def _is_plain(text: str) -> bool:
    """Whether ``text`` can be written as it is: printable ASCII that folds at its spaces."""
    return (
        _PLAIN.fullmatch(text) is not None
        and "=?" not in text
        and all(len(word) <= _LONGEST_PLAIN_WORD for word in text.split(" "))
    )


def _text(name: str, value: str) -> _Encoded:
    """An unstructured header (RFC 5322 text), folded at spaces or as encoded words."""
    value = header_safe(value)
    if _is_plain(value):
        folded = Header(value, "us-ascii", header_name=name).encode(splitchars=" ", linesep=_CRLF)
    else:
        folded = Header(value, "utf-8", header_name=name).encode(linesep=_CRLF)
    return _Encoded(name, value, folded)
