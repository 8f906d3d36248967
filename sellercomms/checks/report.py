"""What ``sellercomms check`` found, for people (text) and for programs (JSON).

The same finding in many renders (every order, every locale) is reported once, with the
number of renders it was found in and the locales, channels and orders they covered.
docs/check.md documents the JSON document key by key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from .rules import SEVERITIES, Severity

__all__ = [
    "CHECK_FORMAT",
    "CheckFinding",
    "CheckReport",
    "CheckSummary",
    "SkippedMessage",
    "sorted_findings",
]

#: The ``format`` of the JSON document; a new number means an incompatible change.
CHECK_FORMAT = "sellercomms.check/1"


@dataclass(frozen=True, slots=True)
class CheckFinding:
    """One finding: a rule broken by a template, in one or more renders.

    ``locale``, ``channel`` and ``order`` are those of the first render it was found in
    (``None`` where they do not apply, e.g. a catalog); ``templates``, ``locales``,
    ``channels`` and ``orders`` list every one it was found in, and ``count`` the renders:
    a finding in a file several templates share (the layout, the stylesheet) is one finding.
    ``file`` and ``line`` are where it comes from in the sources, where that can be found
    (``line`` is ``None`` when only the file is known).
    """

    rule: str
    severity: Severity
    template: str
    message: str
    locale: str | None = None
    channel: str | None = None
    order: str | None = None
    file: str | None = None
    line: int | None = None
    count: int = 1
    templates: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """``file:line``, the file alone, or ``-``."""
        if self.file is None:
            return "-"
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "template": self.template,
            "locale": self.locale,
            "channel": self.channel,
            "order": self.order,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "count": self.count,
            "templates": list(self.templates),
            "locales": list(self.locales),
            "channels": list(self.channels),
            "orders": list(self.orders),
        }

    def to_line(self) -> str:
        """``severity rule template[locale/channel/order] file:line message (×count)``."""
        context = "/".join(part or "-" for part in (self.locale, self.channel, self.order))
        more = [
            f"{len(values)} {name}"
            for name, values in (
                ("templates", self.templates),
                ("locales", self.locales),
                ("channels", self.channels),
                ("orders", self.orders),
            )
            if len(values) > 1
        ]
        repeat = f" (×{self.count}: {', '.join(more)})" if more else ""
        if self.count > 1 and not more:
            repeat = f" (×{self.count})"
        return (
            f"{self.severity:<7} {self.rule} {self.template}[{context}] {self.where} "
            f"{self.message}{repeat}"
        )


@dataclass(frozen=True, slots=True)
class SkippedMessage:
    """A message not rendered on a channel because the channel forbids it (``rule``)."""

    template: str
    channel: str
    rule: str

    def to_dict(self) -> dict[str, str]:
        return {"template": self.template, "channel": self.channel, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """What was checked: names, how many renders, how long it took, which caniemail data."""

    templates: tuple[str, ...]
    orders: tuple[str, ...]
    locales: tuple[str, ...]
    channels: tuple[str, ...]
    renders: int
    seconds: float
    caniemail_date: str
    skipped: tuple[SkippedMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every finding, worst first, and what was checked.

    >>> report = CheckReport(findings=(), summary=CheckSummary((), (), (), (), 0, 0.0, "-"))
    >>> report.passed(strict=True), report.exit_code()
    (True, 0)
    """

    findings: tuple[CheckFinding, ...]
    summary: CheckSummary
    counts: dict[Severity, int] = field(init=False)

    def __post_init__(self) -> None:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        object.__setattr__(self, "counts", counts)

    @property
    def errors(self) -> tuple[CheckFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[CheckFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def passed(self, *, strict: bool = False) -> bool:
        """No errors, and with ``strict`` no warnings either."""
        return not self.counts["error"] and not (strict and self.counts["warning"])

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when :meth:`passed`, else 1 (the command line's exit status)."""
        return 0 if self.passed(strict=strict) else 1

    def to_dict(self, *, strict: bool = False) -> dict[str, Any]:
        summary = self.summary
        return {
            "format": CHECK_FORMAT,
            "findings": [finding.to_dict() for finding in self.findings],
            "summary": {
                "passed": self.passed(strict=strict),
                "strict": strict,
                "errors": self.counts["error"],
                "warnings": self.counts["warning"],
                "infos": self.counts["info"],
                "renders": summary.renders,
                "seconds": round(summary.seconds, 2),
                "templates": list(summary.templates),
                "orders": list(summary.orders),
                "locales": list(summary.locales),
                "channels": list(summary.channels),
                "skipped": [skipped.to_dict() for skipped in summary.skipped],
                "caniemail": summary.caniemail_date,
            },
        }

    def to_json(self, *, strict: bool = False) -> str:
        return json.dumps(self.to_dict(strict=strict), indent=2, ensure_ascii=False) + "\n"

    def to_text(self, *, strict: bool = False) -> str:
        """One line per finding, grouped by template, then what was skipped and a summary."""
        lines: list[str] = []
        for _, group in groupby(self.findings, key=lambda finding: finding.template):
            lines.extend(finding.to_line() for finding in group)
            lines.append("")
        summary = self.summary
        for skipped in summary.skipped:
            lines.append(
                f"skipped {skipped.template} on {skipped.channel}: the channel forbids it "
                f"({skipped.rule})"
            )
        if summary.skipped:
            lines.append("")
        checked = (
            f"{_counted(len(summary.templates), 'template')} × "
            f"{_counted(len(summary.orders), 'order')} × "
            f"{_counted(len(summary.locales), 'locale')} × "
            f"{_counted(len(summary.channels), 'channel')}: "
            f"{_counted(summary.renders, 'render')} in {summary.seconds:.1f} s "
            f"(caniemail data of {summary.caniemail_date})"
        )
        verdict = "passed" if self.passed(strict=strict) else "failed"
        if strict:
            verdict += " (--strict: warnings fail too)"
        lines.append(
            f"{_counted(self.counts['error'], 'error')}, "
            f"{_counted(self.counts['warning'], 'warning')}, "
            f"{_counted(self.counts['info'], 'info')}; {checked}; {verdict}"
        )
        return "\n".join(lines) + "\n"


def sorted_findings(findings: Iterable[CheckFinding]) -> tuple[CheckFinding, ...]:
    """Grouped by template, worst first within a template, then by rule and place."""
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    return tuple(
        sorted(
            findings,
            key=lambda f: (f.template, rank[f.severity], f.rule, f.file or "", f.line or 0),
        )
    )


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 or noun == "info" else "s")
