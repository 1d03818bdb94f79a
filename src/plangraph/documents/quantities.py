"""Thresholds and counts in texts, as typed values: a number, a unit, a comparator, the words.

每年至少辦理研習會一次 → at least 1 time, per year; 比率達百分之八十以上 → at least 80 percent;
新臺幣一千萬元以上 → at least 10 000 000 NT$; 簡任第十職等(或相當簡任第十職等)以上 → at least civil
service grade 10 (of the senior rank, 簡任); 集團人數三人以上 → at least 3 persons. Each value keeps
the words it was read from, so a reader can check it against the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .targets import FREQUENCIES

AT_LEAST, AT_MOST, EXACTLY = "AtLeast", "AtMost", "Exactly"
TIMES, PERCENT, TWD, GRADE, PERSONS = "Times", "Percent", "NewTaiwanDollar", "Grade", "Persons"

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"萬": 10_000, "億": 100_000_000}
_NUM = r"[0-9][0-9,，]*|[零〇一二兩三四五六七八九十百千萬億]+"


@dataclass(frozen=True)
class Quantity:
    value: int
    unit: str                    # Times | Percent | NewTaiwanDollar | Grade | Persons
    comparator: str              # AtLeast | AtMost | Exactly
    text: str                    # the words the value was read from
    start: int
    period: str | None = None    # a frequency concept (每年 → ANNUAL) for a count per period
    rank: str | None = None      # for a grade: the rank written with it (簡任, 薦任, 委任)


def cjk_number(s: str) -> int:
    """Arabic or Chinese numerals, large ones included: 1,000 → 1000; 一千萬 → 10000000;
    十二 → 12; 三億五千萬 → 350000000."""
    s = s.replace(",", "").replace("，", "")
    if s.isdigit():
        return int(s)
    total = section = digit = 0
    for c in s:
        if c in _DIGIT:
            digit = _DIGIT[c]
        elif c in _SMALL:
            section += (digit or 1) * _SMALL[c]
            digit = 0
        elif c in _LARGE:
            total += ((section + digit) or 1) * _LARGE[c]     # 萬 alone is 10000
            section = digit = 0
        else:
            raise ValueError(f"not a numeral: {s!r}")
    return total + section + digit


def _bound(words: str) -> str:
    if re.search(r"以上|至少|達|不少於|不低於", words):
        return AT_LEAST
    if re.search(r"以下|至多|不超過|不高於", words):
        return AT_MOST
    return EXACTLY


_PERIOD = "|".join(f"(?:{p})" for p, concept in FREQUENCIES
                   if concept in ("QUARTERLY", "ANNUAL_2", "ANNUAL", "MONTHLY", "BIMONTHLY"))
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # a count per period: 每年至少辦理研習會一次, 每2個月召開會議1次; the words between stay short
    # and inside one phrase (no comma)
    (TIMES, re.compile(rf"(?P<period>{_PERIOD})(?P<mid>[^，。；、]{{0,20}}?)(?P<n>{_NUM})\s*次")),
    (TIMES, re.compile(rf"(?P<mid>至少)(?P<pre>[^，。；、]{{0,12}}?)(?P<n>{_NUM})\s*次")),
    (PERCENT, re.compile(rf"(?P<mid>達|至少)?百分之(?P<n>{_NUM})(?P<post>以上|以下)?")),
    (PERCENT, re.compile(r"(?P<mid>達|至少)?(?P<n>[0-9]+)\s*[%％](?P<post>以上|以下)?")),
    (TWD, re.compile(rf"新臺幣\s*(?P<n>{_NUM})\s*元(?P<post>以上|以下)?")),
    (GRADE, re.compile(r"(?P<rank>[簡薦委]任)第(?P<n>[一二三四五六七八九十]+)職等"
                       r"(?:\((?:或)?相當[簡薦委]任第[一二三四五六七八九十]+職等\))?(?P<post>以上|以下)?")),
    (PERSONS, re.compile(rf"(?<![0-9零〇一二兩三四五六七八九十百千萬億])(?P<n>{_NUM})人"
                         r"(?![員士民權事])(?P<post>以上|以下)?")),
]


def quantities_of(text: str) -> list[Quantity]:
    """Every quantity in the text, in the order written; a span read once (the first pattern
    that matches it wins: 每年至少…一次 is one count per year, not also a bare 至少…一次)."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for unit, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            groups = m.groupdict()
            words = "".join(groups.get(k) or "" for k in ("mid", "post"))
            period = None
            if groups.get("period"):
                period = next(c for p, c in FREQUENCIES if re.fullmatch(p, groups["period"]))
            found.append(Quantity(cjk_number(groups["n"]), unit, _bound(words), m.group(0),
                                  m.start(), period, groups.get("rank")))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)
