"""Which e-mail clients support which HTML and CSS features: a dated caniemail snapshot.

``data/caniemail.json`` holds, for the features the check detects, the latest test result of
each platform of the four clients it evaluates (Gmail, Outlook on Windows, Apple Mail, Yahoo),
taken from the caniemail project (https://www.caniemail.com, MIT licence; the notice is in
the file and in ``data/caniemail-LICENSE``).  Values are caniemail's: ``y`` supported, ``a``
partially, ``n`` not, ``u`` unknown, followed by note numbers (``a #1``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["CLIENTS", "ClientSupport", "Feature", "Snapshot", "snapshot"]

#: The clients evaluated, with the platforms of each that count.
CLIENTS: Mapping[str, tuple[str, ...]] = {
    "gmail": ("desktop-webmail", "ios", "android"),
    "outlook": ("windows",),
    "apple-mail": ("macos", "ios"),
    "yahoo": ("desktop-webmail", "ios", "android"),
}

_CLIENT_NAMES = {
    "gmail": "Gmail",
    "outlook": "Outlook (Windows)",
    "apple-mail": "Apple Mail",
    "yahoo": "Yahoo Mail",
}
_PLATFORM_NAMES = {
    "desktop-webmail": "webmail",
    "ios": "iOS",
    "android": "Android",
    "macos": "macOS",
    "windows": "Windows",
}


@dataclass(frozen=True, slots=True)
class ClientSupport:
    """How one client supports a feature: the platforms where it does not, or only partly."""

    client: str
    unsupported: tuple[str, ...]
    partial: tuple[str, ...]
    notes: tuple[str, ...]

    def name(self, platforms: tuple[str, ...]) -> str:
        """``Gmail`` when every platform of the client is meant, else ``Gmail (iOS, Android)``."""
        base = _CLIENT_NAMES[self.client]
        if self.client == "outlook" or set(platforms) == set(CLIENTS[self.client]):
            return base
        return f"{base} ({', '.join(_PLATFORM_NAMES[p] for p in platforms)})"


@dataclass(frozen=True, slots=True)
class Feature:
    """One caniemail feature: its slug, title, page and support per client."""

    slug: str
    title: str
    url: str
    support: tuple[ClientSupport, ...]

    def client(self, name: str) -> ClientSupport:
        return next(s for s in self.support if s.client == name)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The shipped caniemail data: when it was taken and the features in it."""

    date: str
    features: Mapping[str, Feature]


@cache
def snapshot() -> Snapshot:
    """The caniemail snapshot shipped with the package (read once)."""
    text = (resources.files(__package__) / "data" / "caniemail.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    features = {slug: _feature(slug, entry) for slug, entry in document["features"].items()}
    return Snapshot(date=document["last_update_date"][:10], features=features)


def _feature(slug: str, entry: Mapping[str, Any]) -> Feature:
    notes: Mapping[str, str] = entry.get("notes") or {}
    support = []
    for client, platforms in CLIENTS.items():
        stats: Mapping[str, str] = entry["support"].get(client, {})
        unsupported, partial, numbers = [], [], []
        for platform in platforms:
            value = stats.get(platform, "u").split()
            if value[0] == "n":
                unsupported.append(platform)
            elif value[0] == "a":
                partial.append(platform)
            numbers += [n.lstrip("#") for n in value[1:]]
        support.append(
            ClientSupport(
                client,
                tuple(unsupported),
                tuple(partial),
                tuple(dict.fromkeys(notes[n] for n in numbers if n in notes)),
            )
        )
    return Feature(slug, entry["title"], entry["url"], tuple(support))
