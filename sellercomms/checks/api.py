"""``check_templates``: the check in one call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..models import Order, Seller
from .report import CheckReport

__all__ = ["check_templates"]


def check_templates(
    templates: str | Path | None = None,
    *,
    orders: Iterable[Order] | str | Path | None = None,
    seller: Seller | str | Path | None = None,
    locales: Sequence[str] | None = None,
    channels: Sequence[str] | None = None,
    messages: Sequence[str] | None = None,
    jobs: int = 1,
) -> CheckReport:
    """Render every message × order × locale × channel and check each against the rules.

    ``templates`` is a folder that overrides the built-in templates (``None``: check the
    built-ins); ``orders`` and ``seller`` default to the built-in samples; ``locales``,
    ``channels`` and ``messages`` narrow the check; ``jobs`` worker processes render and
    check the e-mails (the report is the same with any number).  Raises
    :class:`~sellercomms.TemplateNotFound` for a missing folder or message name and
    :class:`~sellercomms.InputError` for unusable orders or seller profile; everything wrong
    with the templates themselves is a finding.  docs/check.md describes the rules.
    """
    # The check pulls in lxml and tinycss2; load them only when a check runs.
    from .runner import Checker

    checker = Checker(
        templates,
        seller=seller,
        orders=orders,
        locales=locales,
        channels=channels,
        messages=messages,
    )
    return checker.run(jobs=jobs)
