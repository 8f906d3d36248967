"""The Jinja environment every message is rendered in.

* A seller's template folder overrides the built-in templates name by name.
* Templates run in Jinja's immutable sandbox with autoescaping on (for ``.html``) and
  :class:`~jinja2.StrictUndefined`, so a misspelled variable fails with its template and line.
* ``{% trans %}`` and ``_()`` look up the catalog of the message being rendered.
* Filters (``money``, ``date``, ``address_lines`` …) format for the message's locale.
* Customer text only ever arrives as data; nothing from an order is compiled as a template.
* Templates receive plain values (:func:`~sellercomms.context.template_value`); the formatter
  the filters use stays out of their reach.
* Every render has a time budget and an output budget (:class:`TemplateEnvironment`); a
  template that exceeds one, or recurses without end, fails with its name and line.
* Whatever else template code raises is a :class:`~sellercomms.exceptions.TemplateError` at
  its innermost template line, whoever renders (:meth:`TemplateEnvironment.render`).
* Templates are read only from inside their folders: a symbolic link or a ``..`` that leads
  out of a folder is refused.
"""

from __future__ import annotations

import gettext
import re
import time
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from jinja2 import meta, nodes, pass_context, pass_eval_context
from jinja2.debug import rewrite_traceback_stack
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup

from .addresses import AddressFields
from .bidi import AUTO_OPEN, LTR_CLOSE, LTR_OPEN
from .catalogs import catalog_files, translations_for
from .context import template_variables
from .exceptions import SellerCommsError, TemplateError, TemplateNotFound
from .formatting import Formatter
from .loader import FolderLoader
from .plaintext import underline, wrap
from .sandbox import Budget, MeteredSandbox, OutOfBudget, budget_in_force
from .stylesheets import check_stylesheet

__all__ = ["TemplateEnvironment", "builtin_templates_dir"]


def builtin_templates_dir() -> Path:
    """The folder of the built-in templates: inside the installed package, or the checkout's."""
    packaged = resources.files("sellercomms") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "templates"


# The catalog of the message being rendered; the gettext callables below read it, so one
# compiled template serves every locale.
_translations: ContextVar[gettext.NullTranslations] = ContextVar("sellercomms_translations")
# The formatter of the message being rendered, for the filters: templates never hold it (its
# Babel locale can load data files by name).
_formatter_var: ContextVar[Formatter | None] = ContextVar("sellercomms_formatter", default=None)

# Catalog files and their modification times (``None``: gone).
_Stamps = tuple[tuple[Path, int | None], ...]


