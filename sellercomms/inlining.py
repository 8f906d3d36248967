"""CSS inlining for e-mail HTML, with premailer, offline.

Inlining runs on rendered HTML (inlining the Jinja source breaks loops, expressions and
links).  Stylesheets come from ``<style>`` blocks that templates fill with
``{% include "emails/email.css" %}`` from the template folders; premailer never touches the
network or the file system.  ``!important`` survives in the rules kept in ``<style>``, so the
mobile ``@media`` rules can still override the inlined styles.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["CssInliner"]


class CssInliner:
    """Inlines CSS into rendered HTML; premailer is imported on first use, not at import."""

    def __init__(self) -> None:
        self._options: dict[str, Any] = {
            "base_url": None,
            "allow_network": False,
            "allow_loading_external_files": False,
            # Keep !important in the leftover <style> rules: mobile and dark-mode @media rules
            # must be able to beat the inlined declarations.
            "strip_important": False,
            "disable_link_rewrites": True,
            "disable_validation": True,
            "cssutils_logging_level": logging.CRITICAL,
        }
        self._premailer: Any = None

    def inline(self, html: str) -> str:
        """``html`` with its ``<style>`` rules moved into ``style`` attributes where they can be."""
        if self._premailer is None:
            import premailer  # deferred: it pulls in lxml and cssutils (~0.2 s)

            # cssutils warns about every mso- property Outlook needs; they are deliberate.
            logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)
            self._premailer = premailer.Premailer
        result: str = self._premailer(html, **self._options).transform()
        return result
