"""Tracking numbers: clean them up, find the carrier, check them and link to its tracking page.

``track("1z 999 aa1-0123 4567 84")`` gives a :class:`Tracking` with the clean number, the
carrier code (``"ups"``), its display name, whether the number passed the carrier's check and
the tracking URL.  Number formats and check digits are data (``data/``, in the schema of
jkeen/tracking_number_data, whose files are vendored there); the order's carrier name and
route decide between carriers a number could belong to, and a link is given only when one
carrier is clearly right.
"""

from ._text import is_blank as is_blank
from ._text import normalise as normalise
from ._track import Tracking as Tracking
from ._track import track as track

__all__ = ["Tracking", "is_blank", "normalise", "track"]
