"""Chinese numerals and the ROC calendar."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

# a CJK numeral of any size, for regular expressions (十一、二十三、四十八、一百零五 …)
NUMERAL = "[零〇一二兩三四五六七八九十百千]+"


def cjk_to_int(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23, 四十八 → 48, 一百零五 → 105, 三〇 → 30.

    Written with units (十, 百, 千), or digit by digit (二〇 as on some tables); anything else,
    such as 十十 or 二二十, is an error."""
    if not s or any(c not in _DIGITS and c not in _UNITS for c in s):
        raise ValueError(f"not a CJK numeral: {s!r}")
    if not any(c in _UNITS for c in s):
        if len(s) == 1 or "〇" in s or "零" in s:
            value = 0
            for c in s:
                value = value * 10 + _DIGITS[c]
            return value
        raise ValueError(f"not a CJK numeral: {s!r}")
    total, digit, last_unit = 0, None, 10_000
    for c in s:
        if c in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[c] != 0:
                raise ValueError(f"not a CJK numeral: {s!r}")
            digit = _DIGITS[c]
        else:
            unit = _UNITS[c]
            if unit >= last_unit or digit == 0:
                raise ValueError(f"not a CJK numeral: {s!r}")
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    if digit:
        total += digit
    return total


def int_to_cjk(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五 (as section numbers are written)."""
    if n <= 0:
        raise ValueError(f"no CJK section numeral for {n}")
    digits = "零一二三四五六七八九"
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                out += "零"
            out += ("" if d == 1 and unit == 10 and not out else digits[d]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + digits[n]
    return out


def roc_year(year: int) -> int:
    """民國 N 年 is year N + 1911."""
    return year + 1911
