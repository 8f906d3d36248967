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
"""

from __future__ import annotations

from typing import Any

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
        # Errors travel back from worker processes and cluster workers.  Pickle's default
        # calls the class with ``args`` only, which the keyword-only arguments refuse.
        state = dict(self.__dict__)
        if isinstance(self, OSError):  # kept by OSError itself, not in __dict__
            state["filename"] = self.filename
        return (_rebuilt, (type(self), self.args, state))


def _rebuilt(kind: type[SellerCommsError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    # The layout of an OSError is OSError's own: only its __new__ may make one.
    base: Any = OSError if issubclass(kind, OSError) else Exception
    error = base.__new__(kind, *args)
    error.args = args
    for name, value in state.items():
        setattr(error, name, value)
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
