"""The 修正對照表: an amendment as officials draft and read it.

Three columns: 修正規定 (the new text, the changed words underlined), 現行規定 (the current text)
and 說明 (why: explain.py). One row per changed measure and only changed measures; a strategy,
area or clause whose own text changed has its row too. An added row says （新增） in 現行規定, a
deleted one （刪除） in 修正規定. Rows stand under the headings of the new version (the point,
the area and sub-area, the strategy), in its order; a deleted measure stands where it stood, after
the row of the measure that preceded it.

A measure that is only renumbered (or stands under a renumbered strategy, or a new layout) has
no row: its content did not change. The table's notes say how many there are, and the row of the
deletion or addition that shifted its number says so.

This module builds the table as data; table_writers.py writes it as HTML, DOCX or ODT.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..documents.markup import Marked
from ..model.registry import Registry
from .align import match_texts
from .diff import Change, Diff
from .explain import explain
from .measures import DocumentView, MeasureView, StrategyView, comparable

NEW_MARK = "（新增）"
DELETED_MARK = "（刪除）"
COLUMNS = ("修正規定", "現行規定", "說明")
# an unchanged run this short between two changes is underlined with them: a single shared
# character (的, 之, ，) inside a rewritten phrase is not a kept word
_MIN_KEPT = 2
_ALNUM = re.compile(r"[0-9A-Za-z]+")


@dataclass(frozen=True)
class Paragraph:
    label: str        # "績效目標：" — never underlined — or ""
    text: Marked      # underlined characters: what the amendment changed


@dataclass
class Row:
    new: list[Paragraph] | None       # None: （刪除）
    old: list[Paragraph] | None       # None: （新增）
    notes: list[str]                  # 說明, in order
    old_key: str | None
    new_key: str | None
    ambiguous: bool = False


@dataclass
class Group:
    headings: tuple[str, ...]         # outermost first: 肆、具體作為 / 一、加強肅貪防貪 / (一)肅貪 / 4. …
    rows: list[Row] = field(default_factory=list)


@dataclass
class ComparisonTable:
    title: str
    old_version: str
    new_version: str
    notes: list[str]                  # what the rows do not show: structure, renumbering
    groups: list[Group]

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]


def underlined(old: str, new: str, names: Sequence[tuple[int, int]] = ()) -> Marked:
    """`new` with the characters that are not in `old` underlined.

    A change inside a word underlines the whole word: a name (`names`: spans of registry names
    in `new`), so that 最高法院檢察署 → 最高檢察署, where only characters were deleted, still
    shows 最高檢察署 underlined; or a number (101 → 108 underlines 108, not 8). Punctuation that
    only changed width (，→ ,) is no change (measures.comparable)."""
    flags = [False] * len(new)
    touched: list[int] = []          # positions in `new` where something was deleted
    sm = difflib.SequenceMatcher(None, comparable(old), comparable(new), autojunk=False)
    for op, _, _, j1, j2 in sm.get_opcodes():
        if op == "delete":
            touched.append(j1)
        elif op != "equal":
            flags[j1:j2] = [True] * (j2 - j1)
    # a change inside a word underlines the word: a registry name, or a number (101 → 108)
    words = list(names) + [(m.start(), m.end()) for m in _ALNUM.finditer(new)]
    for start, end in words:
        if any(flags[start:end]) or any(start < j < end for j in touched):
            flags[start:end] = [True] * (end - start)
    # absorb short kept runs between two changes (changed characters or deletion points)
    cut = set(touched)
    k = 0
    while k < len(flags):
        if flags[k]:
            k += 1
            continue
        end = k + 1
        while end < len(flags) and not flags[end] and end not in cut:
            end += 1
        left = (k > 0 and flags[k - 1]) or k in cut
        right = (end < len(flags) and flags[end]) or end in cut
        if left and right and 0 < end - k < _MIN_KEPT:
            flags[k:end] = [True] * (end - k)
        k = end
    return Marked(new, tuple(flags))


def _target_label(targets: Sequence[str], k: int) -> str:
    return f"{k + 1}. " if len(targets) > 1 else ""


def _targets_text(m: MeasureView) -> str:
    return "\n".join(_target_label(m.targets, k) + t for k, t in enumerate(m.targets))


def _names(text: str, registry: Registry) -> list[tuple[int, int]]:
    """Spans of the registry's names in `text`: a changed name is underlined whole."""
    return [(pos, pos + len(name)) for _, name, pos in
            registry.find(text, ("agency", "collective", "body", "instrument"))]


