"""Triage policy 2026.11-1, frozen: its rules exactly as they were, kept as data.

The current policy lives in rules.py and catalogue.py. This copy exists so that a policy change can
be checked against the one before it (tests/intake/triage/test_policy_change.py: the level under the
new policy is never lower, except where the new policy says so). Nothing in the portal assesses a
patient with it. Its rules read answers through the same primitive readers (alarming, equals,
ticked, age_under); the composite facts are copied here as 2026.11-1 defined them, so that a later
change to facts.py cannot change this copy. Do not edit: a new policy freezes its own copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from intake.triage import catalogue
from intake.triage.engine import fire
from intake.triage.facts import Answers, Ids, age_under, alarming, equals, ticked
from intake.triage.items import Choice, Item
from intake.triage.results import RuleHit, Urgency
from intake.triage.rules import Rule
from intake.triage.validation import Validator

VERSION = "2026.11-1"

# The catalogue of 2026.11-1: today's without the items added since, with the wording of the
# items reworded since (questionnaire.md, "Changes in 2026.12-1").
ADDED_SINCE = ("S02e", "S07b")
_AS_WORDED_THEN: dict[str, Item] = {
    "S07": replace(
        catalogue.ITEMS_BY_ID["S07"],
        question="Is one of your calves swollen, tight, warm or painful to touch?",
    ),
    "S07a": replace(
        catalogue.ITEMS_BY_ID["S07a"],
        choices=(
            Choice("cast_boot_splint", "A cast, boot or splint on the leg"),
            *catalogue.ITEMS_BY_ID["S07a"].choices[1:],
        ),
    ),
}
ITEMS: tuple[Item, ...] = tuple(
    _AS_WORDED_THEN.get(item.id, item) for item in catalogue.ITEMS if item.id not in ADDED_SINCE
)
ITEMS_BY_ID: dict[str, Item] = {item.id: item for item in ITEMS}

POSTERIOR = frozenset({"insertion", "midportion", "back_bump", "calf"})
PLANTAR = frozenset({"plantar_medial", "plantar_central", "heel_sides"})


def _location(answers: Answers, spots: frozenset[str]) -> Ids:
    return tuple(i for i in ("B02", "B02b") if answers.get(i) in spots)


def posterior(answers: Answers) -> Ids:
    return _location(answers, POSTERIOR)


def plantar(answers: Answers) -> Ids:
    return _location(answers, PLANTAR)


def night_or_constant(answers: Answers) -> Ids:
    return equals(answers, "C06", "sometimes", "most_nights") + equals(answers, "C07", "yes")


def diabetic(answers: Answers) -> Ids:
    return alarming(answers, "S03") + ticked(answers, "E01", "neuropathy")


def pop_reported(answers: Answers) -> Ids:
    return alarming(answers, "S01") + equals(answers, "B06", "1_4_weeks", "gt_4_weeks")


def _all(*parts: Ids) -> Ids:
    return tuple(i for part in parts for i in part) if all(parts) else ()


def _first(*parts: Ids) -> Ids:
    return tuple(i for part in parts for i in part)


def _e2(a: Answers) -> Ids:
    if a.get("S02") != "yes":
        return ()
    cannot_walk_since = _all(equals(a, "S02b", "no", "unsure"), equals(a, "S02d", "lt_24h", "1_10_days"))
    return _all(
        ("S02",),
        _first(equals(a, "S02a", "no"), equals(a, "S02c", "yes"), cannot_walk_since),
    )


def _e3(a: Answers) -> Ids:
    return _all(diabetic(a), ticked(a, "S04", "hot", "swollen"), equals(a, "S04a", "larger_area"))


def _e4(a: Answers) -> Ids:
    # "S03=yes and S06=yes and S05=yes": "not sure" counts as yes for S03 and S05.
    return _first(
        _all(alarming(a, "S05"), ticked(a, "S04")),
        alarming(a, "S06a"),
        _all(alarming(a, "S03"), equals(a, "S06", "yes"), alarming(a, "S05")),
    )


def _u1(a: Answers) -> Ids:
    if a.get("B07", "no") != "no":
        return ()  # A doctor has examined the tendon since.
    pop = equals(a, "B06", "1_4_weeks", "gt_4_weeks")
    return pop + equals(a, "B07", "no") if pop else ()


def _u2(a: Answers) -> Ids:
    # F01 allows "not sure"; as an alarming answer it counts as a recent course.
    return _all(equals(a, "F01", "now", "lt_1m", "unsure"), posterior(a))


def _u3(a: Answers) -> Ids:
    # In a child with no rest or night pain this is Sever's disease, not a stress fracture.
    is_child_at_ease = age_under(a, 16) and a.get("C05") == "no" and a.get("C06") == "no"
    if is_child_at_ease or a.get("B03") == "sudden":
        return ()
    return _all(
        plantar(a),
        equals(a, "B03", "days", "gradual"),
        _first(ticked(a, "B05"), ticked(a, "A06", "running", "military")),
        _first(
            equals(a, "C14", "a_lot"),
            equals(a, "C05", "sometimes", "mostly"),
            alarming(a, "C08"),
            equals(a, "C02", "worse"),
            equals(a, "C18", "heel"),
        ),
    )


def _u4(a: Answers) -> Ids:
    if diabetic(a):
        return ()  # E3 takes these answers in a diabetic patient.
    return _all(
        ticked(a, "S04", "hot", "swollen"),
        equals(a, "S04a", "larger_area"),
        equals(a, "S03", "no"),
        equals(a, "S05", "no"),
    )


def _u5(a: Answers) -> Ids:
    # "No infection signs": with them, E4 fires instead (an emergency).
    if alarming(a, "S06a") or alarming(a, "S05"):
        return ()
    return _all(alarming(a, "S03"), equals(a, "S06", "yes"))


def _u6(a: Answers) -> Ids:
    # The spec adds "and S05=no" so that fever escalates instead; but fever without a red, hot or
    # swollen foot escalates nowhere else, and a fever must never lower the level. So U6 fires
    # whatever S05 says, and E4 still wins when it fires too.
    return _all(
        age_under(a, 18),
        _first(night_or_constant(a), equals(a, "C19", "barely"), ticked(a, "S04", "swollen")),
    )


def _u7(a: Answers) -> Ids:
    # "C19=limping": barely walking counts too, being the more alarming answer.
    return _all(
        equals(a, "S02", "yes"),
        equals(a, "S02d", "lt_24h", "1_10_days"),
        equals(a, "S02a", "yes"),
        _first(equals(a, "C19", "limping", "barely"), equals(a, "C18", "heel", "back_of_ankle", "sole")),
    )


def _u8(a: Answers) -> Ids:
    return _all(night_or_constant(a), _first(equals(a, "E04", "current", "past"), equals(a, "E05", "yes")))


def _s1(a: Answers) -> Ids:
    return () if _u8(a) else night_or_constant(a)


def _s2(a: Answers) -> Ids:
    return _all(
        _first(equals(a, "B01", "both"), ticked(a, "D01")),
        _first(equals(a, "D02", "30_60", "gt_60"), equals(a, "D03", "yes")),
        _first(
            equals(a, "D04", "yes"),
            ticked(a, "D05"),
            equals(a, "D07", "yes"),
            equals(a, "D08", "yes"),
            ticked(a, "D09", "psa", "as"),
        ),
    )


def _s4(a: Answers) -> Ids:
    if pop_reported(a):
        return ()  # A pop is E1 or U1's business.
    return _all(
        posterior(a),
        _first(equals(a, "F01", "1_6m"), alarming(a, "F02"), equals(a, "F03", "lt_6m")),
    )


def _s5(a: Answers) -> Ids:
    c21 = a.get("C21")
    return _first(
        ("C21",) if isinstance(c21, int) and c21 >= 8 else (),
        equals(a, "C19", "barely"),
        alarming(a, "C08"),
    )


def _s6(a: Answers) -> Ids:
    return _all(diabetic(a), _first(ticked(a, "E01", "neuropathy"), equals(a, "E02", "yes")))


EMERGENCY, URGENT, SOON = Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON

RULES: tuple[Rule, ...] = (
    Rule(
        "E0",
        EMERGENCY,
        "Chest pain, sudden breathlessness or coughing up blood",
        "Possible pulmonary embolism: call 911.",
        lambda a: equals(a, "S08", "yes"),
        cause="dvt",
    ),
    Rule(
        "E1",
        EMERGENCY,
        "Pop, snap or kicked feeling in the last 7 days",
        "Suspected acute Achilles rupture, whatever the tiptoe check or walking say: needs a "
        "same-day exam; a delay over 24 hours changes treatment.",
        lambda a: alarming(a, "S01"),
        cause="achilles_rupture",
    ),
    Rule(
        "E2",
        EMERGENCY,
        "Injury with inability to bear weight, deformity or possible open wound",
        "Suspected fracture or dislocation (Ottawa weight-bearing criterion).",
        _e2,
        cause="acute_fracture",
    ),
    Rule(
        "E3",
        EMERGENCY,
        "Diabetes with a hot or swollen foot over a larger area",
        "Suspected active Charcot foot or diabetic foot infection, with or without pain.",
        _e3,
        cause="diabetic_foot_emergency",
    ),
    Rule(
        "E4",
        EMERGENCY,
        "Signs of infection",
        "Possible infection (cellulitis, septic bursitis, osteomyelitis).",
        _e4,
        cause="tumour_or_infection",
    ),
    Rule(
        "E5",
        EMERGENCY,
        "Swollen or painful calf with a clot risk factor",
        "Suspected deep vein thrombosis.",
        lambda a: _all(alarming(a, "S07"), ticked(a, "S07a")),
        cause="dvt",
    ),
    Rule(
        "E6",
        EMERGENCY,
        "Cold, pale or numb foot, or cannot lift the foot",
        "Acute loss of blood supply or nerve function: call 911.",
        lambda a: alarming(a, "S09"),
    ),
    Rule(
        "U1",
        URGENT,
        "Pop since the pain started, tendon not examined",
        "Possible missed Achilles rupture.",
        _u1,
        cause="achilles_rupture",
    ),
    Rule(
        "U2",
        URGENT,
        "Recent fluoroquinolone with pain at the back of the heel",
        "Fluoroquinolone tendon-rupture risk: patient told to contact the prescriber and avoid exercise.",
        _u2,
    ),
    Rule(
        "U3",
        URGENT,
        "Load-related heel pain with stress-fracture signs",
        "Suspected calcaneal stress fracture (x-rays are often normal early): patient told to offload.",
        _u3,
        cause="calcaneal_stress_fracture",
    ),
    Rule(
        "U4",
        URGENT,
        "Hot or swollen foot over a larger area, no diabetes, no fever",
        "Possible gout, bursitis or early infection.",
        _u4,
    ),
    Rule(
        "U5",
        URGENT,
        "Diabetes with a wound on the foot, no infection signs",
        "Diabetic foot wound: to be seen within 1 working day.",
        _u5,
    ),
    Rule(
        "U6",
        URGENT,
        "Red flags in a child",
        "Needs imaging to rule out fracture, bone cyst, infection or tumor.",
        _u6,
        cause="tumour_or_infection",
    ),
    Rule(
        "U7",
        URGENT,
        "Recent injury, weight-bearing, with a limp or bruising",
        "Possible fracture after an injury.",
        _u7,
        cause="acute_fracture",
    ),
    Rule(
        "U8",
        URGENT,
        "Night or constant pain with cancer history, weight loss or night sweats",
        "Possible tumor or bone infection.",
        _u8,
        cause="tumour_or_infection",
    ),
    Rule(
        "U9",
        URGENT,
        "Red, painful eye now",
        "Possible uveitis: patient told to see an eye doctor today.",
        lambda a: equals(a, "D06", "yes"),
        cause="inflammatory_enthesitis",
    ),
    Rule("S1", SOON, "Rest or night pain", "Night or constant pain.", _s1),
    Rule(
        "S2",
        SOON,
        "Inflammatory pattern",
        "Inflammatory (spondyloarthritis) pattern: consider rheumatology referral.",
        _s2,
    ),
    Rule(
        "S3",
        SOON,
        "Burning, tingling or numbness",
        "Nerve entrapment or neuropathy.",
        lambda a: ticked(a, "C09", "burning", "tingling", "numbness"),
    ),
    Rule(
        "S4",
        SOON,
        "Back-of-heel pain after tendon-risk medicines or an injection",
        "Tendon-rupture risk from medicines or injection: patient told to avoid explosive loading.",
        _s4,
    ),
    Rule("S5", SOON, "Severe or worsening pain", "Severe or worsening pain.", _s5),
    Rule(
        "S6",
        SOON,
        "Diabetes with nerve damage in the feet",
        "High-risk diabetic foot.",
        _s6,
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

validate = Validator(ITEMS, VERSION)


def rule_hits(answers: Mapping[str, object]) -> tuple[RuleHit, ...]:
    """The 2026.11-1 rules that fire on `answers` (valid under 2026.11-1), most urgent first; R1 if none."""
    hits, _ = fire(validate(answers), RULES)
    return hits


def urgency(answers: Mapping[str, object]) -> Urgency:
    """The level 2026.11-1 gave `answers`."""
    return rule_hits(answers)[0].level
