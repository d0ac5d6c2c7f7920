"""The safety screen's interruption: do the answers given so far already mean an emergency?

The triage engine assesses complete answer sets only, so the required items not reached yet get a
neutral placeholder ("no", nothing ticked, the lowest value), and only the emergency rules whose
evidence the patient actually gave count. The engine stays the one place the rules live.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intake import triage


@dataclass(frozen=True)
class SafetyCheck:
    fired: tuple[str, ...]  # ids of the emergency rules the answers so far fire on their own
    call_911: bool


def _placeholder(item: Any) -> Any:
    if item.kind == "MC":
        return []
    if item.codes:
        return "no" if "no" in item.codes else item.codes[0]
    if item.kind == "TXT":
        return ""
    return item.min_value if item.min_value is not None else 0


def emergency_so_far(answers: Mapping[str, Any]) -> SafetyCheck:
    """Which emergency rules the answers given so far fire, and whether the advice is to call 911."""
    padded = dict(answers)
    for item in triage.ITEMS:
        if item.id not in padded and item.required and triage.applies(item, padded):
            padded[item.id] = _placeholder(item)
    try:
        assessment = triage.assess(padded)
    except triage.InvalidAnswers:
        return SafetyCheck(fired=(), call_911=False)
    fired = tuple(
        hit.id
        for hit in assessment.rules
        if hit.level == triage.Urgency.EMERGENCY and all(e.item_id in answers for e in hit.evidence)
    )
    return SafetyCheck(fired=fired, call_911=bool(fired) and assessment.advice.call_911)