def _targets_underlined(old: MeasureView, new: MeasureView, registry: Registry) -> Marked:
    """The new targets as _targets_text writes them, each underlined against the old target it
    is (paired by what they say, as the 說明 pairs them), a new target whole, and a number that
    changed (two targets swapped: 1. ↔ 2.)."""
    was = dict((j, i) for i, j in match_texts([comparable(t) for t in old.targets],
                                              [comparable(t) for t in new.targets]))
    out = Marked.plain("")
    for j, text in enumerate(new.targets):
        label = _target_label(new.targets, j)
        if j:
            out += Marked.plain("\n")
        i = was.get(j)
        if i is None:
            out += Marked(label + text, (True,) * len(label + text))
            continue
        renumbered = label != _target_label(old.targets, i)
        out += Marked(label, tuple(renumbered and ch != " " for ch in label))
        out += underlined(old.targets[i], text, _names(text, registry))
    return out


def _numbered(label: str, text: str) -> str:
    return f"{label} {text}" if label.endswith(".") else f"{label}{text}"


def _measure_parts(m: MeasureView) -> list[tuple[str, str]]:
    return [("", _numbered(m.label, m.text)), ("績效目標：", _targets_text(m)),
            ("辦理機關：", m.agency_cell)]


def _paragraphs(old: list[tuple[str, str]] | None, new: list[tuple[str, str]] | None,
                registry: Registry) -> tuple[list[Paragraph] | None, list[Paragraph] | None]:
    """The two cells: the old text plain, the new one underlined where it differs (all of it
    when there is no old text: a new provision is underlined whole)."""
    old_cell = [Paragraph(label, Marked.plain(text)) for label, text in old] if old else None
    new_cell = None
    if new is not None:
        new_cell = []
        for k, (label, text) in enumerate(new):
            before = old[k][1] if old is not None and k < len(old) else ""
            new_cell.append(Paragraph(label, underlined(before, text, _names(text, registry))))
    return new_cell, old_cell


def strategy_heading(s: StrategyView) -> str:
    return _numbered(s.label, s.text)


