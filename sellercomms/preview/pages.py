"""The preview's own pages: its view state, its URLs and its (trusted) Jinja templates.

Every control of the page lives in the query string, so a refresh, a bookmark or a live
reload shows the same view.  The page templates in ``ui/`` are the tool's own code, kept apart
from the buyer templates: a plain autoescaping Jinja environment renders them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal, get_args
from urllib.parse import quote, urlencode

import jinja2

from ..slips import PAGE_SIZES, PageSize
from .problems import Problem

__all__ = ["STATIC", "ViewState", "render_page"]

UI: Final = Path(__file__).with_name("ui")
STATIC: Final = UI / "static"

Width = Literal["desktop", "mobile", "both"]
#: The colour scheme the e-mail frame emulates, whatever the browser's own setting.
Scheme = Literal["light", "dark"]
EMAIL_TABS: Final = ("message", "text", "source", "headers", "links")
SLIP_TABS: Final = ("pages", "pdf", "source", "links")


@dataclass(frozen=True, slots=True)
class ViewState:
    """The choices of the page: ``None`` for locale and channel means the order's own."""

    locale: str | None = None
    channel: str | None = None
    size: PageSize = "letter"
    width: Width = "desktop"
    tab: str = ""
    images: bool = False
    scheme: Scheme = "light"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> ViewState:
        """The state a query string asks for; anything unknown falls back to the default."""
        size = query.get("size", "letter")
        width = query.get("width", "desktop")
        tab = query.get("tab", "")
        return cls(
            locale=query.get("locale") or None,
            channel=query.get("channel") or None,
            size=size if size in PAGE_SIZES else "letter",  # type: ignore[arg-type]
            width=width if width in get_args(Width) else "desktop",  # type: ignore[arg-type]
            tab=tab if tab in (*EMAIL_TABS, *SLIP_TABS) else "",
            images=query.get("images") == "1",
            scheme="dark" if query.get("scheme") == "dark" else "light",
        )

    def with_(self, **changes: Any) -> ViewState:
        return replace(self, **changes)

    def query(self, *, render_only: bool = False) -> str:
        """The state as a query string (with ``?``), defaults left out.

        ``render_only`` keeps what changes the rendered output (locale, channel, page size,
        remote images, colour scheme) and drops what only arranges the page.
        """
        pairs = {
            "locale": self.locale or "",
            "channel": self.channel or "",
            "size": "" if self.size == "letter" else self.size,
            "images": "1" if self.images else "",
            "scheme": "" if self.scheme == "light" else self.scheme,
        }
        if not render_only:
            pairs |= {"width": "" if self.width == "desktop" else self.width, "tab": self.tab}
        kept = {key: value for key, value in pairs.items() if value}
        return f"?{urlencode(kept)}" if kept else ""

    def tab_for(self, medium: str) -> str:
        """The tab to show: the chosen one if this kind of view has it, else the first."""
        tabs = EMAIL_TABS if medium == "email" else SLIP_TABS
        return self.tab if self.tab in tabs else tabs[0]


def view_url(template: str, order_id: str, state: ViewState) -> str:
    return f"/view/{quote(template, safe='')}/{quote(order_id, safe='')}{state.query()}"


def overview_url(state: ViewState) -> str:
    return f"/{state.query()}"


def frame_url(template: str, order_id: str, state: ViewState, generation: int) -> str:
    return _versioned(f"/frame/{_path(template, order_id)}", state, generation)


def eml_url(template: str, order_id: str, state: ViewState, generation: int) -> str:
    return _versioned(f"/eml/{_path(template, order_id)}", state, generation)


def pdf_url(order_id: str, state: ViewState, generation: int) -> str:
    return _versioned(f"/slip/{quote(order_id, safe='')}/slips.pdf", state, generation)


def png_url(order_id: str, index: int, state: ViewState, generation: int) -> str:
    path = f"/slip/{quote(order_id, safe='')}/page-{index + 1}.png"
    return _versioned(path, state, generation)


def _path(template: str, order_id: str) -> str:
    return f"{quote(template, safe='')}/{quote(order_id, safe='')}"


def _versioned(path: str, state: ViewState, generation: int) -> str:
    # The generation in the URL makes the browser fetch anew after every change.
    query = state.query(render_only=True)
    return f"{path}{query}{'&' if query else '?'}v={generation}"


def kilobytes(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def problem_anchor(problem: Problem) -> str:
    """A short label of ``problem`` for the overview grid."""
    if problem.kind == "policy":
        return problem.rule or "not allowed"
    if problem.lineno is not None:
        return f"line {problem.lineno}"
    return problem.title.lower()


_ENVIRONMENT: Final = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(UI)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.globals.update(
    overview_url=overview_url,
    view_url=view_url,
    frame_url=frame_url,
    eml_url=eml_url,
    pdf_url=pdf_url,
    png_url=png_url,
    kilobytes=kilobytes,
    problem_anchor=problem_anchor,
    page_sizes=tuple(PAGE_SIZES),
)


def render_page(name: str, context: Mapping[str, Any]) -> str:
    """Render the page template ``name`` (in ``ui/``) with ``context``."""
    return _ENVIRONMENT.get_template(name).render(context)
