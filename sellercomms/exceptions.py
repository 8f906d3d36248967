"""Every error sellercomms raises, in one tree.

::

    SellerCommsError
     ├── InputError (ValueError)        an order or seller profile field is wrong
     │    └── InputFileError (OSError)  a file cannot be read or parsed at all
     ├── TemplateError                  a template is missing, broken or misused
     │    └── TemplateNotFound (LookupError)
     ├── PolicyError                    a channel's rules forbid the message
     └── RenderError                    output could not be produced

Each error knows the exit status the command line gives it and how to say itself in one line.
An error is never changed once made: :meth:`InputError.with_order` gives a copy that says more,
to raise ``from`` the original.  Every error pickles to an equal one (same type, message and
attributes), so that it can come back from a worker process.
"""

from __future__ import annotations

from typing import Any, Self

__all__ = [
    "InputError",
    "InputFileError",
    "PolicyError",
    "RenderError",
    "SellerCommsError",
    "TemplateError",
    "TemplateNotFound",
]


def printable(text: str) -> str:
    """``text`` with every character that :meth:`str.isprintable` refuses written as an escape.

    Input echoed in a message may not start a forged line (line feeds, U+2028), reorder one
    (bidi overrides) or hide in it (zero-width and unassigned code points).

    >>> printable("A-1\\norder B-2 (#2): ok\\u202e")
    'A-1\\\\norder B-2 (#2): ok\\\\u202e'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


class SellerCommsError(Exception):
    """Base class of every error sellercomms raises on purpose."""

    #: Exit status of the command line when this error stops a whole run.
    exit_code = 1

    def show(self) -> str:
        """The error as one line for a terminal or a log."""
        return str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle's default calls the class with ``args`` alone, which keyword-only arguments
        # refuse, and a constructor may take what ``args`` does not hold (OrderProblems).
        # So an error is made anew from ``args`` as BaseException keeps them, and given the
        # attributes its constructor set (an OSError's filename is not in its dictionary).
        state = dict(vars(self))
        if isinstance(self, OSError):
            state["filename"] = self.filename
        return (_made, (type(self), self.args), state)

    def _copy(self, **changes: Any) -> Self:
        """A new error like this one but for ``changes``, made the way unpickling makes it."""
        make, args, state = self.__reduce__()
        copy: Self = make(*args)
        copy.__setstate__({**state, **changes})
        return copy


def _made(kind: type[SellerCommsError], args: tuple[Any, ...]) -> SellerCommsError:
    """An error of ``kind`` holding ``args``, its attributes still to be given."""
    # The layout of an OSError is OSError's own, and only its __new__ makes one (the MRO
    # would pick ValueError's); that __new__ leaves ``args`` to __init__ in a subclass that
    # has its own, so BaseException's __init__ stores them.
    base = OSError if issubclass(kind, OSError) else BaseException
    error: SellerCommsError = base.__new__(kind, *args)
    BaseException.__init__(error, *args)
    return error


class InputError(SellerCommsError, ValueError):
    """A field of an order or of the seller profile is wrong.

    ``order_id`` and ``index`` (1-based position in the input) say which order; ``path`` is
    the field path inside it, e.g. ``items[0].quantity``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        order_id: str | None = None,
        index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.order_id = order_id
        self.index = index

    def with_order(self, order_id: str | None = None, *, index: int | None = None) -> Self:
        """A copy that names the order ``order_id`` at position ``index``, to raise ``from`` this.

        What this error names already it keeps: the code that raised it knew better.

        >>> error = InputError("must be at least 1", path="items[0].quantity")
        >>> print(error.with_order("A-1", index=3))
        order A-1 (#3): items[0].quantity: must be at least 1
        >>> print(error.with_order(index=3).with_order("A-1", index=4))
        order A-1 (#3): items[0].quantity: must be at least 1
        >>> print(error)
        items[0].quantity: must be at least 1
        """
        return self._copy(
            order_id=order_id if self.order_id is None else self.order_id,
            index=index if self.index is None else self.index,
        )

    def __str__(self) -> str:
        # Field values echoed in the message, and an invalid order id, are the input's text.
        where = f"{self.path}: " if self.path else ""
        if self.index is None and self.order_id is None:
            return printable(f"{where}{self.message}")
        order = self.order_id or "?"
        number = f" (#{self.index})" if self.index is not None else ""
        return printable(f"order {order}{number}: {where}{self.message}")


class InputFileError(InputError, OSError):
    """An input file is missing, unreadable or not in a format we read."""

    exit_code = 2

    def __init__(self, message: str, *, filename: str) -> None:
        super().__init__(message)
        self.filename = filename

    def __str__(self) -> str:
        return printable(f"{self.filename}: {self.message}")


class TemplateError(SellerCommsError):
    """A template failed: syntax error, undefined variable, sandbox violation.

    ``name`` is the template name (``emails/shipping_confirmation.html``), ``filename`` the
    file it was loaded from and ``lineno`` the line, where known.
    """

    def __init__(
        self,
        message: str,
        *,
        name: str | None = None,
        lineno: int | None = None,
        filename: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.lineno = lineno
        self.filename = filename

    def __str__(self) -> str:
        if self.name is None:
            return self.message
        line = f", line {self.lineno}" if self.lineno else ""
        return f"template {self.name}{line}: {self.message}"


class TemplateNotFound(TemplateError, LookupError):
    """No template of that name exists in the user folder or among the built-ins."""

    exit_code = 2


class PolicyError(SellerCommsError):
    """The channel a message travels through forbids it (``channel``, ``rule``)."""

    def __init__(self, message: str, *, channel: str, rule: str) -> None:
        super().__init__(message)
        self.message = message
        self.channel = channel
        self.rule = rule

    def __str__(self) -> str:
        return f"channel {self.channel} forbids this ({self.rule}): {self.message}"


class RenderError(SellerCommsError):
    """Output could not be produced even though input and templates were valid."""