class _Builder:
    def __init__(self, d: Diff, registry: Registry, as_of: dt.date | None):
        self.d, self.registry, self.as_of = d, registry, as_of
        self.old, self.new = d.old, d.new
        a = d.alignment
        self.partner = {o.key: n for o, n in a.strategies}
        self.strategy_at = {s.key: k for k, s in enumerate(self.new.strategies)}
        self.measure_at = {m.key: k for k, m in enumerate(self.new.measures)}
        self.paired_new = {p.old.key: p.new for p in a.pairs}
        self.old_m = {m.key: m for m in self.old.measures}
        self.new_m = {m.key: m for m in self.new.measures}
        self.old_s = {s.key: s for s in self.old.strategies}
        self.new_s = {s.key: s for s in self.new.strategies}
        # (sort position, group headings, row)
        self.placed: list[tuple[tuple[float, ...], tuple[str, ...], Row]] = []

    def notes(self, changes: list[Change]) -> list[str]:
        return explain(changes, self.old, self.new, self.registry, self.as_of)

    def headings_of(self, s: StrategyView) -> tuple[str, ...]:
        return (s.part, *(h.label + h.title for h in s.headings), strategy_heading(s))

    def old_strategy_position(self, s: StrategyView) -> float:
        """Where an old strategy stands in the new order: at its partner, or just after the
        partner of the old strategy before it."""
        if s.key in self.partner:
            return self.strategy_at[self.partner[s.key].key]
        before = [x for x in self.old.strategies[:self.old.strategies.index(s)]
                  if x.key in self.partner]
        return (self.strategy_at[self.partner[before[-1].key].key] if before else -1) + 0.5

    def measure_row(self, changes: list[Change]) -> None:
        first = changes[0]
        o = None if first.change == "added" else self.old_m[first.key]
        n = self.new_m[first.new_key] if first.new_key is not None else None
        new_cell, old_cell = _paragraphs(_measure_parts(o) if o else None,
                                         _measure_parts(n) if n else None, self.registry)
        if o is not None and n is not None and new_cell is not None:
            new_cell[1] = Paragraph(new_cell[1].label, _targets_underlined(o, n, self.registry))
        notes = self.notes(changes) + self.shifted(changes)
        row = Row(new_cell, old_cell, notes, o.key if o else None, n.key if n else None,
                  any(c.change == "ambiguous" for c in changes))
        if n is not None:
            pos: tuple[float, ...] = (0, self.strategy_at[n.strategy.key], 1,
                                      self.measure_at[n.key], 0)
            self.placed.append((pos, self.headings_of(n.strategy), row))
            return
        assert o is not None
        s = o.strategy
        partner = self.partner.get(s.key)
        siblings = list(s.measures[:s.measures.index(o.key)])
        after = [self.paired_new[k] for k in siblings if k in self.paired_new
                 and partner is not None and self.paired_new[k].strategy.key == partner.key]
        anchor = self.measure_at[after[-1].key] if after else -1
        pos = (0, self.old_strategy_position(s), 1, anchor, 1 + self.old.measures.index(o))
        self.placed.append((pos, self.headings_of(partner) if partner else
                            (s.part, *(h.label + h.title for h in s.headings)), row))

    def shifted(self, changes: list[Change]) -> list[str]:
        """For an added or removed measure: the measures of its strategy renumbered after it."""
        first = changes[0]
        if first.change not in ("added", "removed"):
            return []
        if first.change == "removed":
            strategy = self.partner.get(self.old_m[first.key].strategy.key)
        else:
            strategy = self.new_m[first.key].strategy
        if strategy is None:
            return []
        moved = [c for c in self.d.changes if c.change == "renumbered"
                 and c.new_key in strategy.measures and c.new_key is not None
                 and self.old_m[c.key].measure.number != self.new_m[c.new_key].measure.number]
        if not moved:
            return []
        steps = "、".join(f"第{self.old_m[c.key].measure.number}項→"
                         f"第{self.new_m[c.new_key].measure.number}項"
                         for c in moved if c.new_key is not None)
        return [f"以下執行措施項次配合遞移（{steps}）。"]

    def strategy_row(self, change: Change) -> None:
        o = self.old_s.get(change.key) if change.change != "strategy-added" else None
        n = self.new_s.get(change.new_key) if change.new_key is not None else None
        new_cell, old_cell = _paragraphs([("", strategy_heading(o))] if o else None,
                                         [("", strategy_heading(n))] if n else None,
                                         self.registry)
        row = Row(new_cell, old_cell, self.notes([change]), o.key if o else None,
                  n.key if n else None)
        if n is not None:
            pos: tuple[float, ...] = (0, self.strategy_at[n.key], 0, 0, 0)
            self.placed.append((pos, self.headings_of(n), row))
        else:
            assert o is not None
            self.placed.append(((0, self.old_strategy_position(o), 0, 0, 0),
                                (o.part, *(h.label + h.title for h in o.headings)), row))

    def area_row(self, change: Change) -> None:
        new_cell, old_cell = _paragraphs([("", change.old)], [("", change.new)], self.registry)
        row = Row(new_cell, old_cell, self.notes([change]), change.key, change.new_key)
        first = next((k for k, s in enumerate(self.new.strategies)
                      if any(h.key == change.new_key for h in s.headings)), 0)
        s = self.new.strategies[first]
        above = [h.label + h.title for h in s.headings if change.key.startswith(h.key + ".")]
        self.placed.append(((0, first - 0.25, 0, 0, 0), (s.part, *above), row))

    def clause_row(self, change: Change) -> None:
        old_c = {c.key: c for c in self.old.clauses}
        new_c = {c.key: c for c in self.new.clauses}
        o = old_c.get(change.key) if change.change != "clause-added" else None
        n = new_c.get(change.new_key) if change.new_key is not None else None
        new_cell, old_cell = _paragraphs([("", o.label + o.text)] if o else None,
                                         [("", n.label + n.text)] if n else None,
                                         self.registry)
        row = Row(new_cell, old_cell, self.notes([change]), o.key if o else None,
                  n.key if n else None)
        at = (self.new.clauses.index(n) if n else
              self.old.clauses.index(o) + 0.5 if o else 0)
        self.placed.append(((1, at, 0, 0, 0), (self.new.clause_part or self.old.clause_part,),
                            row))

    def build(self) -> list[Group]:
        by_measure: dict[tuple[str | None, str | None], list[Change]] = {}
        for c in self.d.changes:
            if c.change in ("strategy-text", "strategy-added", "strategy-removed"):
                self.strategy_row(c)
            elif c.change == "area-text":
                self.area_row(c)
            elif c.change == "clause-renumbered":
                continue                     # no row: the notes count them
            elif c.change.startswith("clause-"):
                self.clause_row(c)
            elif "-" not in c.change:
                old_key = None if c.change == "added" else c.key
                by_measure.setdefault((old_key, c.new_key), []).append(c)
        for changes in by_measure.values():
            if any(c.change != "renumbered" for c in changes):
                self.measure_row(changes)
        groups: list[Group] = []
        for _, headings, row in sorted(self.placed, key=lambda p: p[0]):
            if not groups or groups[-1].headings != headings:
                groups.append(Group(headings))
            groups[-1].rows.append(row)
        return groups


