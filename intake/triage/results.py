"""What an assessment returns: frozen dataclasses that turn into JSON with `to_dict()`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from intake.triage.catalogue import ITEMS_BY_ID


class Urgency(StrEnum):
    """How soon the patient must be seen; `rank` orders them (higher is more urgent)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def highest(cls, levels: Iterable[Urgency]) -> Urgency:
        """The most urgent of `levels` ("highest level wins"); routine when there are none."""
        return max(levels, key=lambda level: _RANK[level], default=cls.ROUTINE)


_RANK = {Urgency.ROUTINE: 0, Urgency.SOON: 1, Urgency.URGENT: 2, Urgency.EMERGENCY: 3}


@dataclass(frozen=True)
class Evidence:
    """One answer behind a rule, a flag or a likely cause, as staff read it."""

    item_id: str
    question: str
    answer_text: str

    def to_dict(self) -> dict[str, str]:
        return {"item_id": self.item_id, "question": self.question, "answer_text": self.answer_text}


# Evidence is immutable and the same answer reads the same every time, so one object per
# (item, answer) is shared. Bounded: only choice and number items are kept (codes and ranges are
# finite; cleaned multiple-choice answers are in catalogue order), never free text.
_EVIDENCE: dict[tuple[str, object], Evidence] = {}


def _one(item_id: str, value: object) -> Evidence:
    key = (item_id, tuple(value) if type(value) is list else value)
    found = _EVIDENCE.get(key)
    if found is None:
        item = ITEMS_BY_ID[item_id]
        found = Evidence(item_id, item.question, item.describe(value))
        if item.kind != "TXT":
            _EVIDENCE[key] = found
    return found


def evidence(answers: Mapping[str, object], item_ids: Iterable[str]) -> tuple[Evidence, ...]:
    """Readable evidence for the answered items among `item_ids`, each once, in the order given."""
    out: dict[str, Evidence] = {}
    for item_id in item_ids:
        if item_id not in out and item_id in answers:
            out[item_id] = _one(item_id, answers[item_id])
    return tuple(out.values())


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired: its id (E1, U3, ...), level, what it means and the answers behind it."""

    id: str
    level: Urgency
    title: str
    reason: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "level": self.level.value,
            "title": self.title,
            "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Flag:
    """A point for the podiatrist's attention that sets no level of its own."""

    code: str
    title: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class LikelyCondition:
    """A likely cause for staff, with its score and the answers for and against it."""

    code: str
    title: str
    score: int | float
    for_: tuple[Evidence, ...]
    against: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "score": self.score,
            "for": [e.to_dict() for e in self.for_],
            "against": [e.to_dict() for e in self.against],
        }


@dataclass(frozen=True)
class Advice:
    """What the patient reads: plain words, never a diagnosis; the podiatrist decides."""

    headline: str
    what_to_do: tuple[str, ...]
    how_soon: str
    call_911: bool
    safety_net: tuple[str, ...]
    safety_net_intro: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "headline": self.headline,
            "what_to_do": list(self.what_to_do),
            "how_soon": self.how_soon,
            "call_911": self.call_911,
            "safety_net_intro": self.safety_net_intro,
            "safety_net": list(self.safety_net),
        }


@dataclass(frozen=True)
class Assessment:
    """The triage outcome of one set of answers under catalogue version `version`."""

    version: str
    urgency: Urgency
    rules: tuple[RuleHit, ...]
    flags: tuple[Flag, ...]
    likely_conditions: tuple[LikelyCondition, ...]
    exam_prompts: tuple[str, ...]
    advice: Advice

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(hit.id for hit in self.rules)

    def to_dict(self) -> dict[str, object]:
        """JSON-serialisable data, as stored with the intake."""
        return {
            "version": self.version,
            "urgency": self.urgency.value,
            "rules": list(self.rule_ids),
            "rule_details": [hit.to_dict() for hit in self.rules],
            "flags": [flag.to_dict() for flag in self.flags],
            "likely_conditions": [c.to_dict() for c in self.likely_conditions],
            "exam_prompts": list(self.exam_prompts),
            "advice": self.advice.to_dict(),
        }
