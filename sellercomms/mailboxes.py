"""E-mail addresses: the one set of rules an address must meet to be written in a header.

The order and seller models check addresses with it when they are read, and the e-mail
writer checks them again, so an order that loads can always be addressed.
"""

from __future__ import annotations

import re

__all__ = ["MAX_ADDRESS", "address_problem"]

#: The longest address a header may carry (RFC 5321, 4.5.3.1.3).
MAX_ADDRESS = 254

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_PART = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def address_problem(address: str) -> str | None:
    """Why ``address`` cannot be written in an e-mail header, or ``None`` when it can.

    Only plain ASCII ``name@domain.example`` addresses are written: a dot-atom before the
    ``@`` (no quoted names, no ``=?`` that a reader could decode) and a host name after it.

    >>> address_problem("ada@example")
    'is not an e-mail address: the domain needs a dot and must end in a name, e.g. example.com'
    >>> address_problem("ada@example.com") is None
    True
    """
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        reason = "it needs a name, an @ and a domain"
    elif not local.isascii():
        reason = (
            "it has non-ASCII characters before the @; such an address needs SMTPUTF8, which "
            "sellercomms does not write"
        )
    elif not domain.isascii():
        reason = "write the domain after the @ in its ASCII form (xn--…)"
    elif not _LOCAL_PART.fullmatch(local):
        reason = (
            "before the @ only letters, digits, single dots and !#$%&'*+/=?^_`{|}~- are allowed"
        )
    elif "=?" in local:
        reason = "'=?' before the @ would read as an encoded word"
    elif len(local) > 64:
        reason = "the part before the @ is longer than 64 characters"
    elif not all(_DOMAIN_LABEL.fullmatch(label) for label in domain.split(".")):
        reason = (
            "the domain needs names of letters, digits and inner hyphens, joined by single dots"
        )
    elif "." not in domain or domain.rpartition(".")[2].isdigit():
        reason = "the domain needs a dot and must end in a name, e.g. example.com"
    elif len(address) > MAX_ADDRESS:
        reason = f"it is longer than {MAX_ADDRESS} characters"
    else:
        return None
    return f"is not an e-mail address: {reason}"
