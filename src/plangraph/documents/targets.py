"""Structured values in target texts: reporting frequencies and deadlines."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .numerals import roc_year

# Surface forms → frequency concept (see ontology/plangraph.ttl). Checked in order; a form
# contained in a longer one (每年 in 每半年) never matches inside it because of the lookarounds.
FREQUENCIES: list[tuple[str, str]] = [
    (r"每季|按季", "QUARTERLY"),
    (r"每半年", "ANNUAL_2"),
    (r"每年|逐年|全年度", "ANNUAL"),     # 全年度: a whole year's figure, reported each year (line 30)
    (r"每月", "MONTHLY"),
    (r"每\s*[2二兩]\s*個月", "BIMONTHLY"),
    (r"定期", "Regular"),
    (r"遇案辦理|個案辦理", "PerCase"),
    (r"適時", "AsNeeded"),
]
_DEADLINE = re.compile(r"(\d+)\s*年(?:\s*(\d+)\s*月)?(?:\s*(\d+)\s*日)?\s*(?:底)?\s*前")


def frequencies_of(text: str) -> list[str]:
    found = []
    for pattern, concept in FREQUENCIES:
        if re.search(pattern, text) and concept not in found:
            found.append(concept)
    return found


def deadline_of(text: str) -> dt.date | None:
    """101年底前 → 2012-12-31; 103年6月底前 → 2014-06-30; 103年6月15日前 → 2014-06-15."""
    m = _DEADLINE.search(text)
    if not m:
        return None
    year = roc_year(int(m.group(1)))
    if m.group(2) is None:
        return dt.date(year, 12, 31)
    month = int(m.group(2))
    day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)
