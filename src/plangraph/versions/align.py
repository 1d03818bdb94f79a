"""Which measure of the new version is which measure of the old one: alignment by content.

Numbers do not say it. Deleting measure 8 of 9 makes measure 9 the new measure 8, and from 2018
on the areas are gone and every measure is renumbered, so measures are paired by what they say:

1. the same text on both sides, once each: the same measure;
2. a measure that keeps its key and its text nearly (similarity ≥ ANCHOR_THRESHOLD = 0.9): the
   same measure, edited (a fast path: in a version that edits a few measures, this pairs nearly
   all of them without comparing every measure with every other);
3. the rest by a one-to-one assignment that maximises the total score (the Hungarian method,
   scipy.optimize.linear_sum_assignment) over the pairs whose texts are similar enough
   (similarity ≥ MATCH_THRESHOLD = 0.6). The score is the text similarity plus CONTEXT_WEIGHT
   (0.1) times the similarity of the context: the targets, the agencies and the strategy's text,
   so that two measures of the same text are told apart by where they stand and what they ask.

Below MATCH_THRESHOLD two measures are different measures: one removed, one added.

Similarity is difflib's ratio on the normalised texts (2 × matching characters / both lengths;
texts as measures.comparable makes them, ，and , one character):
1.0 for the same text, 0.9 for one character in twenty edited, near 0.5 for unrelated texts of
the plan that share its phrasing.

A pairing is *ambiguous* when another one is nearly as good (its score within
AMBIGUITY_MARGIN = 0.05): the old measure with a new one left unpaired, the new measure with an
old one left unpaired, or two pairs swapped. Ambiguous pairs are kept (the best assignment is
still the best guess, and persistent identifiers follow it) and reported with their rivals.
Pairs made in steps 1 and 2 are checked against the measures left unpaired only.

Strategies are paired after their measures (a strategy is the one that holds most of the same
measures, or failing that the one of the most similar text), and the clauses of point 陸 like
measures, by their texts.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .measures import ClauseView, DocumentView, MeasureView, StrategyView, comparable

MATCH_THRESHOLD = 0.6
ANCHOR_THRESHOLD = 0.9
AMBIGUITY_MARGIN = 0.05
CONTEXT_WEIGHT = 0.1
# the same key breaks a tie between otherwise equal pairings (far below AMBIGUITY_MARGIN)
_SAME_KEY_BONUS = 0.001


@dataclass(frozen=True)
class Pair:
    """An old measure and the new measure it became."""

    old: MeasureView
    new: MeasureView
    similarity: float                    # of the two texts: 1.0 for the same text
    how: str                             # "same text" | "same key" | "assignment"
    old_rivals: tuple[str, ...] = ()     # other old measures the new one could as well be
    new_rivals: tuple[str, ...] = ()     # other new measures the old one could as well be

    @property
    def ambiguous(self) -> bool:
        return bool(self.old_rivals or self.new_rivals)


@dataclass
class Alignment:
    pairs: list[Pair]                            # in the old version's order
    removed: list[MeasureView]                   # old measures with no partner
    added: list[MeasureView]                     # new measures with no partner
    strategies: list[tuple[StrategyView, StrategyView]] = field(default_factory=list)
    removed_strategies: list[StrategyView] = field(default_factory=list)
    added_strategies: list[StrategyView] = field(default_factory=list)
    clauses: list[tuple[ClauseView, ClauseView]] = field(default_factory=list)
    removed_clauses: list[ClauseView] = field(default_factory=list)
    added_clauses: list[ClauseView] = field(default_factory=list)

    def new_strategy_of(self, old: StrategyView) -> StrategyView | None:
        return next((n for o, n in self.strategies if o.key == old.key), None)


class Similar:
    """Texts compared with one text, analysed once (difflib's second sequence)."""

    def __init__(self, text: str):
        self.text = text
        self.matcher = difflib.SequenceMatcher(None, "", text, autojunk=False)

    def to(self, text: str, threshold: float) -> float | None:
        """The similarity of `text` to this one, or None when it is below `threshold`: the cheap
        upper bounds (lengths, then quick_ratio) rule most pairs out before the exact ratio."""
        other = self.text
        if 2 * min(len(text), len(other)) / max(len(text) + len(other), 1) < threshold:
            return None
        self.matcher.set_seq1(text)
        if self.matcher.quick_ratio() < threshold:
            return None
        ratio = self.matcher.ratio()
        return ratio if ratio >= threshold else None


def ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# -- the general method, over two lists of texts ----------------------------------------------------

@dataclass(frozen=True)
class _Match:
    i: int
    j: int
    similarity: float
    how: str
    old_rivals: tuple[int, ...]
    new_rivals: tuple[int, ...]


def _match_texts(old: Sequence[str], new: Sequence[str], old_keys: Sequence[str],
                 new_keys: Sequence[str], *, context: Callable[[int, int], float] | None = None,
                 anchor: bool = False) -> list[_Match]:
    """Steps 1–3 of the module's docstring and the ambiguity check, on indices."""
    def same_key(i: int, j: int) -> bool:
        return old_keys[i] == new_keys[j]

    sims: dict[tuple[int, int], float] = {}
    how: dict[tuple[int, int], str] = {}
    # 1. the same text, once on each side
    by_text_old: dict[str, list[int]] = defaultdict(list)
    by_text_new: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(old):
        by_text_old[t].append(i)
    for j, t in enumerate(new):
        by_text_new[t].append(j)
    for t, olds in by_text_old.items():
        news = by_text_new.get(t, [])
        if len(olds) == 1 and len(news) == 1:
            sims[olds[0], news[0]] = 1.0
            how[olds[0], news[0]] = "same text"
    paired_old = {i for i, _ in how}
    paired_new = {j for _, j in how}
    free_old = [i for i in range(len(old)) if i not in paired_old]
    free_new = [j for j in range(len(new)) if j not in paired_new]
    # 2. the same key, nearly the same text
    if anchor:
        new_at = {new_keys[j]: j for j in free_new}
        for i in list(free_old):
            j = new_at.get(old_keys[i], -1)
            if j >= 0:
                s = Similar(new[j]).to(old[i], ANCHOR_THRESHOLD)
                if s is not None:
                    sims[i, j] = s
                    how[i, j] = "same key"
                    free_old.remove(i)
                    free_new.remove(j)
    fixed = list(how)

    # 3. an assignment over the rest
    def score(i: int, j: int) -> float:
        s = sims[i, j] + (CONTEXT_WEIGHT * context(i, j) if context is not None else 0.0)
        return s + (_SAME_KEY_BONUS if same_key(i, j) else 0.0)

    candidates: dict[tuple[int, int], float] = {}
    for j in free_new:
        similar = Similar(new[j])            # analysed once, compared with every free old text
        for i in free_old:
            s = similar.to(old[i], MATCH_THRESHOLD)
            if s is not None:
                sims[i, j] = s
                candidates[i, j] = score(i, j)
    chosen = _best_assignment(candidates)
    for p in chosen:
        how[p] = "assignment"
    pairs = fixed + chosen

    # the ambiguity check: pairs of steps 1 and 2 against what is left unpaired
    left_old = set(free_old) - {i for i, _ in chosen}
    left_new = set(free_new) - {j for _, j in chosen}
    scores = dict(candidates)
    for i, j in fixed if left_old or left_new else ():      # nothing left over: no rival
        rivals_found = False
        if left_old:
            similar = Similar(new[j])
            for i2 in left_old:
                s = similar.to(old[i2], MATCH_THRESHOLD)
                if s is not None:
                    sims[i2, j] = s
                    scores[i2, j] = score(i2, j)
                    rivals_found = True
        if left_new:
            similar = Similar(old[i])
            for j2 in left_new:
                s = similar.to(new[j2], MATCH_THRESHOLD)
                if s is not None:
                    sims[i, j2] = s
                    scores[i, j2] = score(i, j2)
                    rivals_found = True
        if rivals_found:
            scores[i, j] = score(i, j)
    rivals = _rivals(pairs, scores)
    return sorted((_Match(i, j, sims[i, j], how[i, j], *rivals[i, j]) for i, j in pairs),
                  key=lambda m: m.i)


def match_texts(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Which of the `new` texts is which of the `old` ones, by steps 1 and 3 (the same place
    breaks a tie): pairs of positions, in the old order. A target cell's targets, for one."""
    at = [str(k) for k in range(max(len(old), len(new)))]
    return [(m.i, m.j) for m in _match_texts(old, new, at[:len(old)], at[:len(new)])]


def _best_assignment(scores: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The one-to-one pairs of maximum total score, among the given pairs only."""
    if not scores:
        return []
    # imported here, not with the module: scipy.optimize takes ~0.4 s to import, and every
    # build and command imports this module, while only a diff with unpaired measures needs it
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rows = sorted({i for i, _ in scores})
    cols = sorted({j for _, j in scores})
    at_row = {r: k for k, r in enumerate(rows)}
    at_col = {c: k for k, c in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)))     # 0: not a candidate (every candidate is > 0)
    for (i, j), s in scores.items():
        matrix[at_row[i], at_col[j]] = s
    r, c = linear_sum_assignment(matrix, maximize=True)
    return [(rows[a], cols[b]) for a, b in zip(r, c, strict=True) if (rows[a], cols[b]) in scores]


def _rivals(pairs: list[tuple[int, int]], scores: dict[tuple[int, int], float]
            ) -> dict[tuple[int, int], tuple[tuple[int, ...], tuple[int, ...]]]:
    """For each pair (i, j), the other old measures j could as well be, and the other new
    measures i could as well be: an unpaired one scoring within the margin, or a paired one
    whose swap costs less than the margin in total."""
    by_old: dict[int, list[tuple[int, float]]] = defaultdict(list)
    by_new: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (i, j), s in scores.items():
        by_old[i].append((j, s))
        by_new[j].append((i, s))
    partner_of_old = dict(pairs)
    partner_of_new = {j: i for i, j in pairs}
    out: dict[tuple[int, int], tuple[tuple[int, ...], tuple[int, ...]]] = {}
    for i, j in pairs:
        if (i, j) not in scores:          # a pair nothing else was compared with
            out[i, j] = ((), ())
            continue
        s = scores[i, j]
        new_rivals = []
        for j2, s2 in by_old[i]:
            if j2 == j:
                continue
            i2 = partner_of_new.get(j2)
            if i2 is None:
                if s2 >= s - AMBIGUITY_MARGIN:
                    new_rivals.append(j2)
            elif (i2, j) in scores and s2 + scores[i2, j] >= s + scores[i2, j2] - AMBIGUITY_MARGIN:
                new_rivals.append(j2)
        old_rivals = []
        for i2, s2 in by_new[j]:
            if i2 == i:
                continue
            partner = partner_of_old.get(i2)
            if partner is None:
                if s2 >= s - AMBIGUITY_MARGIN:
                    old_rivals.append(i2)
            elif (i, partner) in scores and \
                    s2 + scores[i, partner] >= s + scores[i2, partner] - AMBIGUITY_MARGIN:
                old_rivals.append(i2)
        out[i, j] = (tuple(sorted(old_rivals)), tuple(sorted(new_rivals)))
    return out


# -- measures, strategies, clauses --------------------------------------------------------------------

def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _context(o: MeasureView, n: MeasureView) -> float:
    """How alike two measures are around their texts: targets, agencies, strategy (0 … 1)."""
    return (ratio(comparable("\n".join(o.targets)), comparable("\n".join(n.targets)))
            + _jaccard(o.agencies, n.agencies)
            + ratio(comparable(o.strategy.text), comparable(n.strategy.text))) / 3


def align(old: DocumentView, new: DocumentView) -> Alignment:
    om, nm = old.measures, new.measures
    matches = _match_texts([comparable(m.text) for m in om], [comparable(m.text) for m in nm],
                           [m.key for m in om], [m.key for m in nm],
                           context=lambda i, j: _context(om[i], nm[j]), anchor=True)
    pairs = [Pair(om[m.i], nm[m.j], m.similarity, m.how,
                  tuple(om[k].key for k in m.old_rivals), tuple(nm[k].key for k in m.new_rivals))
             for m in matches]
    paired_old = {p.old.key for p in pairs}
    paired_new = {p.new.key for p in pairs}
    result = Alignment(pairs, [m for m in om if m.key not in paired_old],
                       [m for m in nm if m.key not in paired_new])
    _align_strategies(result, old.strategies, new.strategies)
    oc, nc = old.clauses, new.clauses
    clause_matches = _match_texts([comparable(c.text) for c in oc],
                                  [comparable(c.text) for c in nc],
                                  [c.key for c in oc], [c.key for c in nc])
    result.clauses = [(oc[m.i], nc[m.j]) for m in clause_matches]
    kept_old, kept_new = {m.i for m in clause_matches}, {m.j for m in clause_matches}
    result.removed_clauses = [c for k, c in enumerate(oc) if k not in kept_old]
    result.added_clauses = [c for k, c in enumerate(nc) if k not in kept_new]
    return result


def _align_strategies(result: Alignment, old: Sequence[StrategyView],
                      new: Sequence[StrategyView]) -> None:
    """A strategy is the one that holds most of the same measures (the share of its measures
    paired into it), plus the similarity of its text where that is ≥ MATCH_THRESHOLD: so a
    strategy whose measures were all replaced still pairs by its text."""
    shared: dict[tuple[int, int], int] = defaultdict(int)
    old_at = {m: i for i, s in enumerate(old) for m in s.measures}
    new_at = {m: j for j, s in enumerate(new) for m in s.measures}
    for p in result.pairs:
        shared[old_at[p.old.key], new_at[p.new.key]] += 1
    text_sims: dict[tuple[int, int], float] = {}
    old_text = [comparable(s.text) for s in old]
    new_text = [comparable(s.text) for s in new]
    by_text = defaultdict(list)
    for j, t in enumerate(new_text):
        by_text[t].append(j)
    old_texts = set(old_text)
    for i, s in enumerate(old_text):
        same = by_text.get(s)
        if same:
            for j in same:
                text_sims[i, j] = 1.0
            continue
        for j, t in enumerate(new_text):
            if t in old_texts:
                continue                      # its text has its own strategy on the old side
            r = Similar(t).to(s, MATCH_THRESHOLD)
            if r is not None:
                text_sims[i, j] = r
    scores = {}
    for i, j in set(shared) | set(text_sims):
        share = shared.get((i, j), 0) / max(len(old[i].measures), len(new[j].measures), 1)
        scores[i, j] = share + text_sims.get((i, j), 0.0) + (
            _SAME_KEY_BONUS if old[i].key == new[j].key else 0.0)
    chosen = sorted(_best_assignment(scores))
    result.strategies = [(old[i], new[j]) for i, j in chosen]
    kept_old, kept_new = {i for i, _ in chosen}, {j for _, j in chosen}
    result.removed_strategies = [s for i, s in enumerate(old) if i not in kept_old]
    result.added_strategies = [s for j, s in enumerate(new) if j not in kept_new]
