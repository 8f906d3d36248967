"""A rendered e-mail you can look at, and the MIME message it becomes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from .context import MessageLinks

__all__ = ["RenderedEmail", "header_safe"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def header_safe(value: str) -> str:
    """``value`` on one line: line breaks and control characters become single spaces.

    >>> header_safe("Ada\\r\\nBcc: evil@example.com")
    'Ada Bcc: evil@example.com'
    """
    return " ".join(_CONTROL.sub(" ", value).split())


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
        """A multipart/alternative UTF-8 message: the text part first, then the HTML."""
        message = EmailMessage(policy=policy.SMTP)
        sender = Address(display_name=header_safe(self.sender_name), addr_spec=self.sender_email)
        message["From"] = sender
        message["Reply-To"] = sender
        if self.recipient_email:
            message["To"] = Address(
                display_name=header_safe(self.recipient_name), addr_spec=self.recipient_email
            )
        message["Subject"] = header_safe(self.subject)
        message["Date"] = format_datetime(date or datetime.now(UTC))
        domain = self.sender_email.rpartition("@")[2]
        message["Message-ID"] = message_id or make_msgid(idstring=self.order_id, domain=domain)
        for name, value in self.headers.items():
            message[name] = header_safe(value)
        message.set_content(self.text, subtype="plain", charset="utf-8", cte="quoted-printable")
        message.add_alternative(self.html, subtype="html", charset="utf-8", cte="quoted-printable")
        return message

    def to_bytes(self, **kwargs: object) -> bytes:
        """The message as RFC 5322 bytes with CRLF line ends, ready for an ``.eml`` file."""
        return self.to_message(**kwargs).as_bytes()  # type: ignore[arg-type]