def _modified(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _generator(chunks: Iterator[str]) -> Generator[str, None, None]:
    # Compiled templates are generator functions; Jinja's annotations say only Iterator.
    assert isinstance(chunks, Generator)
    return chunks


class TemplateEnvironment:
    """Templates from a seller's folder over the built-ins, in a sandbox.

    Each call of :meth:`render` or :meth:`render_block` may run for ``time_limit`` seconds
    and write ``max_output`` characters; beyond either it raises :class:`TemplateError`
    naming the template and line.  Both are attributes and may be changed at any time.

    >>> env = TemplateEnvironment()
    >>> env.folders[-1].name
    'templates'
    >>> env.time_limit, env.max_output
    (5.0, 4000000)
    """

    def __init__(
        self,
        templates: str | Path | None = None,
        *,
        time_limit: float = 5.0,
        max_output: int = 4_000_000,
    ) -> None:
        user = [Path(templates).resolve()] if templates is not None else []
        for folder in user:
            if not folder.is_dir():
                raise TemplateNotFound(f"template folder not found: {folder}")
        self.folders: tuple[Path, ...] = (*user, builtin_templates_dir().resolve())
        self.time_limit = time_limit
        self.max_output = max_output
        self._catalogs: dict[str | Locale, tuple[_Stamps, gettext.NullTranslations]] = {}
        # The compiled template last returned per name: a new one has its chain loaded.
        self._compiled: dict[str, jinja2.Template] = {}
        #: Where templates are read from; its ``on_stylesheet`` sees every stylesheet loaded.
        self.loader = FolderLoader(self.folders, on_stylesheet=check_stylesheet)
        self.jinja = MeteredSandbox(
            loader=self.loader,
            autoescape=jinja2.select_autoescape(("html", "htm", "xml")),
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=True,
        )
        # Jinja's new-style gettext callables, written once here: Jinja's take the template
        # context, so every call inside a loop copied it first, and ``_`` looked ``gettext``
        # up again on each call.  These take the evaluation context (for autoescape) only.
        self.jinja.newstyle_gettext = True  # type: ignore[attr-defined]
        self.jinja.globals.update(
            gettext=_gettext,
            _=_gettext,
            ngettext=_ngettext,
            pgettext=_pgettext,
            npgettext=_npgettext,
        )
        self.jinja.eval_context_functions = frozenset({_gettext, _ngettext, _pgettext, _npgettext})
        self.jinja.filters.update(
            money=_money,
            number=_number,
            date=_date,
            datetime=_datetime,
            time=_time,
            country=_country,
            address_lines=_address_lines,
            ltr=_ltr,
            wrap=wrap,
            underline=underline,
        )

    def translations(self, locale: str | Locale) -> gettext.NullTranslations:
        """The catalog for ``locale`` from the seller's folder and the built-ins.

        Kept per locale: finding a locale's files resolves every candidate path, which cost
        a quarter of a millisecond per message.  As for templates, a catalog file that
        changed since it was read is read again.
        """
        kept = self._catalogs.get(locale)
        if kept is not None and all(_modified(path) == stamp for path, stamp in kept[0]):
            return kept[1]
        # Stamps first: a file that changes while it is read is read again next time.
        stamps = tuple((path, _modified(path)) for path in catalog_files(locale, self.folders))
        translations = translations_for(locale, self.folders)
        self._catalogs[locale] = (stamps, translations)
        return translations

    def get(self, name: str) -> jinja2.Template:
        """The template ``name``; raises :class:`TemplateNotFound` or :class:`TemplateError`.

        A template compiled anew has its whole :meth:`chain` compiled with it, so that no
        render spends its time budget compiling what it extends, includes or imports.
        """
        try:
            template = self.jinja.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise TemplateNotFound(
                f"no template {exc.name!r} in {', '.join(map(str, self.folders))}",
                name=str(exc.name),
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise self.error(exc) from None
        if self._compiled.get(name) is not template:
            self._compiled[name] = template
            for member in self.chain(name)[1:]:
                # An error is reported by the render that reaches it, with its line.
                with suppress(jinja2.TemplateError, RecursionError):
                    self.jinja.get_template(member)
        return template

    def chain(self, name: str) -> tuple[str, ...]:
        """``name`` and every template it pulls in, in the order a search should read them.

        First what ``name`` imports and includes (recursively, in order), then its parent
        and what the parent pulls in; only names written as constants can be followed.  A
        template that is missing or does not parse is listed but not followed.
        """
        found: list[str] = []
        self._collect(name, found)
        return tuple(found)

    def _collect(self, name: str, found: list[str]) -> None:
        if name in found:
            return
        found.append(name)
        if name.endswith(".css"):  # a stylesheet pulls nothing in, and is checked when loaded
            return
        try:
            source, _, _ = self.loader.get_source(self.jinja, name)
            tree = self.jinja.parse(source)
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            return
        parents = [
            node.template.value
            for node in tree.find_all(nodes.Extends)
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str)
        ]
        for referenced in meta.find_referenced_templates(tree):
            if referenced is not None and referenced not in parents:
                self._collect(referenced, found)
        for parent in parents:
            self._collect(parent, found)

    def exists(self, name: str) -> bool:
        """Whether a template of that name is in any folder."""
        return self.folder_of(name) is not None

    @contextmanager
    def rendering(self, locale: str | Locale) -> Iterator[None]:
        """Within this block, templates translate into ``locale``."""
        token = _translations.set(self.translations(locale))
        try:
            yield
        finally:
            _translations.reset(token)

    def render(
        self, name: str, variables: Mapping[str, Any], *, formatter: Formatter | None = None
    ) -> str:
        """Render template ``name`` with ``variables`` (call inside :meth:`rendering`).

        The filters format with ``formatter``.  Variables are made template values unless
        they are :class:`~sellercomms.context.TemplateVariables` already (a message renders
        four templates and blocks with the same ones).

        Whatever the template raises that is not a :class:`SellerCommsError` is raised as a
        :class:`TemplateError` naming the innermost template and line it happened at (from
        the original); ``KeyboardInterrupt``, ``SystemExit`` and ``MemoryError`` pass as
        they are.
        """
        return self._render(name, None, variables, formatter)

    def render_block(
        self,
        name: str,
        block: str,
        variables: Mapping[str, Any],
        *,
        formatter: Formatter | None = None,
    ) -> str:
        """Render one ``{% block %}`` of template ``name``, e.g. the subject of an e-mail.

        Errors are raised as :meth:`render` raises them, with the lines of the whole template.
        """
        return self._render(name, block, variables, formatter)

    def _render(
        self,
        name: str,
        block: str | None,
        variables: Mapping[str, Any],
        formatter: Formatter | None,
    ) -> str:
        """Template ``name``, or only its ``block``, rendered; the one place errors are made."""
        namespace = template_variables(variables)
        try:
            template = self.get(name)
            render = template.root_render_func if block is None else template.blocks.get(block)
            if render is None:
                raise TemplateError(f"has no {{% block {block} %}}", name=name)
            return self._stream(_generator(render(template.new_context(namespace))), formatter)
        except MemoryError:
            raise  # nothing to add, and perhaps no memory to add it with
        except Exception as exc:
            # Template code in the traceback shows as the template's file and line, which
            # is what error() reports and what a developer reads.
            rewrite_traceback_stack()
            if isinstance(exc, SellerCommsError):
                raise
            raise self.error(exc, template=name) from exc

    def _stream(self, chunks: Generator[str, None, None], formatter: Formatter | None) -> str:
        """Join what a template writes, within the budget of one render.

        Over budget, the error is thrown into the template where it is writing, so that its
        traceback, and the :class:`TemplateError` made from it, name that template line.
        """
        budget = Budget(time.monotonic() + self.time_limit, self.time_limit, self.max_output)
        budget_token = budget_in_force.set(budget)
        formatter_token = _formatter_var.set(formatter)
        written: list[str] = []
        write, size, limit = written.append, 0, budget.max_output
        try:
            for chunk in chunks:
                write(chunk)
                size += len(chunk)
                # Calls, attribute reads and loop steps check the clock too; here every few
                # hundred pieces of output is often enough.
                if size > limit or not len(written) & 255:
                    try:
                        budget.check_size(size)
                        budget.check_time()
                    except OutOfBudget as exc:
                        chunks.throw(exc)
        finally:
            _formatter_var.reset(formatter_token)
            budget_in_force.reset(budget_token)
        return "".join(written)

    def error(self, exc: BaseException, *, template: str | None = None) -> TemplateError:
        """A :class:`TemplateError` naming the template, file and line where ``exc`` happened.

        The innermost template line in the traceback of ``exc`` is named; without one (the
        template could not be read or compiled), the template name ``template``.
        """
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return TemplateError(
                exc.message or str(exc), name=exc.name, lineno=exc.lineno, filename=exc.filename
            )
        filename, lineno = _innermost_template_frame(exc, self.folders)
        message = str(exc)
        if isinstance(exc, RecursionError) and lineno is None:
            message = "nests too deeply to compile"
        elif isinstance(exc, RecursionError):
            message = "calls nest too deeply (a macro that calls itself without end?)"
        elif not isinstance(exc, jinja2.TemplateError | SecurityError):
            message = f"{type(exc).__name__}: {message}"
        if isinstance(exc, jinja2.UndefinedError):
            message = re.sub(r"^'(\w+)' is undefined$", r"undefined variable '\1'", message)
        elif isinstance(exc, SecurityError):
            message = f"not allowed in the sandbox: {message}"
        return TemplateError(
            message, name=self._name_of(filename) or template, lineno=lineno, filename=filename
        )

    def _name_of(self, filename: str | None) -> str | None:
        if filename is None:
            return None
        path = Path(filename)
        for folder in self.folders:
            if path.is_relative_to(folder):
                return path.relative_to(folder).as_posix()
        return filename

    def folder_of(self, name: str) -> Path | None:
        """The folder the template ``name`` is loaded from (the seller's or the built-ins)."""
        try:
            path = self.loader.locate(name)
        except jinja2.TemplateNotFound:
            return None
        if path is None:
            return None
        return next(f for f in self.folders if path.is_relative_to(f))


def _innermost_template_frame(
    exc: BaseException, folders: tuple[Path, ...]
) -> tuple[str | None, int | None]:
    # Jinja rewrites tracebacks so that template frames carry the template's file and line;
    # the innermost one is where the error happened.
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(Path(filename).is_relative_to(folder) for folder in folders):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


# Like Jinja's new-style gettext: the translation is a format string even without
# variables, with the variables escaped where the template autoescapes.


@pass_eval_context
def _gettext(eval_ctx: EvalContext, __string: str, **variables: Any) -> str:
    translated = _translations.get().gettext(__string)
    return _formatted(eval_ctx, translated, variables)


@pass_eval_context
def _ngettext(
    eval_ctx: EvalContext, __singular: str, __plural: str, __num: int, **variables: Any
) -> str:
    variables.setdefault("num", __num)
    translated = _translations.get().ngettext(__singular, __plural, __num)
    return _formatted(eval_ctx, translated, variables)


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, __string_ctx: str, __string: str, **variables: Any) -> str:
    variables.setdefault("context", __string_ctx)
    translated = _translations.get().pgettext(__string_ctx, __string)
    return _formatted(eval_ctx, translated, variables)