def title_of(view: DocumentView) -> str:
    """After the amendment: 修正國家廉政建設行動方案第肆點 → 國家廉政建設行動方案第肆點修正對照表."""
    name = view.title.removeprefix("修正").strip() or "國家廉政建設行動方案"
    return f"{name}修正對照表"


def _structure_notes(d: Diff) -> list[str]:
    kinds: dict[str, list[Change]] = {}
    for c in d.changes:
        kinds.setdefault(c.change, []).append(c)
    notes = []
    gone = kinds.get("area-removed", [])
    if gone:
        old_h = {h.key: h for h in d.old.headings}
        where = "，具體策略直接列於各點之下" if d.new.layout == "flat" else ""
        notes.append(f"刪除面向之分層{len(gone)}個（"
                     + "、".join(old_h[c.key].label + old_h[c.key].title for c in gone)
                     + f"）{where}。")
    if kinds.get("area-added"):
        notes.append(f"新增面向之分層{len(kinds['area-added'])}個。")
    if kinds.get("strategy-renumbered"):
        notes.append(f"具體策略{len(kinds['strategy-renumbered'])}項調整編號。")
    with_row = {(c.key, c.new_key) for c in d.changes
                if "-" not in c.change and c.change != "renumbered"}
    only = [c for c in kinds.get("renumbered", []) if (c.key, c.new_key) not in with_row]
    if only:
        notes.append(f"執行措施{len(only)}項僅調整項次，內容未修正，不列入本表。")
    if kinds.get("clause-renumbered"):
        notes.append(f"第{d.new.clause_part.split('、')[0]}點之分項{len(kinds['clause-renumbered'])}"
                     "項調整項次。")
    if kinds.get("ambiguous"):
        notes.append(f"比對存疑者{len(kinds['ambiguous'])}項，於說明欄註明，請確認。")
    return notes


def comparison_table(d: Diff, registry: Registry, old_version: str, new_version: str,
                     as_of: dt.date | None = None) -> ComparisonTable:
    groups = _Builder(d, registry, as_of).build()
    notes = _structure_notes(d)
    if not groups and not notes:
        notes.append("兩版本內容相同，無修正。")
    return ComparisonTable(title_of(d.new), old_version, new_version, notes, groups)
