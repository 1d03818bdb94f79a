"""Chinese numerals and the ROC calendar."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}


def cjk_to_int(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (enough for section numbers)."""
    if not s:
        raise ValueError("empty numeral")
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    if len(s) == 1:
        return _DIGITS[s]
    raise ValueError(f"unsupported numeral {s!r}")


def roc_year(year: int) -> int:
    """民國 N 年 is year N + 1911."""
    return year + 1911


def int_to_cjk(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 48 → 四十八 (the inverse of cjk_to_int, up to 99)."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(f"unsupported number {n}")
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")
