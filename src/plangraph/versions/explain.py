"""The 說明 of a 修正對照表: each change said in the words officials use, from the change's data.

Every sentence is made from what the diff found and what the registry records: the names, the
registry event and its legal basis for a rename, the frequencies and deadlines read from targets,
the agencies added and removed, the strategy a measure moved from. Nothing is said that the data
does not show: a text change is "文字修正" unless the registry's renames account for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..documents.targets import deadline_of, frequencies_of
from ..model.registry import Registry
from .align import match_texts
from .diff import Change
from .measures import DocumentView, MeasureView, StrategyView, comparable
from .renames import Event

FREQUENCY_WORDS = {"QUARTERLY": "每季", "ANNUAL_2": "每半年", "ANNUAL": "每年", "MONTHLY": "每月",
                   "BIMONTHLY": "每2個月", "Regular": "定期", "PerCase": "遇案（個案）辦理",
                   "AsNeeded": "適時"}


def strategy_path(s: StrategyView) -> str:
    """How the document numbers a strategy: 一、(一)4.  |  二、(三)  |  五、 (flat layout)."""
    return "".join(h.label for h in s.headings) + s.label


def measure_path(m: MeasureView) -> str:
    return f"具體策略{strategy_path(m.strategy)}之執行措施{m.label or '（未編號）'}"


def _basis(ev: Event) -> str:
    basis = f"依{ev.basis}，" if ev.basis else ""
    return f"{basis}{ev.date}起"


def renamed(changes: Sequence[Change]) -> list[str]:
    """One sentence per explanation: names renamed by the same event are said together."""
    by_reason: dict[tuple[str, ...], list[Change]] = {}
    for c in changes:
        assert c.events is not None
        reason = tuple(f"{e.kind}|{e.date}|{e.basis}|{e.old_name}|{e.new_name}"
                       if e.kind == "family" else f"{e.kind}|{e.date}|{e.basis}"
                       for e in c.events)
        by_reason.setdefault(reason, []).append(c)
    out = []
    for reason, group in by_reason.items():
        pairs = "、".join(f"{c.old}→{c.new}" for c in group)
        events = group[0].events or []
        if not reason:
            out.append(f"機關名稱修正（{pairs}；登錄資料無組織調整紀錄）。")
        elif events[0].kind == "replaced":
            out.append(f"配合組織調整，辦理機關由{group[0].old}改為{group[0].new}"
                       f"（{_basis(events[0])}）。")
        elif events[0].kind == "family":
            e = events[0]
            out.append(f"機關名稱配合組織調整修正（{pairs}，{_basis(e)}，"
                       f"「…{e.old_name}」均改為「…{e.new_name}」）。")
        else:
            out.append(f"機關名稱配合組織調整修正（{pairs}，{_basis(events[-1])}）。")
    return out


def text_renames(old: str, new: str, registry: Registry, as_of: dt.date | None) -> list[Event]:
    """The registry's renames that, applied to `old`, give `new`; [] if they do not account for
    the whole change (then it is a change of wording). An agency's own renames first (longest
    old name first); a family rename (…法院檢察署 → …檢察署) only if still needed."""
    applied = []
    text, new = comparable(old), comparable(new)
    renames = sorted(((ev, e.id, ev.old_name, ev.new_name) for e in registry.entities.values()
                      for ev in e.events()
                      if ev.kind == "renamed" and ev.old_name and ev.new_name),
                     key=lambda r: -len(r[2]))
    for ev, entity, old_name, new_name in renames:
        if as_of is not None and ev.date > as_of:
            continue
        if comparable(old_name) in text and comparable(new_name) in new:
            text = text.replace(comparable(old_name), comparable(new_name))
            applied.append(Event("renamed", entity, ev.date.isoformat(), old_name, new_name,
                                 ev.basis, ev.source))
    for fam in registry.family_renames:
        if text == new or (as_of is not None and fam.date > as_of):
            break
        renamed, used = text, []
        for o, n in zip(fam.old, fam.new, strict=True):      # longest pattern first
            if o in renamed:
                renamed = renamed.replace(o, n)
                used.append(Event("family", None, fam.date.isoformat(), o, n, fam.basis,
                                  fam.source))
        if renamed == new:
            text, applied = renamed, applied + used
    return applied if applied and text == new else []


def _text(what: str, c: Change, registry: Registry, as_of: dt.date | None) -> str:
    return _wording(what, c.old, c.new, registry, as_of)


def _wording(what: str, old: str, new: str, registry: Registry, as_of: dt.date | None) -> str:
    """A change of words: the registry's renames when they account for all of it."""
    events = text_renames(old, new, registry, as_of)
    if not events:
        return f"{what}文字修正。"
    pairs = "、".join(dict.fromkeys(f"{e.old_name}→{e.new_name}" if e.kind != "family"
                                    else f"…{e.old_name}→…{e.new_name}" for e in events))
    return f"{what}所提機關名稱配合組織調整修正（{pairs}，{_basis(events[0])}）。"


