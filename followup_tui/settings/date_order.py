"""How a numeric date such as "3/4" reads for this user: 3 April or March 4.

Decided from the locale, as the C library would: LC_ALL, then LC_TIME, then LANG.
Territories that write the month first (the United States and a few places that
follow it) read "3/4" as March 4; every other locale, and none at all (C, POSIX),
reads it day first, the way the app itself shows dates ("Thu 26 Nov").
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: ISO 3166 territories whose everyday numeric dates are month/day.
MONTH_FIRST_TERRITORIES = frozenset({"US", "PR", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "UM",
                                     "VI", "BZ"})


def day_first(environ: Mapping[str, str] | None = None) -> bool:
    """True when "3/4" means 3 April for the user whose environment this is."""
    env = os.environ if environ is None else environ
    name = env.get("LC_ALL") or env.get("LC_TIME") or env.get("LANG") or ""
    # "en_US.UTF-8@euro" -> territory "US"
    base = name.split(".")[0].split("@")[0]
    territory = base.partition("_")[2].upper()
    return territory not in MONTH_FIRST_TERRITORIES