@pass_eval_context
def _npgettext(
    eval_ctx: EvalContext,
    __string_ctx: str,
    __singular: str,
    __plural: str,
    __num: int,
    **variables: Any,
) -> str:
    variables.setdefault("context", __string_ctx)
    variables.setdefault("num", __num)
    translated = _translations.get().npgettext(__string_ctx, __singular, __plural, __num)
    return _formatted(eval_ctx, translated, variables)


def _formatted(eval_ctx: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        return Markup(translated) % variables
    return translated % variables


def _formatter() -> Formatter:
    formatter = _formatter_var.get()
    if formatter is None:
        raise TemplateError("formatting filters need a message context (no 'formatter')")
    return formatter


@pass_context
def _money(
    context: Context, amount: Decimal | int | None, currency: str | None = None
) -> Markup | str:
    if amount is None:
        return ""
    code = currency or context["currency"]
    # In right-to-left text a Latin currency code would be reordered ("US$" shown as "$US").
    return _isolated(context, _formatter().money(amount, code), LTR_OPEN)


@pass_context
def _number(context: Context, value: Decimal | int) -> str:
    return _formatter().number(value)


@pass_context
def _date(context: Context, value: date | datetime | None, format: str = "medium") -> str:
    return "" if value is None else _formatter().date(value, format=format)


@pass_context
def _datetime(context: Context, value: datetime | None, format: str = "medium") -> str:
    return "" if value is None else _formatter().datetime(value, format=format)


@pass_context
def _time(context: Context, value: datetime | None, format: str = "short") -> str:
    return "" if value is None else _formatter().time(value, format=format)


@pass_context
def _country(context: Context, code: str) -> str:
    return _formatter().country(code)


@pass_context
def _address_lines(
    context: Context, address: AddressFields, origin_country: str | None = None
) -> list[Markup | str]:
    lines = _formatter().address_lines(address, origin_country=origin_country)
    # Each line keeps its own direction: "88 Orbit Way" must not become "Orbit Way 88".
    return [_isolated(context, line, AUTO_OPEN) for line in lines]


@pass_context
def _ltr(context: Context, value: Any) -> Markup | str:
    """Keep ``value`` (a tracking number, SKU, URL) left-to-right inside right-to-left text."""
    text = str(value)
    if context.eval_ctx.autoescape:
        return Markup(LTR_OPEN) + text + Markup(LTR_CLOSE)
    return _isolated(context, text, LTR_OPEN)


def _isolated(context: Context, text: str, opening: str) -> Markup | str:
    """``text`` isolated from right-to-left surroundings; unchanged in left-to-right messages."""
    if _formatter().direction != "rtl":
        return text
    if context.eval_ctx.autoescape:
        return Markup(opening) + text + Markup(LTR_CLOSE)
    # Plain text: U+2066 LEFT-TO-RIGHT ISOLATE or U+2068 FIRST STRONG ISOLATE, then U+2069.
    return ("\u2066" if opening == LTR_OPEN else "\u2068") + text + "\u2069"
