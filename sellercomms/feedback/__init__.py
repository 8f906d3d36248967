"""The weekly feedback report: figures against the targets, and every bad feedback triaged.

Read a marketplace's feedback export (:func:`read_feedback`), then build the report
(:func:`feedback_report`): counts, positive percentage and average per ISO week and over the
last 30, 90 and 365 days against the targets (95 % positive, 4.5 average), the trend, and each
negative or neutral feedback tagged with its likely root cause and the remedy that fits.
docs/feedback-report.md describes the input formats, the JSON document and the triage rules.
"""

from .models import FeedbackFile as FeedbackFile
from .outputs import FeedbackReport as FeedbackReport
from .reading import parse_feedback as parse_feedback
from .reading import read_feedback as read_feedback
from .report import feedback_report as feedback_report

__all__ = ["FeedbackFile", "FeedbackReport", "feedback_report", "parse_feedback", "read_feedback"]
