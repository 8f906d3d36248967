"""Who may read the preview: this machine's browser, through the preview's own pages.

A web page elsewhere cannot read the preview's responses, but it can make the browser send
requests to it (``<img src="http://127.0.0.1:8025/view/…/ORDER">``) and learn from the status,
the timing or the size whether an order exists.  So every request must come from one of
the preview's own pages or from the address bar, which browsers say in ``Sec-Fetch-Site``.
Clients that do not send the header (older browsers, ``curl``) must show the server's key
instead: in the query (``?key=…``, the address the command prints) or in the cookie set the
first time they do.  A refused request is answered before it is routed, so the answer is the
same for every address.

The ``Host`` a request names is checked before any of this, by Starlette's
:class:`~starlette.middleware.trustedhost.TrustedHostMiddleware` over :data:`LOOPBACK_HOSTS`
(:class:`~sellercomms.preview.app.PreviewApp`).
"""

from __future__ import annotations

import secrets
from typing import Final

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["KEY_PARAMETER", "LOOPBACK_HOSTS", "LocalOnly", "cookie_name"]

#: Host names the pages may be reached by.  Any other ``Host`` header is refused, so a web
#: page elsewhere cannot read the preview through a DNS name pointed at 127.0.0.1.
LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "[::1]"})
#: The query parameter that carries the server's key.
KEY_PARAMETER: Final = "key"

# Browsers send these for the address bar, bookmarks and the preview's own pages; another
# port of this machine is "same-site" and refused too.
_OWN_SITES: Final = frozenset({"same-origin", "none"})
_PAGE_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-src 'self'; object-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)
_NO_STORE: Final = {"Cache-Control": "no-store"}
_FOREIGN: Final = (
    "the preview answers its own pages only: open the address `sellercomms preview` printed"
)


def cookie_name(port: int) -> str:
    """The key's cookie for the server on ``port``: browsers share cookies across ports.

    >>> cookie_name(8025)
    'sellercomms-preview-8025'
    """
    return f"sellercomms-preview-{port}"


class LocalOnly:
    """Refuses requests that other web pages make; sets safe defaults on every response.

    Pages get a content security policy allowing only the preview's own scripts, styles and
    frames; every response is kept from being sniffed into another type, and links to shops
    and carriers do not send the preview's address as the referrer.
    """

    def __init__(self, app: ASGIApp, key: str) -> None:
        self.app = app
        self.key = key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = cookie_name(scope["server"][1] if scope.get("server") else 0)
        admitted, remember = self._admits(headers, QueryParams(scope["query_string"]), cookie)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = MutableHeaders(scope=message)
                extra.setdefault("Content-Security-Policy", _PAGE_POLICY)
                extra.setdefault("X-Content-Type-Options", "nosniff")
                extra.setdefault("Referrer-Policy", "no-referrer")
                if remember:
                    # The page's own requests then need not carry the key.
                    extra.append(
                        "Set-Cookie", f"{cookie}={self.key}; Path=/; HttpOnly; SameSite=Strict"
                    )
            await send(message)

        if admitted:
            await self.app(scope, receive, send_with_headers)
            return
        refused = PlainTextResponse(_FOREIGN, status_code=403, headers=_NO_STORE)
        await refused(scope, receive, send_with_headers)

    def _admits(self, headers: Headers, query: QueryParams, cookie: str) -> tuple[bool, bool]:
        """Whether a request may be answered, and whether to set the key's cookie."""
        site = headers.get("sec-fetch-site")
        if site is not None:
            return site in _OWN_SITES, False
        in_query = self._matches(query.get(KEY_PARAMETER))
        in_cookie = self._matches(cookie_parser(headers.get("cookie", "")).get(cookie))
        return in_query or in_cookie, in_query and not in_cookie

    def _matches(self, key: str | None) -> bool:
        # Compared in constant time: the time taken tells nothing about the key.
        return key is not None and secrets.compare_digest(key.encode(), self.key.encode())
