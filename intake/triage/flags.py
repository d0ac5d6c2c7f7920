"""Flags for the podiatrist's summary: points that need attention but set no level of their own."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from intake.triage.catalogue import ITEMS
from intake.triage.facts import Answers, Ids, alarming, bmi, equals, high_bmi, ticked
from intake.triage.results import Flag, evidence

_RED_FLAG_YNU = tuple(item.id for item in ITEMS if item.red_flag and item.kind == "YNU")


@dataclass(frozen=True)
class FlagSpec:
    code: str
    title: str
    test: Callable[[Answers, Collection[str]], Ids]


def _red_s(a: Answers, fired: Collection[str]) -> Ids:
    # Relative energy deficiency in sport: bone-stress risk in runners and dancers.
    risk = equals(a, "E06", "yes") + equals(a, "E07", "yes") + equals(a, "E08", "yes")
    sport = ticked(a, "A06", "running", "gymnastics_dance")
    return risk + sport if risk and sport else ()


def _tendon_risk_medicines(a: Answers, fired: Collection[str]) -> Ids:
    return (
        equals(a, "F01", "now", "lt_1m", "1_6m", "unsure")
        + alarming(a, "F02")
        + equals(a, "F03", "lt_6m", "gt_6m")
        + equals(a, "E09", "yes")
    )


def _uncertain_red_flags(a: Answers, fired: Collection[str]) -> Ids:
    return tuple(item_id for item_id in _RED_FLAG_YNU if a.get(item_id) == "unsure")


def _rheumatology(a: Answers, fired: Collection[str]) -> Ids:
    return ("B01", "D01", "D02", "D03", "D04", "D05", "D07", "D08", "D09") if "S2" in fired else ()


def _systemic_neuropathy(a: Answers, fired: Collection[str]) -> Ids:
    if "S3" not in fired:
        return ()
    # "S03=yes": "not sure" about diabetes counts as yes, as everywhere else.
    return equals(a, "C10", "both_feet") + alarming(a, "S03")


FLAGS: tuple[FlagSpec, ...] = (
    FlagSpec("uncertain_red_flags", "Uncertain answers to safety questions", _uncertain_red_flags),
    FlagSpec("tendon_risk_medicines", "Tendon-risk medicines or injection", _tendon_risk_medicines),
    FlagSpec("red_s_risk", "RED-S risk (bone health in a runner or dancer)", _red_s),
    FlagSpec("high_bmi", "High BMI", lambda a, fired: high_bmi(a)),
    FlagSpec("rheumatology_referral", "Consider rheumatology referral", _rheumatology),
    FlagSpec("systemic_neuropathy", "Possible systemic neuropathy", _systemic_neuropathy),
)


def flags_for(answers: Answers, fired: Collection[str]) -> tuple[Flag, ...]:
    """The flags that hold for `answers`, given the ids of the rules that fired."""
    out = []
    for spec in FLAGS:
        ids = spec.test(answers, fired)
        if not ids:
            continue
        title = spec.title
        if spec.code == "high_bmi":
            title = f"High BMI ({bmi(answers):.1f})"
        out.append(Flag(spec.code, title, evidence(answers, ids)))
    return tuple(out)
