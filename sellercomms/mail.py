"""A rendered e-mail you can look at, and the MIME message it becomes.

The From, Reply-To, To and Subject headers and the extra headers carry text from buyers,
sellers and templates, so they are encoded here, not by the standard library's header
folder: that one parses the text it is given, decodes RFC 2047 encoded words in it
(``=?utf-8?q?...?=``) and writes their decoded text back unquoted, which lets a name add
header lines or recipients, and it drops spaces when it folds mixed scripts.  Here a value
that is plain printable ASCII without ``=?`` is written as it is (display names quoted
where RFC 5322 needs it); any other value becomes encoded words of its exact text, made by
:class:`email.header.Header`.  Either way a reader decodes exactly the characters given.

The same header lines go into :meth:`RenderedEmail.to_message` (an ``EmailMessage``) and
into :meth:`RenderedEmail.to_bytes`, which writes the MIME structure itself (mime.py).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, formataddr
from functools import lru_cache
from urllib.parse import quote

from .context import MessageLinks
from .exceptions import InputError, RenderError
from .filenames import file_stem
from .mailboxes import address_problem
from .mime import alternative

__all__ = ["RenderedEmail", "header_safe"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")

_CRLF = "\r\n"
#: Header lines are kept to this many characters where the text allows (RFC 5322, 2.1.1).
_LINE = 78
#: Mailbox headers kept written: the sellers' addresses in use, and recent buyers'.
_MAILBOXES_KEPT = 256
#: A plain ASCII value is written as it is only if every word fits on a folded line.
_LONGEST_PLAIN_WORD = 60
_PLAIN = re.compile(r"[\x20-\x7e]*")
#: A message id as RFC 5322 writes one, without white space or comments.
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
#: Random hex digits of a generated message id (80 bits: unique without a clock or host).
_MSGID_RANDOM = 20

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

        ``message_id`` (``<id@domain>``) and ``date`` replace the generated ones.  Raises
        :class:`~sellercomms.InputError` for an address that cannot be written and
        :class:`~sellercomms.RenderError` for an extra header, a message id or text that
        cannot be.
        """
        try:
            message = EmailMessage(policy=policy.SMTP)
            for header in self._headers(message_id, date):
                # Date and Message-ID are left to the policy, which parses them.
                message[header.name] = header if header.encoded else str(header)
            message.set_content(self.text, subtype="plain", charset="utf-8", cte="quoted-printable")
            message.add_alternative(
                self.html, subtype="html", charset="utf-8", cte="quoted-printable"
            )
        except UnicodeEncodeError as error:
            raise self._invalid_unicode(error) from error
        return message

    def to_bytes(self, *, message_id: str | None = None, date: datetime | None = None) -> bytes:
        """The message as RFC 5322 bytes with CRLF line ends, ready for an ``.eml`` file.

        The message :meth:`to_message` builds, written directly (:mod:`sellercomms.mime`),
        with the same header lines.
        """
        try:
            headers = [header.line for header in self._headers(message_id, date)]
            return alternative(headers, self.text, self.html)
        except UnicodeEncodeError as error:
            raise self._invalid_unicode(error) from error

    def _invalid_unicode(self, error: UnicodeEncodeError) -> RenderError:
        character = error.object[error.start : error.start + 1]
        return RenderError(
            f"order {self.order_id}: the e-mail has text that is not valid Unicode "
            f"({character!r}, a lone surrogate); correct it in the order data"
        )

    def _headers(self, message_id: str | None, date: datetime | None) -> list[_Encoded]:
        """The message's own and extra header lines, in the order they are written."""
        headers = [
            self._mailbox(name, self.sender_name, self.sender_email, "seller.email")
            for name in ("From", "Reply-To")
        ]
        if self.recipient_email:
            headers.append(
                self._mailbox("To", self.recipient_name, self.recipient_email, "customer.email")
            )
        headers.append(_text("Subject", self.subject))
        stamp = format_datetime(date or datetime.now(UTC))
        message_id = self._message_id(message_id)
        headers += [
            _Encoded("Date", stamp, stamp, encoded=False),
            _Encoded("Message-ID", message_id, message_id, encoded=False),
        ]
        headers += [self._extra(name, value) for name, value in self.headers.items()]
        return headers

    def _message_id(self, given: str | None) -> str:
        if given is not None:
            if not _MESSAGE_ID.fullmatch(given) or len(given) > 900:
                raise RenderError(
                    f"order {self.order_id}: {given!r} is not a message id (<id@domain> in "
                    "printable ASCII, without spaces)"
                )
            return given
        domain = self.sender_email.rpartition("@")[2]
        unique = secrets.token_hex(_MSGID_RANDOM // 2)
        # The order id shows in the id, as far as the line has room for it.
        room = _LINE - len(f"Message-ID: <{unique}.@{domain}>")
        readable = file_stem(self.order_id)[: max(room, 0)].strip(".")
        return f"<{unique}.{readable}@{domain}>" if readable else f"<{unique}@{domain}>"

    def _mailbox(self, name: str, display_name: str, address: str, path: str) -> _Encoded:
        problem = address_problem(address)
        if problem is not None:
            raise InputError(problem, path=path, order_id=self.order_id)
        return _mailbox_header(name, display_name, address)

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
    #: False for Date and Message-ID: ASCII without line breaks, which a policy may parse.
    encoded: bool

    def __new__(cls, name: str, shown: str, folded: str, *, encoded: bool = True) -> _Encoded:
        header = super().__new__(cls, shown)
        header.name = name
        header.folded = folded
        header.encoded = encoded
        return header

    @property
    def line(self) -> str:
        """The header line(s), ending in CRLF."""
        return f"{self.name}: {self.folded}{_CRLF}"

    def fold(self, *, policy: Policy) -> str:
        """The header line(s), ending in the policy's line separator."""
        # Folded here with CRLF; a policy that writes other line ends gets its own.
        folded = self.folded.replace(_CRLF, policy.linesep)
        return f"{self.name}: {folded}{policy.linesep}"


# The seller's From and Reply-To are the same for every message of a batch: written once.
@lru_cache(maxsize=_MAILBOXES_KEPT)
def _mailbox_header(name: str, display_name: str, address: str) -> _Encoded:
    """The ``name`` header for a checked ``address`` and the name shown with it."""
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
