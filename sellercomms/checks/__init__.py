"""``sellercomms check``: broken, non-compliant or clipped messages, found before buyers see them.

:func:`check_templates` renders every message of a template folder for sample orders in
every shipped locale on every channel, and checks the final output (CSS inlined, as buyers
get it) against the rules in :data:`RULES`: required content, channel policy, size, e-mail
client support, accessibility and hygiene, untranslated texts.  Each finding names the
template file and line it comes from where that can be found.  docs/check.md has the rules,
their reasons and severities, and the JSON document.
"""

from .api import check_templates as check_templates
from .report import CHECK_FORMAT as CHECK_FORMAT
from .report import CheckFinding as CheckFinding
from .report import CheckReport as CheckReport
from .rules import RULES as RULES

__all__ = ["CHECK_FORMAT", "RULES", "CheckFinding", "CheckReport", "check_templates"]
