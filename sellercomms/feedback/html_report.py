"""The report as one self-contained HTML page, rendered from ``reports/feedback.html``.

The template runs in the same sandboxed, autoescaping environment as every message, so a
buyer's comment is always shown as text.  The charts are SVG built in chart.py; the page loads
nothing from anywhere and runs no script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..environment import TemplateEnvironment
from .chart import average_chart, positive_chart
from .models import ReportContent
from .text_report import source_summary
from .triage import CAUSES, REMEDY_LABELS

__all__ = ["TEMPLATE", "html_report"]

#: The template's name; a seller's folder may override it.
TEMPLATE = "reports/feedback.html"


def html_report(report: ReportContent, templates: str | Path | None = None) -> str:
    """``report`` as HTML; ``templates`` is a folder that may override the template."""
    environment = TemplateEnvironment(templates)
    context = {
        "report": report,
        "source_summary": source_summary(report),
        "positive_chart": positive_chart(report.weeks, report.targets),
        "average_chart": average_chart(report.weeks, report.targets),
        "remedy_labels": dict(REMEDY_LABELS),
        "cause_labels": {cause.id: cause.label for cause in CAUSES.values()},
        "as_json": _as_json,
    }
    # The report is written for the seller's team, in English.
    with environment.rendering("en_US"):
        return environment.render(TEMPLATE, context)


def _as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
