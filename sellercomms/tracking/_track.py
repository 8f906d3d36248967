"""Deciding which carrier a tracking number belongs to, and whether to link it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from babel import Locale

from sellercomms.exceptions import InputError

from ._registry import Carrier, Match, registry
from ._text import is_blank, name_key, normalise

__all__ = ["Tracking", "track"]

_COUNTRY: Final = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class Tracking:
    """A tracking number as the templates use it.

    ``url`` is the carrier's tracking page when one carrier is clearly right, the platform's
    tracking URL when several could be and the order brought one, else ``None``; a number that
    fails its check digit never gets a URL.  ``valid`` says whether the number passed the
    checks of the carrier(s) it fits.  ``reason`` explains the outcome in one sentence (for a
    support desk), ``candidates`` lists the carriers the number fits and ``format`` names the
    format (``"<courier>/<id>"`` of the data files) the link rests on; these three explain the
    result and take no part in comparisons.
    """

    number: str
    carrier: str | None
    carrier_name: str | None
    url: str | None
    valid: bool
    raw: str
    reason: str = field(default="", compare=False)
    candidates: tuple[str, ...] = field(default=(), compare=False)
    format: str | None = field(default=None, compare=False)


def _country(value: str | None) -> str | None:
    code = (value or "").strip().upper()
    return code if _COUNTRY.fullmatch(code) else None


def _safe_url(url: str | None) -> str | None:
    """``url`` if it is a plain absolute http(s) URL, else ``None``."""
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.netloc else None


def _names(carriers: Iterable[Carrier]) -> str:
    return ", ".join(c.name for c in carriers)


def _route(origin: str | None, country: str | None) -> str:
    return f"the route {origin or '?'} → {country or '?'}"


@dataclass(frozen=True, slots=True)
class _Decision:
    chosen: Match | None
    fitting: tuple[Match, ...]  # one per carrier, the carriers whose checks the number passes
    failed: tuple[Match, ...]  # formats whose shape fits but whose check digit does not
    reason: str


def _per_carrier(matches: Iterable[Match]) -> tuple[Match, ...]:
    best: dict[str, Match] = {}
    for m in matches:
        held = best.get(m.carrier.code)
        if held is None or (m.reading.checked and not held.reading.checked):
            best[m.carrier.code] = m
    return tuple(best.values())


def _decide(
    matches: list[Match], named: bool, origin: str | None, country: str | None
) -> _Decision:
    failed = tuple(m for m in matches if m.reading.checked and not m.reading.valid)
    valid = [m for m in matches if m.reading.valid]
    checked = [m for m in valid if m.reading.checked]
    # A check digit that holds is evidence a bare format is not; and a number that fails a
    # check digit is more likely a typo than a number of some format without one.
    if checked:
        fitting = _per_carrier(checked)
    elif failed and not named:
        fitting = ()
    else:
        fitting = _per_carrier(valid)
    if not fitting:
        if failed:
            reason = f"fails the check digit of {_names(m.carrier for m in _per_carrier(failed))}"
        else:
            reason = "matches no format of the carriers we know"
        return _Decision(None, (), failed, reason)
    route = _route(origin, country) if origin or country else "no known route"
    if len(fitting) == 1:
        only = fitting[0]
        # A carrier the seller named is taken at its word; a guess must also fit the route.
        if not named and not only.carrier.serves(origin, country):
            reason = f"only {only.carrier.name} fits, and it does not serve {route}"
            return _Decision(None, fitting, failed, reason)
        how = "with its check digit" if only.reading.checked else "by its format"
        return _Decision(only, fitting, failed, f"{only.reading.format.name} {how}")
    scores = {m.carrier.code: m.carrier.route_score(origin, country) for m in fitting}
    top = max(scores.values())
    best = [m for m in fitting if scores[m.carrier.code] == top]
    if top > 0 and len(best) == 1:
        others = _names(m.carrier for m in fitting if m is not best[0])
        reason = (
            f"{best[0].reading.format.name}; also fits {others}, "
            f"but {best[0].carrier.name} is the carrier for {route}"
        )
        return _Decision(best[0], fitting, failed, reason)
    reason = f"fits {_names(m.carrier for m in fitting)}; {route} does not decide between them"
    return _Decision(None, fitting, failed, reason)


def track(
    number: str,
    carrier: str | None = None,
    *,
    locale: str | Locale = "en_US",
    country: str | None = None,
    origin: str | None = None,
    platform_url: str | None = None,
) -> Tracking:
    """Normalise ``number``, find and check its carrier, and build the tracking URL.

    ``carrier`` is the name the order gives ("UPS", "DHL", "AMZL_US", "ヤマト運輸" …): it
    limits the carriers considered to the ones it names; a name that says nothing ("Other")
    or that we do not know leaves the choice to the number.  ``country`` (ship-to) and
    ``origin`` (where the parcel leaves from), ISO 3166 alpha-2, decide between carriers whose
    formats the number fits; ``platform_url`` is the platform's own tracking link, used when
    they cannot.  ``locale`` picks the language of the carrier's page.  Raises
    :class:`~sellercomms.exceptions.InputError` (a ``ValueError``) when nothing is left of
    ``number`` after normalisation or it is a placeholder such as ``"N/A"``.

    >>> track("1Z999AA10123456784").url
    'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784'
    """
    if not isinstance(number, str) or is_blank(number):
        raise InputError("tracking number is empty")
    reg = registry()
    clean = normalise(number)
    origin, country = _country(origin), _country(country)
    fallback = _safe_url(platform_url)

    named = (carrier or "").strip()
    key = name_key(named)
    codes = reg.aliases.get(key) if key and key not in reg.generic else None
    display = reg.group_names.get(key, named) if key and key not in reg.generic else None
    prefix = f"{named!r} is not a carrier name we know; " if display and codes is None else ""

    if len(set(clean)) == 1:
        # One character repeated ("0000000000") is a placeholder, whatever check it passes.
        decision = _Decision(None, (), (), "one character repeated: a placeholder")
    else:
        matches = list(reg.matches(clean, codes))
        decision = _decide(matches, codes is not None, origin, country)

    chosen = decision.chosen
    candidates = tuple(m.carrier.code for m in decision.fitting)
    if chosen is not None:
        found = chosen.carrier
        url = found.page(chosen.reading.number, locale, origin, country) or fallback
        reason = f"{found.name}: {prefix}{decision.reason}"
        if url is fallback and fallback is not None:
            reason += "; no page of its own, the platform's link is used"
        # A courier the seller named but we do not know keeps its name: it may have handed
        # the parcel to the carrier the number belongs to.
        return Tracking(
            chosen.reading.number,
            found.code,
            display if prefix else found.name,
            url,
            True,
            number,
            reason,
            candidates,
            chosen.reading.format.key,
        )
    # Nothing clearly right: name what was named, link only what the platform gave, and
    # never a number that fails its check digit.
    single = reg.carriers[codes[0]] if codes is not None and len(codes) == 1 else None
    url = None if decision.failed and not decision.fitting else fallback
    reason = prefix + decision.reason
    if url is not None:
        reason += "; the platform's tracking link is used"
    return Tracking(
        number=clean,
        carrier=single.code if single is not None else None,
        carrier_name=single.name if single is not None else display,
        url=url,
        valid=bool(decision.fitting),
        raw=number,
        reason=reason,
        candidates=candidates,
    )
