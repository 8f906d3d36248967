"""What the preview reads: a seller, orders and templates, read again after every change.

A :class:`Workspace` holds one :class:`Snapshot` of its sources per *generation*.  The file
watcher calls :meth:`Workspace.invalidate` (it only counts up, so it never waits for a render
in progress); the next request builds a fresh snapshot with a new :class:`~sellercomms.Renderer`,
because a Jinja environment does not notice a new override file shadowing a built-in template.
Renders are cached per generation and made one at a time: the preview serves one person, and
neither WeasyPrint nor PDFium promise thread safety.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, TypeVar

from ..catalogs import SHIPPED_LOCALES
from ..environment import builtin_templates_dir
from ..exceptions import InputError, SellerCommsError
from ..formatting import is_known_locale
from ..loading import load_seller, read_orders
from ..messages import EMAIL_TEMPLATES, MESSAGES, email_template_files
from ..models import Order
from ..renderer import Renderer
from ..samples import sample_orders_path, sample_seller_path
from ..slips import SLIP_TEMPLATE, PageSize
from ..template_files import added_emails, overrides
from .previews import EmailPreview, SlipPreview, email_preview, slip_html_check, slip_preview
from .problems import Problem, problem_from
from .raster import page_png

__all__ = ["LOCALES", "Snapshot", "Sources", "TemplateEntry", "Workspace"]

#: The locales the preview offers; any other locale Babel knows can be typed into the URL.
LOCALES: Final = SHIPPED_LOCALES

# Rendered previews kept per generation: enough for every view of a few orders, while PDFs
# and page images of a long afternoon do not pile up.
_CACHE_ENTRIES: Final = 96

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Sources:
    """The files the preview reads; ``None`` stands for the built-in samples."""

    templates: Path | None = None
    orders: Path | None = None
    seller: Path | None = None
    #: The platform whose API payloads the orders file holds (``--from``); ``None``: ours.
    platform: str | None = None

    def __post_init__(self) -> None:
        # Absolute paths: the watcher compares them with the paths of changed files.
        for name in ("templates", "orders", "seller"):
            path = getattr(self, name)
            if path is not None:
                object.__setattr__(self, name, Path(path).resolve())

    @property
    def orders_path(self) -> Path:
        return self.orders or sample_orders_path()

    @property
    def seller_path(self) -> Path:
        return self.seller or sample_seller_path()

    def folders(self) -> tuple[Path, ...]:
        """Template folders, the seller's first; changes anywhere in them matter."""
        own = (self.templates,) if self.templates is not None else ()
        return (*own, builtin_templates_dir())


@dataclass(frozen=True, slots=True)
class TemplateEntry:
    """One template the preview lists; ``own`` when the seller's folder has its own version."""

    name: str
    medium: Literal["email", "packing_slip"]
    summary: str
    own: bool


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The sources as read for one generation.

    ``problems`` stop the preview as a whole (an unreadable seller profile or orders file, a
    missing template folder); ``skipped`` are orders left out, one line each.
    """

    generation: int
    renderer: Renderer | None
    orders: tuple[Order, ...]
    templates: tuple[TemplateEntry, ...]
    problems: tuple[Problem, ...] = ()
    skipped: tuple[str, ...] = ()
    seller_name: str | None = None
    watched_files: frozenset[Path] = field(default_factory=frozenset)

    def order(self, order_id: str) -> Order | None:
        return next((order for order in self.orders if order.order_id == order_id), None)

    def template(self, name: str) -> TemplateEntry | None:
        return next((entry for entry in self.templates if entry.name == name), None)

    def first_order_for(self, template: str) -> Order | None:
        """The first order whose own channel allows ``template``, else the first order."""
        if self.renderer is not None:
            for order in self.orders:
                if self.renderer.channel_for(order).forbidding_rule(template) is None:
                    return order
        return self.orders[0] if self.orders else None


class Workspace:
    """The preview's sources, their current snapshot and the previews rendered from it."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self._generation = 0
        self._counter = threading.Lock()
        self._render = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._cache: OrderedDict[tuple[object, ...], object] = OrderedDict()

    @property
    def generation(self) -> int:
        """Counts the changes seen so far; every change makes the next request read anew."""
        return self._generation

    def invalidate(self) -> int:
        """Mark everything read so far as stale; returns the new generation."""
        with self._counter:
            self._generation += 1
            return self._generation

    def watched_files(self) -> frozenset[Path]:
        """The seller profile, its logo and the orders file, as of the last snapshot read."""
        snapshot = self._snapshot
        if snapshot is None:
            return frozenset({self.sources.seller_path, self.sources.orders_path})
        return snapshot.watched_files

    def snapshot(self) -> Snapshot:
        """The sources as they are now, read again if anything changed since the last time."""
        with self._render:
            generation = self._generation
            if self._snapshot is None or self._snapshot.generation != generation:
                self._cache.clear()
                self._snapshot = _read(self.sources, generation)
            return self._snapshot

    def email(
        self, template: str, order_id: str, *, locale: str | None, channel: str | None
    ) -> EmailPreview | Problem:
        """The e-mail ``template`` for one order, or why it cannot be shown."""

        def render(renderer: Renderer, order: Order) -> EmailPreview:
            return email_preview(renderer, template, order, locale=locale, channel=channel)

        key = ("email", template, order_id, locale, channel)
        return self._cached(key, order_id, locale, render)

    def slip(
        self, order_id: str, *, locale: str | None, page_size: PageSize
    ) -> SlipPreview | Problem:
        """The packing slips of one order as PDF, or why they cannot be shown."""

        def render(renderer: Renderer, order: Order) -> SlipPreview:
            return slip_preview(renderer, order, locale=locale, page_size=page_size)

        return self._cached(("slip", order_id, locale, page_size), order_id, locale, render)

    def slip_page(
        self, order_id: str, index: int, *, locale: str | None, page_size: PageSize
    ) -> bytes | None:
        """Page ``index`` (from 0) of the slips as PNG; ``None`` when there is no such page."""
        with self._render:
            generation = self.snapshot().generation
            preview = self.slip(order_id, locale=locale, page_size=page_size)
            if not isinstance(preview, SlipPreview) or not 0 <= index < len(preview.pages):
                return None
            key = ("png", order_id, locale, page_size, index, generation)
            found = self._cache.get(key)
            if not isinstance(found, bytes):
                found = page_png(preview.pdf, index)
                self._remember(key, found)
            return found

    def status(
        self, template: str, order_id: str, *, locale: str | None, channel: str | None
    ) -> Problem | None:
        """Why ``template`` fails for one order, or ``None`` when it renders (the overview)."""
        entry = self.snapshot().template(template)
        if entry is not None and entry.medium == "packing_slip":

            def check(renderer: Renderer, order: Order) -> bool:
                slip_html_check(renderer, order, locale=locale)
                return True

            key = ("slip-html", order_id, locale)
            result: object = self._cached(key, order_id, locale, check)
        else:
            result = self.email(template, order_id, locale=locale, channel=channel)
        return result if isinstance(result, Problem) else None

    def _cached(
        self,
        key: tuple[object, ...],
        order_id: str,
        locale: str | None,
        render: Callable[[Renderer, Order], T],
    ) -> T | Problem:
        with self._render:
            snapshot = self.snapshot()
            full_key = (*key, snapshot.generation)
            if full_key in self._cache:
                self._cache.move_to_end(full_key)
                return self._cache[full_key]  # type: ignore[return-value]
            result = _render_one(snapshot, order_id, locale, render)
            self._remember(full_key, result)
            return result

    def _remember(self, key: tuple[object, ...], value: object) -> None:
        self._cache[key] = value
        while len(self._cache) > _CACHE_ENTRIES:
            self._cache.popitem(last=False)


