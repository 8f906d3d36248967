"""The installed version of sellercomms."""

from __future__ import annotations

import importlib.metadata

__all__ = ["VERSION"]

try:
    VERSION: str = importlib.metadata.version("sellercomms")
except importlib.metadata.PackageNotFoundError:  # a checkout that was never installed
    VERSION = "0.0.0"
