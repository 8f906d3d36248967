"""The feedback report with its outputs: the JSON document, the terminal text, the HTML page."""

from __future__ import annotations

from pathlib import Path

from .html_report import html_report
from .models import ReportContent
from .text_report import text_report

__all__ = ["FeedbackReport"]


class FeedbackReport(ReportContent):
    """The weekly feedback report: figures against the targets and the triage list.

    ``model_dump(mode="json")`` (or :meth:`to_json`) is the JSON document; :meth:`to_text`
    the terminal table; :meth:`to_html` the page to forward to the team.
    """

    def to_json(self) -> str:
        """The JSON document, indented, non-ASCII characters kept."""
        return self.model_dump_json(indent=2) + "\n"

    def to_text(self) -> str:
        """The report as plain-text tables for a terminal."""
        return text_report(self)

    def to_html(self, templates: str | Path | None = None) -> str:
        """The report as a self-contained HTML page (``reports/feedback.html``).

        ``templates`` is a folder whose ``reports/feedback.html`` overrides the built-in one.
        """
        return html_report(self, templates)
