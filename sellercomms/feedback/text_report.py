"""The report as plain text for a terminal: aligned tables, then the triage list.

Buyers' comments are untrusted: control characters (a terminal escape sequence, say) are
replaced before they reach the screen.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from decimal import Decimal

from .dates import describe
from .models import Figures, ReportContent, TriagedFeedback
from .triage import REMEDY_LABELS

__all__ = ["source_summary", "text_report"]

_WIDTH = 100

_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp932": "Shift_JIS",
    "cp1252": "Windows-1252",
}

_DATE_ORDER_FROM = {
    "format": "ISO",
    "marketplace": "from the marketplace",
    "email": "from the raters' e-mail domain",
    "dates": "found from the dates",
    "encoding": "Japan's, from the encoding",
    "default": "amazon.com's default: the dates fit more than one format",
}


_KINDS = {
    "amazon": "Amazon feedback report",
    "ebay": "eBay feedback",
    "etsy": "Etsy reviews",
    "csv": "feedback CSV",
}


def text_report(report: ReportContent) -> str:
    """``report`` as text: header, periods, weeks, trend, triage, notes, problems."""
    heads = _FIGURE_HEADS if report.source.stars else _FIGURE_HEADS[:-2]
    parts = [
        _header(report),
        _table(
            ["PERIOD", "FROM", "TO", *heads],
            [
                [
                    w.label,
                    w.start.isoformat() if w.start else "-",
                    w.end.isoformat(),
                    *_figures(w)[: len(heads)],
                ]
                for w in report.windows
            ],
        ),
    ]
    if report.detailed_ratings:
        parts.append(
            _table(
                ["DETAILED SELLER RATING", "PERIOD", "AVERAGE", "RATINGS"],
                [
                    [_clean(r.name), _clean(r.period), str(r.average), str(r.count or "-")]
                    for r in report.detailed_ratings
                ],
            )
        )
    if report.weeks:
        parts.append(
            _table(
                ["WEEK", "MONDAY", *heads, ""],
                [
                    [
                        w.week,
                        w.start.isoformat(),
                        *_figures(w)[: len(heads)],
                        "so far" if w.partial else "",
                    ]
                    for w in report.weeks
                ],
            )
        )
    parts.append(_trend(report))
    parts.append(_triage(report.triage))
    if report.notes:
        notes = (_wrap(_clean(note), "- ", "  ") for note in report.notes)
        parts.append("NOTES\n" + "\n".join(notes))
    if report.problems:
        parts.append("SKIPPED ROWS\n" + "\n".join(str(problem) for problem in report.problems))
    return "\n\n".join(parts) + "\n"


def source_summary(report: ReportContent) -> str:
    """One line on the file: its format, encoding, date format and rows read."""
    source = report.source
    kind = _KINDS[source.format]
    encoding = _ENCODINGS.get(source.encoding, source.encoding)
    dates = f"dates {describe(source.date_order)} ({_DATE_ORDER_FROM[source.date_order_from]})"
    read = f"{source.rows} rows, {source.rows - len(report.problems)} read"
    return f"{source.file or 'feedback'}: {kind}, {encoding}, {dates}; {read}"


def _header(report: ReportContent) -> str:
    targets = report.targets
    source = report.source
    of = "of positive and negative" if source.percent_of == "rated" else "positive"
    target = f"Targets: at least {targets.positive_percent} % {of}"
    if source.stars:
        target += f", an average of {targets.average} or more"
    lines = [
        f"FEEDBACK REPORT as of {report.as_of:%A %Y-%m-%d}",
        _wrap(_clean(source_summary(report)), "", "  "),
        target,
    ]
    if report.totals_source:
        lines.append(_wrap(f"Totals from {_clean(report.totals_source)}", "", "  "))
    if report.no_percentage_reason:
        lines.append(_wrap("NO PERCENTAGE: " + report.no_percentage_reason, "", "  "))
    return "\n".join(lines)


_FIGURE_HEADS = ["COUNT", "POS", "NEU", "NEG", "POSITIVE", "", "AVERAGE", ""]


def _mark(passed: bool | None) -> str:
    return "" if passed is None else "ok" if passed else "MISS"


def _figures(figures: Figures) -> list[str]:
    percent = "-" if figures.positive_percent is None else f"{figures.positive_percent} %"
    average = "-" if figures.average is None else str(figures.average)
    return [
        "-" if figures.count is None else str(figures.count),
        "-" if figures.positive is None else str(figures.positive),
        str(figures.neutral),
        str(figures.negative),
        percent,
        _mark(figures.meets_positive_target),
        average,
        _mark(figures.meets_average_target),
    ]


def _table(heads: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    # Numbers right-aligned, words left-aligned.
    numeric = [
        all(_is_number(row[i]) for row in rows if row[i] not in {"", "-"}) and bool(heads[i])
        for i in range(len(heads))
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(heads, *rows, strict=True)]
    lines = []
    for row in [heads, *rows]:
        cells = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _is_number(cell: str) -> bool:
    return cell.removesuffix(" %").replace(".", "", 1).isdigit()


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def _trend(report: ReportContent) -> str:
    trend = report.trend
    recent, previous = trend.recent, trend.previous
    span = f"{recent.start} to {recent.end}"
    if recent.positive_percent is None and recent.figures_from == "negative_only":
        return _wrap(
            f"Trend: last {trend.weeks} complete weeks ({span}): {recent.negative} negative, "
            f"{recent.neutral} neutral; the {trend.weeks} weeks before: {previous.negative} "
            f"negative, {previous.neutral} neutral.",
            "",
            "  ",
        )
    if trend.positive_change is None:
        missing = "these weeks" if not recent.count else "the weeks before"
        return f"Trend: not known, {missing} had no feedback (last {trend.weeks} weeks: {span})."
    if trend.average_change is None:
        return _wrap(
            f"Trend: {trend.direction.upper()}. Last {trend.weeks} complete weeks ({span}): "
            f"{recent.positive_percent} % positive; the {trend.weeks} weeks before: "
            f"{previous.positive_percent} % ({_signed(trend.positive_change)} points).",
            "",
            "  ",
        )
    return _wrap(
        f"Trend: {trend.direction.upper()}. Last {trend.weeks} complete weeks ({span}): "
        f"{recent.positive_percent} % positive, average {recent.average}; the {trend.weeks} weeks "
        f"before: {previous.positive_percent} %, {previous.average} "
        f"({_signed(trend.positive_change)} points, {_signed(trend.average_change)} stars).",
        "",
        "  ",
    )


def _triage(items: Sequence[TriagedFeedback]) -> str:
    if not items:
        return "TO INVESTIGATE: nothing, no negative or neutral feedback."
    negative = sum(1 for item in items if item.kind == "negative")
    neutral = len(items) - negative
    blocks = [f"TO INVESTIGATE: {negative} negative, {neutral} neutral, newest first"]
    for item in items:
        blocks.append(_item(item))
    return "\n\n".join(blocks)


def _item(item: TriagedFeedback) -> str:
    entry = item.entry
    age = {0: "today", 1: "yesterday"}.get(item.age_days, f"{item.age_days} days ago")
    status = "responded" if item.responded else "no response yet"
    order = entry.order_id or "no order id"
    rated = f"{entry.rating}/5 " if entry.rating is not None else ""
    lines = [f"{entry.date}  {rated}{item.kind}  {order}  {age}, {status}"]
    comment = _clean(entry.comment) if entry.comment else "(no comment)"
    lines.append(_wrap(comment, "  > ", "    "))
    if entry.response:
        lines.append(_wrap(f"Our response: {_clean(entry.response)}", "  ", "    "))
    if not item.causes:
        lines.append("  Cause: not recognised; read the comment and ask the buyer what went wrong.")
    for tag in item.causes:
        evidence = ", ".join(_clean(str(e)) for e in tag.evidence)
        lines.append(_wrap(f"Cause: {tag.label} ({evidence}). Check: {tag.check}", "  ", "    "))
    suggestion = item.resolution
    if suggestion is not None:
        remedy = f"Remedy: {REMEDY_LABELS[suggestion.remedy]} with the {suggestion.message} e-mail."
        lines.append(_wrap(remedy, "  ", "    "))
        if suggestion.note:
            lines.append(_wrap(suggestion.note, "    ", "    "))
        if suggestion.data is not None:
            data = json.dumps(suggestion.data, ensure_ascii=False)
            lines.append(f"    data ({suggestion.data_file}): {data}")
        if suggestion.command:
            lines.append(f"    send: {suggestion.command}")
    return "\n".join(lines)


# Control characters, line and paragraph separators, and the bidirectional overrides that
# can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _clean(text: str) -> str:
    """``text`` on one line, every control character made a space."""
    return _UNSAFE.sub(" ", text)


def _wrap(text: str, first: str, rest: str) -> str:
    return "\n".join(
        textwrap.wrap(text, _WIDTH, initial_indent=first, subsequent_indent=rest)
        or [first.rstrip()]
    )