def _render_one(
    snapshot: Snapshot,
    order_id: str,
    locale: str | None,
    render: Callable[[Renderer, Order], T],
) -> T | Problem:
    if snapshot.problems:
        return snapshot.problems[0]
    renderer = snapshot.renderer
    order = snapshot.order(order_id)
    if renderer is None or order is None:
        return Problem(
            kind="input",
            title="No such order",
            message=f"there is no order {order_id!r} in the orders file",
        )
    if locale is not None and not is_known_locale(locale):
        return Problem(kind="input", title="Unknown locale", message=f"no locale {locale!r}")
    try:
        return render(renderer, order)
    except Exception as error:  # the page shows what broke, never a bare server error
        return problem_from(error, renderer.environment)


def _read(sources: Sources, generation: int) -> Snapshot:
    problems: list[Problem] = []
    watched = {sources.seller_path, sources.orders_path}
    renderer: Renderer | None = None
    seller_name: str | None = None
    try:
        seller = load_seller(sources.seller_path)
    except SellerCommsError as error:
        problems.append(problem_from(error))
    else:
        seller_name = seller.name
        if seller.logo_path is not None:
            watched.add(Path(seller.logo_path))
        try:
            renderer = Renderer(seller, sources.templates)
        except SellerCommsError as error:
            problems.append(problem_from(error))
    orders, skipped = _read_orders(sources.orders_path, sources.platform, problems)
    return Snapshot(
        generation=generation,
        renderer=renderer,
        orders=orders,
        templates=_templates(sources.templates),
        problems=tuple(problems),
        skipped=skipped,
        seller_name=seller_name,
        watched_files=frozenset(path.resolve() for path in watched),
    )


def _read_orders(
    path: Path, platform: str | None, problems: list[Problem]
) -> tuple[tuple[Order, ...], tuple[str, ...]]:
    orders: dict[str, Order] = {}
    skipped: list[str] = []
    try:
        for index, result in enumerate(read_orders(path, platform=platform), start=1):
            if isinstance(result, InputError):
                skipped.append(str(result))
            elif result.order_id in orders:
                skipped.append(f"order {result.order_id} (#{index}): appears twice; shown once")
            else:
                orders[result.order_id] = result
    except SellerCommsError as error:
        problems.append(problem_from(error))
    if not orders and not problems:
        problems.append(
            Problem(kind="input", title="No orders", message=f"{path}: no usable order")
        )
    return tuple(orders.values()), tuple(skipped)


def _templates(folder: Path | None) -> tuple[TemplateEntry, ...]:
    entries = [
        TemplateEntry(
            name, "email", MESSAGES[name].summary, overrides(folder, email_template_files(name)[0])
        )
        for name in EMAIL_TEMPLATES
    ]
    entries += [
        TemplateEntry(name, "email", "A seller's own e-mail template.", True)
        for name in added_emails(folder)
    ]
    slip = MESSAGES["packing_slip"]
    entries.append(
        TemplateEntry(slip.name, "packing_slip", slip.summary, overrides(folder, SLIP_TEMPLATE))
    )
    return tuple(entries)
