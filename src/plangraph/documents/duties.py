"""Duties and powers in the prose clauses of point 陸: who is to act, may act or is given the task.

A clause names a party in one of two ways, and this reader knows both:

- as the subject, before a modal verb: 各機關得自行訂定… (may), 各直轄市、縣(市)政府應依… (shall);
  a comma may stand between them: 行政院以外其他中央機關（構），得參考本方案…;
- after 由 ("by"), which gives the task to the party: 得由法務部召集相關機關視需要檢討修正 (may),
  由院列管 (a task, with no modal verb: the clause assigns it). The party may act together with
  others (會同 X, "jointly with") or convene them (召集 X).

A 由 phrase inside a noun phrase is no assignment: 未選入由院列管…之項目 ("the items not selected for
tracking by the 院") only describes items, so a 由 phrase whose words run into 之 before the next
comma is skipped. Only parties are read here; the other names in a clause stay mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.registry import ContextualName, Registry

SHALL, MAY, ASSIGNED = "Shall", "May", "Assigned"
_MODALS = {"應": SHALL, "得": MAY}
_JOINT = {"會同": "actsWith", "召集": "convenes"}   # 由 X 會同 Y: jointly with Y; 由 X 召集 Y: convenes Y
_SEGMENT_ENDS = "；。"


@dataclass
class Party:
    entity: str                  # registry id
    name: str                    # as written
    # where a contextual name (院) was resolved: the registry entry with its reason and source
    resolution: ContextualName | None = None


@dataclass
class Duty:
    party: Party
    modality: str                # Shall | May | Assigned
    action: str                  # the words of the action, as written
    start: int                   # the duty's span in the clause text
    end: int
    joint: list[tuple[str, Party]] = field(default_factory=list)   # (actsWith | convenes, party)


def duties_of(text: str, registry: Registry) -> list[Duty]:
    """Every duty or power the clause text gives, in the order written."""
    duties: list[Duty] = []
    start = 0
    for end in [i for i, c in enumerate(text) if c in _SEGMENT_ENDS] + [len(text)]:
        if end > start:
            duties += _in_segment(text, start, end, registry)
        start = end + 1
    return duties


def _in_segment(text: str, start: int, end: int, registry: Registry) -> list[Duty]:
    found = [d for d in (_by(text, i, end, registry) for i in range(start, end) if text[i] == "由")
             if d is not None]
    if found:
        return found
    subject = _subject(text, start, end, registry)
    return [subject] if subject is not None else []


def _by(text: str, at: int, end: int, registry: Registry) -> Duty | None:
    """由 X [會同|召集 Y] action: the task given to X."""
    m = registry.party_at(text, at + 1)
    if m is None:
        return None
    party, pos = Party(m[0].id, m[1], m[2]), at + 1 + len(m[1])
    joint = []
    for word, relation in _JOINT.items():
        if text.startswith(word, pos):
            other = registry.party_at(text, pos + len(word))
            if other is not None:
                joint.append((relation, Party(other[0].id, other[1], other[2])))
                pos += len(word) + len(other[1])
            break
    comma = text.find("，", pos, end)
    if "之" in text[pos: comma if comma > pos else end]:
        return None                       # a 由 phrase inside a noun phrase (…由院列管…之項目)
    following = text.find("，由", pos, end)
    stop = following if following >= 0 else end
    modality = _MODALS.get(text[at - 1], ASSIGNED) if at > 0 else ASSIGNED
    return Duty(party, modality, text[pos:stop].strip("，、 "),
                at - 1 if modality != ASSIGNED else at, stop, joint)


def _subject(text: str, start: int, end: int, registry: Registry) -> Duty | None:
    """X[，]得|應 action: the first party that a modal verb follows."""
    pos = start
    while pos < end:
        m = registry.party_at(text, pos)
        if m is None:
            pos += 1
            continue
        after = pos + len(m[1])
        verb = after + 1 if text.startswith("，", after) else after
        if verb < end and text[verb] in _MODALS:
            return Duty(Party(m[0].id, m[1], m[2]), _MODALS[text[verb]],
                        text[verb + 1: end].strip("，、 "), pos, end)
        pos = after
    return None
