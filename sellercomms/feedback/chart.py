"""Weekly charts as inline SVG: no script, no network, readable when printed or forwarded.

Each chart plots one figure per ISO week against its target: a dashed target line over a
shaded band of passing values, a point per week (green when it meets the target, red when it
misses, hollow for the week still running), the value above it and the number of feedback
below the week.  Weeks without feedback leave a gap.  Every piece of text is escaped before
the markup is marked safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from .models import Targets, Week

__all__ = ["average_chart", "positive_chart"]

_WIDTH, _HEIGHT = 880, 230
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 84, 22, 44
_PASS, _MISS, _LINE, _TARGET, _GRID, _BAND = (
    "#1a7f37",
    "#cf222e",
    "#57606a",
    "#9a6700",
    "#d8dee4",
    "#eaf6ec",
)


@dataclass(frozen=True, slots=True)
class _Scale:
    low: float
    high: float
    step: float

    def y(self, value: float) -> float:
        span = _HEIGHT - _TOP - _BOTTOM
        return _TOP + span * (self.high - value) / (self.high - self.low)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


def positive_chart(weeks: Sequence[Week], targets: Targets) -> Markup:
    """Weekly positive percentage against the target percentage."""
    values = [w.positive_percent for w in weeks]
    target = float(targets.positive_percent)
    lowest = min([target, *(float(v) for v in values if v is not None)])
    low = max(0.0, math.floor((lowest - 5) / 10) * 10)
    return _chart(
        weeks,
        values,
        [w.meets_positive_target for w in weeks],
        scale=_Scale(low, 100.0, 10.0 if 100 - low > 20 else 5.0),
        target=target,
        title="Positive feedback per week, %",
        unit=" %",
    )


def average_chart(weeks: Sequence[Week], targets: Targets) -> Markup:
    """Weekly average rating against the target average."""
    values = [w.average for w in weeks]
    target = float(targets.average)
    lowest = min([target, *(float(v) for v in values if v is not None)])
    low = max(1.0, math.floor((lowest - 0.25) * 2) / 2)
    return _chart(
        weeks,
        values,
        [w.meets_average_target for w in weeks],
        scale=_Scale(low, 5.0, 0.5),
        target=target,
        title="Average rating per week, stars",
        unit="",
    )


def _number(value: float, places: int) -> str:
    return f"{value:.{places}f}"


def _chart(
    weeks: Sequence[Week],
    values: Sequence[Decimal | None],
    passed: Sequence[bool | None],
    *,
    scale: _Scale,
    target: float,
    title: str,
    unit: str,
) -> Markup:
    plot_width = _WIDTH - _LEFT - _RIGHT
    slot = plot_width / max(len(weeks), 1)

    def x(index: int) -> float:
        return _LEFT + slot * (index + 0.5)

    parts: list[Markup] = []
    target_y = scale.y(target)
    parts.append(
        Markup('<rect x="{}" y="{}" width="{}" height="{:.1f}" fill="{}"/>').format(
            _LEFT, _TOP, plot_width, target_y - _TOP, _BAND
        )
    )
    for tick in scale.ticks():
        y = scale.y(tick)
        parts.append(
            Markup(
                '<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{:.1f}" text-anchor="end" class="axis">{}</text>'
            ).format(_LEFT, _WIDTH - _RIGHT, y, y, _GRID, _LEFT - 6, y + 4, _number(tick, 1))
        )
    parts.append(
        Markup(
            '<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="1.5" '
            'stroke-dasharray="6 4"/><text x="{}" y="{:.1f}" class="target">target {}</text>'
        ).format(
            _LEFT,
            _WIDTH - _RIGHT,
            target_y,
            target_y,
            _TARGET,
            _WIDTH - _RIGHT + 6,
            target_y + 4,
            _number(target, 1) + unit,
        )
    )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, value in enumerate(values):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{scale.y(float(value)):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        if len(points) > 1:
            parts.append(
                Markup(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
                    'stroke-linejoin="round"/>'
                ).format(" ".join(points), _LINE)
            )
    crowded = len(weeks) > 20
    for index, (week, value, ok) in enumerate(zip(weeks, values, passed, strict=True)):
        label_y = _HEIGHT - _BOTTOM + 16
        if not crowded or index % 2 == 0 or index == len(weeks) - 1:
            parts.append(
                Markup(
                    '<text x="{:.1f}" y="{}" text-anchor="middle" class="axis">{}</text>'
                    '<text x="{:.1f}" y="{}" text-anchor="middle" class="count">n={}</text>'
                ).format(x(index), label_y, week.week[5:], x(index), label_y + 14, week.count)
            )
        if value is None:
            continue
        y = scale.y(float(value))
        colour = _PASS if ok else _MISS
        fill = "#ffffff" if week.partial else colour
        shown = f"{value}{unit.strip()}"
        parts.append(
            Markup(
                '<circle cx="{:.1f}" cy="{:.1f}" r="4.5" fill="{}" stroke="{}" stroke-width="2">'
                "<title>{}: {}</title></circle>"
            ).format(x(index), y, fill, colour, week.week, shown)
        )
        if not crowded:
            parts.append(
                Markup(
                    '<text x="{:.1f}" y="{:.1f}" text-anchor="middle" class="value" fill="{}">'
                    "{}</text>"
                ).format(x(index), y - 9, colour, shown)
            )
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-label="{title}"><title>{title}</title>'
        "{body}</svg>"
    ).format(w=_WIDTH, h=_HEIGHT, title=escape(title), body=Markup("").join(parts))