def _targets(c: Change, registry: Registry, as_of: dt.date | None) -> list[str]:
    """Targets are paired by what they say (align.match_texts), not by their place: removing the
    first of two targets leaves the second as it was, not changed into the first."""
    old = [comparable(t) for t in c.old]
    new = [comparable(t) for t in c.new]
    pairs = sorted(match_texts(old, new), key=lambda p: p[1])
    out = []
    added = len(new) - len(pairs)
    removed = len(old) - len(pairs)
    if added:
        out.append(f"增列績效目標{added}項。")
    if removed:
        out.append(f"刪除績效目標{removed}項。")
    for i, j in pairs:
        a, b = old[i], new[j]
        if a == b:
            continue
        said = False
        which = f"第{j + 1}項" if len(new) > 1 else ""
        fa, fb = frequencies_of(a), frequencies_of(b)
        if fa != fb and fa and fb:
            out.append(f"績效目標{which}辦理頻率由{'、'.join(FREQUENCY_WORDS[f] for f in fa)}"
                       f"改為{'、'.join(FREQUENCY_WORDS[f] for f in fb)}。")
            said = True
        da, db = deadline_of(a), deadline_of(b)
        if da != db:
            out.append(f"績效目標{which}完成期限由{da.isoformat() if da else '（無）'}"
                       f"改為{db.isoformat() if db else '（無）'}。")
            said = True
        if not said:
            out.append(_wording(f"績效目標{which}", c.old[i], c.new[j], registry, as_of))
    in_new_order = [i for i, _ in pairs]
    if in_new_order != sorted(in_new_order):
        out.append("績效目標項次調整。")
    return out or ["績效目標修正。"]


def _agencies(c: Change, role: str) -> str:
    added = [x for x in c.new if x not in c.old]
    removed = [x for x in c.old if x not in c.new]
    bits = []
    if added:
        bits.append(f"增列{'、'.join(added)}")
    if removed:
        bits.append(f"刪除{'、'.join(removed)}")
    return f"{role}{'；'.join(bits)}。" if bits else f"{role}調整。"


def explain(changes: Sequence[Change], old: DocumentView, new: DocumentView, registry: Registry,
            as_of: dt.date | None = None) -> list[str]:
    """The 說明 of one row: the changes of one measure (or strategy, area, clause), in order."""
    old_m = {m.key: m for m in old.measures}
    new_m = {m.key: m for m in new.measures}
    old_s = {s.key: s for s in old.strategies}
    out: list[str] = []
    renames = [c for c in changes if c.change == "renamed"]
    for c in changes:
        kind = c.change
        if kind == "added":
            out.append("新增執行措施。")
        elif kind == "removed":
            out.append("本執行措施刪除。")
        elif kind == "moved":
            out.append(f"本執行措施原列於具體策略{strategy_path(old_s[c.old])}，移列至本具體策略。")
        elif kind == "renumbered":
            o, n = old_m[c.key], new_m[str(c.new_key)]
            if o.measure.number == n.measure.number:
                continue        # its strategy was renumbered: the table's notes say so
            same = strategy_path(o.strategy) == strategy_path(n.strategy)
            out.append(f"項次由第{o.measure.number}項調整為第{n.measure.number}項。" if same
                       else f"項次由{measure_path(o)}調整為{measure_path(n)}。")
        elif kind == "text":
            out.append(_text("執行措施", c, registry, as_of))
        elif kind == "targets":
            out += _targets(c, registry, as_of)
        elif kind == "agencies":
            out.append(_agencies(c, "辦理機關"))
        elif kind == "cooperating":
            out.append(_agencies(c, "配合機關（括號所列）"))
        elif kind == "instruments":
            out.append(_agencies(c, "所提法令名稱"))
        elif kind == "strategy-text":
            out.append(_text("具體策略", c, registry, as_of))
        elif kind == "strategy-added":
            out.append("新增具體策略。")
        elif kind == "strategy-removed":
            out.append("本具體策略刪除。")
        elif kind == "area-text":
            out.append("面向名稱文字修正。")
        elif kind == "clause-text":
            out.append(_text("本點", c, registry, as_of))
        elif kind == "clause-added":
            out.append("新增本點。")
        elif kind == "clause-removed":
            out.append("本點刪除。")
        elif kind == "ambiguous":
            rivals = [f"現行規定{measure_path(old_m[k])}" for k in c.old] + \
                     [f"修正規定{measure_path(new_m[k])}" for k in c.new]
            out.append(f"比對存疑：本列之對應亦可能為{'、'.join(rivals)}，請確認。")
    out += renamed(renames)
    return out
