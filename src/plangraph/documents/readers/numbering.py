"""List numbers an office program draws but does not write into the text.

A draft typed in Word or Writer often numbers its items with the program's automatic numbering:
the 1. 2. of the measures and targets, the 一、 of the areas, are then in the list's definition,
not in the paragraphs. A reader that took the paragraphs' text only would lose them, and with them
where one target ends and the next begins. So the DOCX and ODT readers put the label the program
shows in front of each numbered paragraph; this module formats the labels.

A counter is formatted in the style the list names: the formats here are those of ECMA-376
(`w:numFmt`) and of ODF (`style:num-format`) that a plan's numbering uses or could use.
"""

from __future__ import annotations

from ..numerals import int_to_cjk

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = str.maketrans("一二三四五六七八九十百千", "壹貳參肆伍陸柒捌玖拾佰仟")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _cycle(symbols: str, n: int) -> str:
    return symbols[(n - 1) % len(symbols)]


# the kinds of counter, by the names each format gives them
DECIMAL, FULL_WIDTH, CJK, LEGAL, STEMS, BRANCHES, CIRCLED = ("decimal", "full-width", "cjk",
                                                            "legal", "stems", "branches",
                                                            "circled")
UPPER_ROMAN, LOWER_ROMAN, UPPER_LETTER, LOWER_LETTER = "I", "i", "A", "a"

WORD_FORMATS = {
    "decimal": DECIMAL, "decimalHalfWidth": DECIMAL, "decimalZero": "decimal-zero",
    "decimalFullWidth": FULL_WIDTH, "decimalFullWidth2": FULL_WIDTH,
    "decimalEnclosedCircle": CIRCLED, "decimalEnclosedCircleChinese": CIRCLED,
    "decimalEnclosedParen": "paren", "decimalEnclosedFullstop": "fullstop",
    "taiwaneseCounting": CJK, "taiwaneseCountingThousand": CJK, "chineseCounting": CJK,
    "chineseCountingThousand": CJK, "japaneseCounting": CJK, "koreanCounting": CJK,
    "ideographDigital": "cjk-digits", "taiwaneseDigital": "cjk-digits",
    "ideographLegalTraditional": LEGAL, "chineseLegalSimplified": LEGAL,
    "ideographTraditional": STEMS, "ideographZodiac": BRANCHES,
    "upperRoman": UPPER_ROMAN, "lowerRoman": LOWER_ROMAN,
    "upperLetter": UPPER_LETTER, "lowerLetter": LOWER_LETTER,
}


def odf_format(value: str | None) -> str | None:
    """An ODF `style:num-format` as a kind of counter; None for no number ("" in ODF)."""
    if not value:
        return None
    first = value.strip()[0]
    return {"1": DECIMAL, "i": LOWER_ROMAN, "I": UPPER_ROMAN, "a": LOWER_LETTER,
            "A": UPPER_LETTER, "一": CJK, "壹": LEGAL, "１": FULL_WIDTH, "甲": STEMS,
            "子": BRANCHES, "①": CIRCLED}.get(first, DECIMAL)


def format_number(n: int, kind: str) -> str:
    """A counter as the list shows it: 3 → 3, ３, 三, 參, 丙, ③, iii …"""
    if kind in (DECIMAL, "decimal-zero", "paren", "fullstop"):
        text = f"{n:02d}" if kind == "decimal-zero" else str(n)
        return f"({text})" if kind == "paren" else f"{text}." if kind == "fullstop" else text
    if kind == FULL_WIDTH:
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if kind == CJK and n > 0:
        return int_to_cjk(n)
    if kind == "cjk-digits":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if kind == LEGAL and n > 0:
        return int_to_cjk(n).translate(_LEGAL)
    if kind == STEMS:
        return _cycle(_STEMS, n)
    if kind == BRANCHES:
        return _cycle(_BRANCHES, n)
    if kind == CIRCLED and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if kind in (UPPER_ROMAN, LOWER_ROMAN) and n > 0:
        return _roman(n) if kind == UPPER_ROMAN else _roman(n).lower()
    if kind in (UPPER_LETTER, LOWER_LETTER) and n > 0:
        return _letters(n) if kind == UPPER_LETTER else _letters(n).lower()
    return str(n)
