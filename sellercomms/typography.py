"""Typographic fixes a template cannot make on its own.

Product titles come from the shop ("Glass storage jar, 1 l"): a narrow screen must not break
a number from its unit.  And templates join sentences with a space or a line break, which is
right in most languages and wrong after a Chinese or Japanese full stop: "。" closes a
sentence without a space after it, and a browser shows the line break between two sentences
of a paragraph as one.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["close_sentence_gaps", "keep_units_together"]

# "1 l", "200 g", "12 oz": a number and its unit.
_NUMBER_UNIT: Final = re.compile(
    r"(\d) (?=(?:mm|cm|m|km|in|ft|ml|cl|dl|l|L|oz|fl oz|lb|lbs|g|kg|mg|W|kW|V|mAh|GB|TB|pcs)\b)"
)

# Languages whose full stops take no space after them.
_CJK_LANGUAGES: Final = frozenset({"ja", "zh"})
_CJK_STOP: Final = "。！？"
# Plain text: a space after a full stop, inside a line (line breaks there are the wrapping).
_TEXT_GAP: Final = re.compile(rf"(?<=[{_CJK_STOP}])[ \t]+(?=\S)")
# HTML: any run of whitespace after a full stop shows as a space in a browser.
_HTML_GAP: Final = re.compile(rf"(?<=[{_CJK_STOP}])\s+")


def keep_units_together(text: str) -> str:
    r"""``text`` with a no-break space between a number and its unit.

    >>> keep_units_together("Glass storage jar, 1 l")
    'Glass storage jar, 1\xa0l'
    """
    return _NUMBER_UNIT.sub("\\1\u00a0", text) if " " in text else text


def close_sentence_gaps(content: str, *, language: str, html: bool) -> str:
    r"""``content`` without the gaps a template left after "。", "！" and "？".

    Only Chinese and Japanese are changed; in HTML every whitespace run after a full stop
    goes, in plain text the spaces within a line.

    >>> close_sentence_gaps("<p>届きました。\n良かった</p>", language="ja", html=True)
    '<p>届きました。良かった</p>'
    >>> close_sentence_gaps("幸いです。 良かった点", language="ja", html=False)
    '幸いです。良かった点'
    """
    if language not in _CJK_LANGUAGES or not any(stop in content for stop in _CJK_STOP):
        return content
    return (_HTML_GAP if html else _TEXT_GAP).sub("", content)
