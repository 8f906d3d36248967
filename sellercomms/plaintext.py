"""Plain-text layout that also suits Chinese and Japanese: wrapping by display width.

``textwrap`` breaks only at spaces and counts characters, so a Japanese paragraph (no spaces,
each character two columns wide) stays one long line.  Here wide characters count two columns
and a line may break between any two of them, except before closing punctuation (。、」…),
which stays with the text it closes.

>>> print(wrap("ご注文の商品を発送いたしました。お届けまでしばらくお待ちください。", 20))
ご注文の商品を発送い
たしました。お届けま
でしばらくお待ちくだ
さい。
>>> print(wrap("Track your parcel: https://www.ups.com/track?loc=en_US&tracknum=1Z999", 30))
Track your parcel:
https://www.ups.com/track?loc=en_US&tracknum=1Z999
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["display_width", "underline", "wrap"]

# Characters that may not start a line in Japanese and Chinese typesetting.
_NO_LINE_START = frozenset("、。，．,.!?！？）」』】〕〉》’”・ー々〜：；:;")
_TOKENS = re.compile(r"\s+|[^\s]")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in {"W", "F"}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced terminal or mail client."""
    if text.isascii():  # one column a character, and most text is: no lookup per character
        return len(text)
    return sum(2 if _wide(char) else 1 for char in text)


def underline(text: str, char: str = "-") -> str:
    """A rule as wide as ``text``, for plain-text headings."""
    return char * display_width(text)


def _units(paragraph: str) -> list[str]:
    """Words and single wide characters, with the spaces between them as their own units."""
    units: list[str] = []
    for token in _TOKENS.findall(paragraph):
        if token.isspace():
            units.append(" ")
        elif _wide(token) or not units or units[-1] == " " or _wide(units[-1][-1]):
            if units and token in _NO_LINE_START and units[-1] != " ":
                units[-1] += token
            else:
                units.append(token)
        else:
            units[-1] += token
    return units


def wrap(text: str, width: int = 72) -> str:
    """``text`` wrapped at ``width`` columns; words and URLs longer than that stay whole."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph):
            if unit == " ":
                if line:
                    line += " "
                continue
            if line and display_width(line.rstrip(" ") + unit) > width and line.strip():
                lines.append(line.rstrip(" "))
                line = ""
            line += unit
        lines.append(line.rstrip(" "))
    return "\n".join(lines)
