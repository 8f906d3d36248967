"""Jinja's immutable sandbox with a budget: a template cannot run or write without end.

A render runs within a :class:`Budget` (a deadline and an output size) set in
:data:`budget_in_force` by whoever renders.  Calls, attribute and item reads and every loop
step check the deadline; repetition, joins, powers and field widths that would exceed the
output size are refused before they are computed; attributes whose value is a module, a path,
a file or a socket are never readable.
"""

from __future__ import annotations

import io
import math
import os
import re
import socket
import string
import time
import types
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Final

import jinja2
from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = ["Budget", "MeteredSandbox", "OutOfBudget", "budget_in_force"]

#: Values no attribute a template reads may be, whatever object it belongs to.
_NEVER_REACHABLE: Final = (types.ModuleType, PurePath, io.IOBase, socket.socket, os.DirEntry)
# A number wider than this many bits is refused (10**20000 has about 66,000).
_MAX_INT_BITS: Final = 64 * 1024
# What a render's size limit applies to.
_SIZED: Final = (str, list, tuple)
# The only values that can be ``str.format`` (which Jinja's sandbox wraps when read).
_METHOD_TYPES: Final = frozenset({types.MethodType, types.BuiltinMethodType})
# Attribute checks a sandbox keeps: far more than the templates of a seller read.
_SAFE_ATTRIBUTES_KEPT: Final = 4096


class OutOfBudget(jinja2.TemplateRuntimeError):
    """A render ran past its time or output budget."""


@dataclass(slots=True)
class Budget:
    """What one render may still spend."""

    deadline: float
    time_limit: float
    max_output: int

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise OutOfBudget(f"took longer than the time limit of {self.time_limit:g} s")

    def check_length(self, value: Any, what: str) -> None:
        if isinstance(value, _SIZED):
            self.check_size(len(value), what)

    def check_size(self, size: int, what: str = "output") -> None:
        if size > self.max_output:
            raise OutOfBudget(
                f"{what} would exceed the output limit of {self.max_output:,} characters"
            )


# The budget of the render in progress; ``None`` outside a render.
budget_in_force: ContextVar[Budget | None] = ContextVar("sellercomms_budget", default=None)


class _MeteredCodeGenerator(CodeGenerator):
    """Compiles every ``{% for %}`` to iterate through :meth:`MeteredSandbox.metered`.

    A loop whose body calls nothing (``{% for i in range(99999) %}{% endfor %}``, nested)
    would otherwise never give the time budget a chance to stop it.
    """

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        metered = nodes.Call(
            nodes.EnvironmentAttribute("metered"), [node.iter], [], None, None, lineno=node.lineno
        )
        node.iter = metered.set_environment(self.environment)
        super().visit_For(node, frame)


class MeteredSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, metered: time and size are checked while a template runs.

    Calls, attribute and item reads, and loop steps check the deadline; ``*``, ``+``, ``**``
    and ``%`` refuse results beyond the output budget before computing them; ``str.format``
    and the ``format`` filter refuse field widths beyond it.
    """

    code_generator_class = _MeteredCodeGenerator
    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # Filters whose result size follows from their arguments are checked before they run.
        self.filters.update(
            format=_sized(jinja2.filters.do_format, _format_size),
            center=_sized(jinja2.filters.do_center, _center_size),
            indent=_sized(jinja2.filters.do_indent, _indent_size),
        )
        # lipsum(n) writes n paragraphs in one call, beyond the reach of the budget.
        del self.globals["lipsum"]
        self._safe_attributes: dict[tuple[type, str, type], bool] = {}
        #: The environment's own ``pass_eval_context`` functions (the gettext callables,
        #: called more than anything else), called directly.
        self.eval_context_functions: frozenset[Callable[..., Any]] = frozenset()

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Every check here and in Jinja's sandboxes looks at the types of ``obj`` and
        # ``value`` and at the name only, so the answer is kept per (type, name, type):
        # templates read the same few attributes of the same records all the time, and the
        # checks (isinstance against a dozen classes and ABCs) were a sixth of a render.
        key = (type(obj), attr, type(value))
        safe = self._safe_attributes.get(key)
        if safe is None:
            safe = super().is_safe_attribute(obj, attr, value) and not isinstance(
                value, _NEVER_REACHABLE
            )
            if len(self._safe_attributes) >= _SAFE_ATTRIBUTES_KEPT:
                self._safe_attributes.clear()
            self._safe_attributes[key] = safe
        return safe

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = budget_in_force.get()
        if budget is not None:
            if time.monotonic() > budget.deadline:
                budget.check_time()
            pads: bool | None = None
            for value in (*args, *kwargs.values()):
                if isinstance(value, _SIZED):
                    if len(value) > budget.max_output:
                        budget.check_size(len(value), "an argument")
                elif isinstance(value, int):
                    if pads is None:  # "x".ljust(10**9); looked up only when an int is passed
                        pads = isinstance(getattr(__obj, "__self__", None), str)
                    if pads:
                        budget.check_size(value, "a formatted field")
        if type(__obj) is types.FunctionType and __obj in __self.eval_context_functions:
            # What Context.call does for these, without looking up how to call them again.
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(__context.eval_ctx, *args, **kwargs)
        # Jinja's own check (``SandboxedEnvironment.call``), without its extra call frame.
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"{__obj!r} is not safely callable")
        return __context.call(__obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja's ``SandboxedEnvironment.getattr``, with the common case (a value whose check
        # is kept, not a method) decided in place: templates read the same few attributes of
        # every item, many times over in a message.
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            value = super().getattr(obj, attribute)  # then obj[attribute], else undefined
        else:
            if type(value) in _METHOD_TYPES or not self._safe_attributes.get(
                (type(obj), attribute, type(value))
            ):
                value = self._checked_attribute(obj, attribute, value)
        self._check_read(value)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and not (
            hasattr(type(obj), "__getitem__") or isinstance(obj, type)
        ):
            # Not subscriptable (a record): what Jinja ends up doing after obj[argument]
            # fails, without raising and catching a TypeError for every item of a
            # ``sum(attribute=...)`` or ``map(attribute=...)``.
            try:
                value = getattr(obj, str(argument))
            except AttributeError:
                value = self.undefined(obj=obj, name=argument)
            else:
                value = self._checked_attribute(obj, argument, value)
        else:
            value = super().getitem(obj, argument)
        self._check_read(value)
        return value

    def _checked_attribute(self, obj: Any, attribute: str, value: Any) -> Any:
        """``value`` read as ``obj.attribute``, as Jinja's sandbox passes it to a template
        (``SandboxedEnvironment.getattr`` once the value is read)."""
        if type(value) in _METHOD_TYPES:
            wrapped = self.wrap_str_format(value)
            if wrapped is not None:
                return wrapped
        safe = self._safe_attributes.get((type(obj), attribute, type(value)))
        if safe is None:
            safe = self.is_safe_attribute(obj, attribute, value)
        return value if safe else self.unsafe_undefined(obj, attribute)

    @staticmethod
    def _check_read(value: Any) -> None:
        """Within the budget: the deadline, and the size of ``value``."""
        budget = budget_in_force.get()
        if budget is not None:
            if time.monotonic() > budget.deadline:
                budget.check_time()
            if isinstance(value, _SIZED) and len(value) > budget.max_output:
                budget.check_size(len(value), "a value")

    def metered(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """``iterable``, checking the deadline at every step."""
        budget = budget_in_force.get()
        if budget is None:
            yield from iterable
            return
        for item in iterable:
            if time.monotonic() > budget.deadline:
                budget.check_time()
            yield item

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = budget_in_force.get()
        if budget is not None:
            _check_binop(budget, operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template: str = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_brace_widths(template)
            return wrapped(*args, **kwargs)

        return checked


def _check_binop(budget: Budget, op: str, left: Any, right: Any) -> None:
    sized = (str, list, tuple)
    if op == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, sized) and isinstance(count, int):
                budget.check_size(len(seq) * max(count, 0), "a repeated value")
    elif op == "+" and isinstance(left, sized) and isinstance(right, sized):
        budget.check_size(len(left) + len(right), "a joined value")
    elif op == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
        if right * math.log2(abs(left)) > _MAX_INT_BITS:
            raise OutOfBudget("a power too large to compute")
    elif op == "%" and isinstance(left, str):
        _check_percent_widths(left)


# A printf-style conversion: its width and precision, where given.
_PERCENT_SPEC: Final = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent_widths(template: str) -> None:
    budget = budget_in_force.get()
    if budget is None:
        return
    for match in _PERCENT_SPEC.finditer(template):
        for width in match.groups():
            if width == "*":
                raise OutOfBudget("a '*' width in %-formatting is not supported in templates")
            if width:
                budget.check_size(int(width), "a formatted field")


def _check_brace_widths(template: str) -> None:
    budget = budget_in_force.get()
    if budget is None:
        return
    for _, _, spec, _ in string.Formatter().parse(template):
        if not spec:
            continue
        if "{" in spec:
            raise OutOfBudget("a nested field in a format spec is not supported in templates")
        for width in re.findall(r"\d+", spec):
            budget.check_size(int(width), "a formatted field")


def _sized(jinja_filter: Callable[..., str], size: Callable[..., int]) -> Callable[..., str]:
    """``jinja_filter``, refusing results larger than the output budget before making them.

    ``size`` estimates the result's length from the filter's arguments.  The wrapper takes the
    context so that Jinja does not run it while compiling a template, outside any budget.
    """

    @pass_context
    def checked(context: Context, value: Any, *args: Any, **kwargs: Any) -> str:
        budget = budget_in_force.get()
        if budget is not None:
            budget.check_size(size(value, *args, **kwargs), "a formatted field")
        return jinja_filter(value, *args, **kwargs)

    return checked


def _format_size(value: Any, *args: Any, **kwargs: Any) -> int:
    _check_percent_widths(str(value))
    return 0


def _center_size(value: Any, width: int = 80) -> int:
    return int(width)


def _indent_size(value: Any, width: int | str = 4, *args: Any, **kwargs: Any) -> int:
    per_line = width if isinstance(width, int) else len(width)
    return len(str(value)) + (str(value).count("\n") + 1) * per_line
