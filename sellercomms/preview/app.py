"""The preview's web application: pages, the e-mail frame, downloads and live-reload events.

Rendering runs in worker threads (a slip takes WeasyPrint a few hundred milliseconds) so the
event loop stays free for the live-reload stream.  Pages are rendered whole or, for the
page's own refreshes (``X-Preview: fragment``), as the part that changes.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from functools import partial
from typing import Any, Final, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..channels import CHANNELS
from ..filenames import file_stem
from ..models import Order
from .access import LOOPBACK_HOSTS, LocalOnly
from .pages import STATIC, Scheme, ViewState, overview_url, render_page, view_url
from .previews import EmailPreview, SlipPreview
from .problems import Problem
from .raster import PIXELS_PER_POINT
from .watch import Hub, watch_sources
from .workspace import LOCALES, Snapshot, TemplateEntry, Workspace

__all__ = ["PreviewApp"]

# At most this many orders in the overview grid: every cell is a render.
OVERVIEW_ORDERS: Final = 12
# A comment line this often keeps idle event streams open through proxies and sleep.
KEEPALIVE_SECONDS: Final = 15.0

_HEAD: Final = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_HEAD_END: Final = re.compile(r"</head\s*>", re.IGNORECASE)
_STYLE: Final = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.IGNORECASE | re.DOTALL)
_SCHEME_TEST: Final = re.compile(r"\(\s*prefers-color-scheme\s*:\s*(light|dark)\s*\)", re.I)
# Media features true and false in any frame: a scheme test replaced by one keeps its place in
# "and", "not" and comma lists.
_ALWAYS: Final = "(min-width: 0px)"
_NEVER: Final = "(max-width: 0px)"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cell:
    """One template for one order in the overview grid."""

    url: str
    problem: Problem | None


class PreviewApp:
    """The routes over one :class:`Workspace`; :attr:`app` is the ASGI application."""

    def __init__(self, workspace: Workspace, *, hosts: frozenset[str] = LOOPBACK_HOSTS) -> None:
        self.workspace = workspace
        self.hub = Hub()
        #: Tells pages that the server was restarted, so they show what it serves now.
        self.server_id = secrets.token_hex(6)
        #: Lets in clients that do not say which page a request comes from (see ``access``).
        self.key = secrets.token_urlsafe(16)
        #: The file watcher, while the application runs.
        self.watcher: asyncio.Task[None] | None = None
        self.app = Starlette(
            routes=[
                Route("/", self.overview),
                Route("/view/{template}/{order_id}", self.view),
                Route("/frame/{template}/{order_id}", self.frame),
                Route("/eml/{template}/{order_id}", self.eml),
                Route("/slip/{order_id}/slips.pdf", self.pdf),
                Route("/slip/{order_id}/page-{page:int}.png", self.png),
                Route("/events", self.events),
                Mount("/static", StaticFiles(directory=STATIC), name="static"),
            ],
            # The Host check comes first: no key cookie is ever set for another host name.
            middleware=[
                Middleware(TrustedHostMiddleware, allowed_hosts=sorted(hosts), www_redirect=False),
                Middleware(LocalOnly, key=self.key),
            ],
            lifespan=self._lifespan,
        )

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        self.watcher = asyncio.create_task(watch_sources(self.workspace, self.hub, stop))
        try:
            yield
        finally:
            stop.set()
            self.hub.close()
            self.watcher.cancel()
            with suppress(asyncio.CancelledError):
                await self.watcher

    async def overview(self, request: Request) -> Response:
        state = ViewState.from_query(request.query_params)

        def grid() -> tuple[Snapshot, list[tuple[TemplateEntry, list[Cell]]]]:
            snapshot = self.workspace.snapshot()
            rows = []
            for entry in snapshot.templates:
                cells = []
                for order in snapshot.orders[:OVERVIEW_ORDERS]:
                    problem = self.workspace.status(
                        entry.name, order.order_id, locale=state.locale, channel=state.channel
                    )
                    url = view_url(entry.name, order.order_id, state)
                    cells.append(Cell(url, problem))
                rows.append((entry, cells))
            return snapshot, rows

        snapshot, rows = await run_in_threadpool(grid)
        return self._page(
            request,
            "overview.html",
            snapshot,
            state,
            title="All templates",
            here=overview_url,
            rows=rows,
            orders=snapshot.orders[:OVERVIEW_ORDERS],
            more_orders=max(0, len(snapshot.orders) - OVERVIEW_ORDERS),
        )

    async def view(self, request: Request) -> Response:
        template = request.path_params["template"]
        order_id = request.path_params["order_id"]
        state = ViewState.from_query(request.query_params)
        snapshot = await run_in_threadpool(self.workspace.snapshot)
        entry = snapshot.template(template)
        order = snapshot.order(order_id)
        if entry is None or order is None:
            missing = f"template {template!r}" if entry is None else f"order {order_id!r}"
            problem = Problem(kind="input", title="Nothing to show", message=f"no {missing}")
            return self._page(
                request,
                "missing.html",
                snapshot,
                state,
                status=404,
                title="Not found",
                problem=problem,
            )
        context: dict[str, Any] = {
            "entry": entry,
            "order": order,
            "title": f"{template} · {order_id}",
            "current_template": template,
            "here": partial(view_url, template, order_id),
            "order_locale": snapshot.renderer.locale_for(order) if snapshot.renderer else "",
            "order_channel": snapshot.renderer.channel_for(order).name if snapshot.renderer else "",
        }
        if entry.medium == "packing_slip":
            slip = await self._run(
                self.workspace.slip, order_id, locale=state.locale, page_size=state.size
            )
            return self._page(
                request,
                "slip.html",
                snapshot,
                state,
                preview=slip,
                problem=slip if isinstance(slip, Problem) else None,
                pixels_per_point=PIXELS_PER_POINT,
                **context,
            )
        mail = await self._run(
            self.workspace.email, template, order_id, locale=state.locale, channel=state.channel
        )
        return self._page(
            request,
            "email.html",
            snapshot,
            state,
            preview=mail,
            problem=mail if isinstance(mail, Problem) else None,
            fixes=_other_channels(mail, template, context["here"], state),
            **context,
        )

    async def frame(self, request: Request) -> Response:
        """The e-mail HTML alone, for the sandboxed frame: no scripts, links open a new tab."""
        state = ViewState.from_query(request.query_params)
        preview = await self._email(request, state)
        if isinstance(preview, Problem):
            html = render_page("frame_problem.html", {"problem": preview})
        else:
            html = _emulate_scheme(_open_links_in_new_tab(preview.mail.html), state.scheme)
        images = "https: http:" if state.images else ""
        policy = (
            f"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: {images}; "
            "font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": policy, **_NO_STORE})

    async def eml(self, request: Request) -> Response:
        preview = await self._email(request, ViewState.from_query(request.query_params))
        if isinstance(preview, Problem):
            return PlainTextResponse(f"{preview.title}: {preview.message}", status_code=409)
        mail = preview.mail
        name = f"{mail.template}-{file_stem(mail.order_id)}-{mail.locale}.eml"
        return Response(
            preview.eml,
            media_type="message/rfc822",
            headers={"Content-Disposition": f'attachment; filename="{name}"', **_NO_STORE},
        )

    async def pdf(self, request: Request) -> Response:
        order_id = request.path_params["order_id"]
        preview = await self._slip(request, order_id)
        if isinstance(preview, Problem):
            return PlainTextResponse(f"{preview.title}: {preview.message}", status_code=409)
        how = "attachment" if request.query_params.get("download") == "1" else "inline"
        headers = {
            "Content-Disposition": f'{how}; filename="packing-slips-{file_stem(order_id)}.pdf"',
            # The browser's PDF viewer draws this one; the pages' policy is not for it.
            "Content-Security-Policy": "frame-ancestors 'self'",
            **_NO_STORE,
        }
        return Response(preview.pdf, media_type="application/pdf", headers=headers)

    async def png(self, request: Request) -> Response:
        state = ViewState.from_query(request.query_params)
        order_id = request.path_params["order_id"]
        image = await self._run(
            self.workspace.slip_page,
            order_id,
            request.path_params["page"] - 1,
            locale=state.locale,
            page_size=state.size,
        )
        if image is None:
            return PlainTextResponse("no such page", status_code=404)
        return Response(image, media_type="image/png", headers=dict(_NO_STORE))

    async def events(self, request: Request) -> Response:
        """Server-sent events: ``hello`` on connecting, then ``change`` after every change."""
        queue = self.hub.subscribe()

        async def stream() -> AsyncIterator[str]:
            try:
                # Pages reconnect a second after the server went away.
                yield "retry: 1000\n"
                yield _event("hello", self._status())
                while True:
                    try:
                        generation = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if generation is None:
                        return
                    yield _event("change", self._status())
            finally:
                self.hub.unsubscribe(queue)

        return StreamingResponse(stream(), media_type="text/event-stream", headers=dict(_NO_STORE))

    def _status(self) -> dict[str, Any]:
        return {"server": self.server_id, "generation": self.workspace.generation}

    async def _email(self, request: Request, state: ViewState) -> EmailPreview | Problem:
        return await self._run(
            self.workspace.email,
            request.path_params["template"],
            request.path_params["order_id"],
            locale=state.locale,
            channel=state.channel,
        )

    async def _slip(self, request: Request, order_id: str) -> SlipPreview | Problem:
        state = ViewState.from_query(request.query_params)
        return await self._run(
            self.workspace.slip, order_id, locale=state.locale, page_size=state.size
        )

    async def _run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await run_in_threadpool(partial(function, *args, **kwargs))

    def _page(
        self,
        request: Request,
        name: str,
        snapshot: Snapshot,
        state: ViewState,
        *,
        status: int = 200,
        **context: Any,
    ) -> Response:
        current = context.get("order")
        context.setdefault("current_template", None)
        html = render_page(
            name,
            {
                "fragment": request.headers.get("x-preview") == "fragment",
                "server_id": self.server_id,
                "generation": snapshot.generation,
                "snapshot": snapshot,
                "sources": self.workspace.sources,
                "state": state,
                "locales": LOCALES,
                "channels": CHANNELS,
                "nav": _nav(snapshot, state, current),
                **context,
            },
        )
        headers = {"X-Preview-Generation": str(snapshot.generation), "Vary": "X-Preview"}
        return HTMLResponse(html, status_code=status, headers={**headers, **_NO_STORE})


_NO_STORE: Final[Mapping[str, str]] = {"Cache-Control": "no-store"}


def _nav(
    snapshot: Snapshot, state: ViewState, current: Order | None
) -> list[tuple[TemplateEntry, str | None]]:
    """Each template with the view it opens: the current order, else the first it suits."""
    links: list[tuple[TemplateEntry, str | None]] = []
    for entry in snapshot.templates:
        order = current or snapshot.first_order_for(entry.name)
        url = view_url(entry.name, order.order_id, state) if order is not None else None
        links.append((entry, url))
    return links


def _other_channels(
    preview: EmailPreview | Problem,
    template: str,
    here: Callable[[ViewState], str],
    state: ViewState,
) -> list[tuple[str, str]]:
    """Channels that allow ``template``, with their views, when a channel rule forbids it."""
    if not isinstance(preview, Problem) or preview.kind != "policy":
        return []
    return [
        (name, here(state.with_(channel=name)))
        for name, rules in CHANNELS.items()
        if name != preview.channel and rules.forbidding_rule(template) is None
    ]


def _event(name: str, data: Mapping[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _open_links_in_new_tab(html: str) -> str:
    # A link followed inside the sandboxed frame would replace the e-mail; mail clients open
    # links in a new window, and so does the preview.
    base = '<base target="_blank">'
    match = _HEAD.search(html)
    if match is None:
        return base + html
    return f"{html[: match.end()]}{base}{html[match.end() :]}"


def _emulate_scheme(html: str, scheme: Scheme) -> str:
    """``html`` as a mail client set to ``scheme`` shows it, whatever the browser's setting.

    Every ``(prefers-color-scheme: …)`` test in the ``<style>`` blocks becomes a test that is
    always true (the chosen scheme) or always false (the other), and the page's colour scheme
    is fixed, so form controls and the frame's canvas follow too.
    """

    def test(match: re.Match[str]) -> str:
        return _ALWAYS if match.group(1).lower() == scheme else _NEVER

    def block(match: re.Match[str]) -> str:
        return match.group(1) + _SCHEME_TEST.sub(test, match.group(2)) + match.group(3)

    forced = f"<style>:root {{ color-scheme: only {scheme} !important; }}</style>"
    html = _STYLE.sub(block, html)
    end = _HEAD_END.search(html)
    if end is None:
        return forced + html
    return f"{html[: end.start()]}{forced}{html[end.start() :]}"
