"""A seller's own e-mail template, written to a folder for one test."""

from __future__ import annotations

import re
from pathlib import Path

_STANDALONE = (
    '<!DOCTYPE html><html lang="{{ lang }}" dir="{{ dir }}"><head><meta charset="utf-8">'
    "<title>{%% block subject %%}%s{%% endblock %%}</title></head><body>"
    "{%% block preheader %%}{%% endblock %%}%s</body></html>"
)


def seller_template(
    folder: Path,
    name: str,
    body: str,
    *,
    subject: str = "Order {{ order.order_id }}",
    layout: bool = True,
) -> Path:
    """``emails/<name>.html`` and ``.txt`` in ``folder``, returning ``folder``.

    ``body`` goes in the built-in layout (whose footer names the order), or with ``layout``
    false in a page of its own; the text part holds the same words without the tags.
    """
    emails = folder / "emails"
    emails.mkdir(parents=True, exist_ok=True)
    if layout:
        html = (
            '{% extends "emails/_base.html" %}'
            f"{{% block subject %}}{subject}{{% endblock %}}"
            "{% block preheader %}{% endblock %}"
            f"{{% block content %}}{body}{{% endblock %}}"
        )
        text = (
            f'{{% extends "emails/_base.txt" %}}{{% block content %}}{_words(body)}{{% endblock %}}'
        )
    else:
        html = _STANDALONE % (subject, body)
        text = _words(body)
    (emails / f"{name}.html").write_text(html, encoding="utf-8")
    (emails / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def _words(body: str) -> str:
    return re.sub(r"<[^>]+>", " ", body)
