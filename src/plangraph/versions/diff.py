"""A semantic diff of two versions of the plan.

Measures are matched by content, not only by number: deleting measure 8 of 9 makes measure 9 the
new measure 8, which is a renumbering, not a text change. Whitespace and markup are not changes
(texts are compared normalised); two spellings of one agency are not a change (agencies are
compared as registry entities).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from typing import Any

from ..documents.tree import PlanDocument
from ..model.registry import Registry
from .measures import MeasureView, names, views

KINDS = ("added", "removed", "renumbered", "text", "targets", "agencies", "cooperating",
         "instruments")
# Below this similarity two measures are different measures (one removed, one added).
MATCH_THRESHOLD = 0.6
# At or above this similarity a measure that keeps its number is the same measure, edited: it is
# paired before the all-pairs search, which then only sees the renumbered, added and removed ones.
ANCHOR_THRESHOLD = 0.9


@dataclass
class Change:
    change: str
    key: str                  # the old key (the new key for "added")
    new_key: str | None
    old: Any
    new: Any
    diff: list[tuple[str, str, str]] | None = field(default=None)   # text changes: (op, old, new)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["diff"] is None:
            del d["diff"]
        return d


def _order(key: str) -> tuple[int, ...]:
    return tuple(int(p) for p in key.split("."))


def match(old: list[MeasureView], new: list[MeasureView]) -> list[tuple[MeasureView, MeasureView]]:
    """Pairs (old, new) of the same measure: identical texts first, then edited measures that
    keep their number, then the most similar of the rest (every old with every new: quadratic in
    what is left, which in a real amendment is a few measures)."""
    pairs: list[tuple[MeasureView, MeasureView]] = []
    free_old, free_new = list(old), list(new)
    by_text: dict[str, list[MeasureView]] = {}
    for n in free_new:
        by_text.setdefault(n.text, []).append(n)
    for o in list(free_old):
        candidates = by_text.get(o.text, [])
        if candidates:
            n = next((c for c in candidates if c.key == o.key), candidates[0])
            candidates.remove(n)
            pairs.append((o, n))
            free_old.remove(o)
            free_new.remove(n)
    sm = difflib.SequenceMatcher(autojunk=False)
    new_by_key = {n.key: n for n in free_new}
    for o in list(free_old):
        n = new_by_key.get(o.key)
        if n is not None:
            sm.set_seq2(n.text)
            if similarity(sm, o.text, ANCHOR_THRESHOLD) is not None:
                pairs.append((o, n))
                free_old.remove(o)
                free_new.remove(n)
    scored = []
    for n in free_new:
        sm.set_seq2(n.text)              # analysed once, compared with every old measure
        for o in free_old:
            ratio = similarity(sm, o.text, MATCH_THRESHOLD)
            if ratio is not None:
                scored.append((ratio + (0.01 if o.key == n.key else 0), o.key, n.key, o, n))
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    for _, _, _, o, n in sorted(scored, key=lambda s: (-s[0], _order(s[1]), _order(s[2]))):
        if o.key not in taken_old and n.key not in taken_new:
            pairs.append((o, n))
            taken_old.add(o.key)
            taken_new.add(n.key)
    return sorted(pairs, key=lambda p: _order(p[0].key))


def similarity(sm: difflib.SequenceMatcher, text: str, threshold: float) -> float | None:
    """The similarity of `text` to the matcher's second sequence (set, and so analysed, by the
    caller), or None when it is below `threshold`: the cheap upper bounds (lengths, then
    quick_ratio) rule most pairs out before the exact ratio."""
    other = sm.b
    if 2 * min(len(text), len(other)) / max(len(text) + len(other), 1) < threshold:
        return None
    sm.set_seq1(text)
    if sm.quick_ratio() < threshold:
        return None
    ratio = sm.ratio()
    return ratio if ratio >= threshold else None


def char_diff(old: str, new: str) -> list[tuple[str, str, str]]:
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(op, old[a:b], new[c:d]) for op, a, b, c, d in sm.get_opcodes()]


def diff_documents(old_doc: PlanDocument, new_doc: PlanDocument, registry: Registry) -> list[Change]:
    old, new = views(old_doc), views(new_doc)
    return diff_matched(old, new, match(old, new), registry)


def diff_matched(old: list[MeasureView], new: list[MeasureView],
                 pairs: list[tuple[MeasureView, MeasureView]], registry: Registry) -> list[Change]:
    """The changes, given the measures already matched (match())."""
    matched_old = {o.key for o, _ in pairs}
    matched_new = {n.key for _, n in pairs}
    changes: list[Change] = []
    for o in old:
        if o.key not in matched_old:
            changes.append(Change("removed", o.key, None, o.text, None))
    for o, n in pairs:
        changes.extend(_compare(o, n, registry))
    for n in new:
        if n.key not in matched_new:
            changes.append(Change("added", n.key, n.key, None, n.text))
    return sorted(changes, key=lambda c: (_order(c.key), KINDS.index(c.change)))


def _compare(o: MeasureView, n: MeasureView, registry: Registry) -> list[Change]:
    out = []

    def change(kind: str, old: Any, new: Any, **kw: Any) -> None:
        out.append(Change(kind, o.key, n.key, old, new, **kw))

    if o.key != n.key:
        change("renumbered", o.key, n.key)
    if o.text != n.text:
        change("text", o.text, n.text, diff=char_diff(o.text, n.text))
    if o.targets != n.targets:
        change("targets", list(o.targets), list(n.targets))
    for kind, a, b in (("agencies", o.lead, n.lead), ("cooperating", o.cooperating, n.cooperating),
                       ("instruments", o.instruments, n.instruments)):
        if a != b:
            change(kind, names(registry, a), names(registry, b))
    return out
