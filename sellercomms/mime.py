"""The bytes of a multipart/alternative e-mail, written directly.

``EmailMessage`` and its generator take about 4 ms to build and write a message of two
parts, most of it re-parsing headers and splitting the bodies line by line in Python; this
module writes the same structure in a small fraction of that.  The headers come finished
from :mod:`sellercomms.mail`, which encodes and folds them; here only the MIME structure and
the bodies are written:

- each body is UTF-8, quoted-printable (``binascii.b2a_qp``): ASCII lines of at most 76
  characters ending in CRLF, trailing white space and ``=`` encoded, so the message passes
  any mail relay unchanged and a DKIM signature over it stays valid;
- the boundary starts with ``=_``, which quoted-printable never writes (``=`` is always
  followed by two hex digits or a line end), so no body can contain it.
"""

from __future__ import annotations

import secrets
from binascii import b2a_qp
from collections.abc import Iterable

__all__ = ["alternative", "quoted_printable"]

_CRLF = b"\r\n"


def quoted_printable(text: str) -> bytes:
    r"""``text`` as UTF-8 quoted-printable, every line ending in CRLF.

    Line ends of any kind (LF, CR, CRLF) become CRLF, and the last line gets one, as the
    standard library's ``set_content`` does.

    >>> quoted_printable("Caf\u00e9 = 5 \u20ac \nnext")
    b'Caf=C3=A9 =3D 5 =E2=82=AC=20\r\nnext\r\n'
    """
    body = _CRLF.join(text.encode("utf-8").splitlines()) + _CRLF
    # With CRLF before the first line feed, b2a_qp ends every line, soft breaks included,
    # in CRLF.
    return b2a_qp(body, istext=True)


def alternative(headers: Iterable[str], text: str, html: str) -> bytes:
    """A multipart/alternative message: the text part first, then the HTML.

    ``headers`` are finished header lines, each ending in CRLF (``MIME-Version`` and the
    ``Content-*`` headers are written here).  Raises :class:`UnicodeEncodeError` for a lone
    surrogate in ``text`` or ``html``.
    """
    boundary = f"=_{secrets.token_hex(16)}".encode("ascii")
    delimiter = b"--" + boundary
    parts = [
        "".join(headers).encode("ascii"),
        b"MIME-Version: 1.0\r\n",
        b'Content-Type: multipart/alternative;\r\n boundary="' + boundary + b'"\r\n\r\n',
    ]
    for subtype, body in ((b"plain", text), (b"html", html)):
        parts += [
            delimiter,
            b"\r\nContent-Type: text/" + subtype + b'; charset="utf-8"\r\n',
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            quoted_printable(body),
            _CRLF,
        ]
    parts += [delimiter, b"--\r\n"]
    return b"".join(parts)
