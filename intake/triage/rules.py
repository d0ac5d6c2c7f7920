"""The triage rules of questionnaire.md (E0-E7, U1-U12, S1-S8), each a small function with its id.

A rule's test returns the ids of the answers that made it fire, or an empty tuple. R1 (routine) is
what is left when nothing fires; the engine adds it. Where the spec says "alarming", "not sure"
counts as yes (Principle 3); the deliberate readings of the spec are noted at each rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.triage.catalogue import ITEMS_BY_ID
from intake.triage.facts import (
    Answers,
    Ids,
    age_under,
    alarming,
    diabetic,
    equals,
    fever,
    high_risk_diabetic,
    immunosuppressed,
    night_or_constant,
    plantar,
    posterior,
    rupture_signs,
    ticked,
)
from intake.triage.results import Urgency


@dataclass(frozen=True)
class Rule:
    id: str
    level: Urgency
    title: str
    reason: str
    test: Callable[[Answers], Ids]
    # The likely cause this rule points to; listed for staff whatever its score.
    cause: str = ""
    # An exam prompt of the rule's own, for the podiatrist's summary (most come from the cause).
    exam: str = ""


# S07a's clot risk factors other than a long journey, which counts only with a calf that may be
# swollen (E5); B05's load changes other than new shoes, which alone are not one (U3).
STRONG_CLOT_RISKS = tuple(code for code in ITEMS_BY_ID["S07a"].codes if code != "long_journey")
LOAD_CHANGES = tuple(code for code in ITEMS_BY_ID["B05"].codes if code != "new_shoes")


def _all(*parts: Ids) -> Ids:
    """Every part holds: their ids together; else nothing."""
    return tuple(i for part in parts for i in part) if all(parts) else ()


def _first(*parts: Ids) -> Ids:
    """Any part holds: the ids of those that do."""
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
    has_fever = fever(a)
    return _first(
        _all(has_fever, _first(ticked(a, "S04"), equals(a, "S06", "yes"), immunosuppressed(a))),
        alarming(a, "S06a"),
    )


def _e5(a: Answers) -> Ids:
    calf = alarming(a, "S07")
    if not calf:
        return ()
    risk = ticked(a, "S07a", *STRONG_CLOT_RISKS)
    journey = ticked(a, "S07a", "long_journey")
    return _all(
        calf,
        _first(
            equals(a, "S07b", "yes"),
            risk,
            # A long journey alone counts only with a calf that may be swollen.
            _all(journey, equals(a, "S07b", "yes", "unsure")),
        ),
    )


def _e7(a: Answers) -> Ids:
    signs = rupture_signs(a)
    if len(signs) < 2 or a.get("B07", "no") != "no":
        return ()  # B07 other than "no": a doctor has examined the tendon since.
    return _all(posterior(a), equals(a, "B03", "sudden"), equals(a, "B04", "lt_1w"), signs)


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
    # Classic plantar fasciitis often has some rest pain: it counts only when the first steps are
    # not the worst (C01 "no" or not answered).
    first_steps_worst = a.get("C01") in ("yes_eases", "yes_stays")
    return _all(
        plantar(a),
        equals(a, "B03", "days", "gradual"),
        # New shoes alone are not a load change.
        _first(ticked(a, "B05", *LOAD_CHANGES), ticked(a, "A06", "running", "military")),
        _first(
            equals(a, "C14", "a_lot"),
            () if first_steps_worst else equals(a, "C05", "sometimes", "mostly"),
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
    # "No fever": S05 "not sure" is a fever (Principle 3), and with S06a alarming E4 fires instead.
    return _all(diabetic(a), equals(a, "S06", "yes"), equals(a, "S05", "no"), equals(a, "S06a", "no"))


def _u6(a: Answers) -> Ids:
    # Whatever S05 says: with fever and a skin change E4 is higher and wins; a fever alone never
    # lowers the level.
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


def _u10(a: Answers) -> Ids:
    if _e7(a) or a.get("B07", "no") != "no":
        return ()
    return _all(posterior(a), equals(a, "B03", "sudden"), rupture_signs(a))


def _u11(a: Answers) -> Ids:
    calf = alarming(a, "S07")
    if not calf or _e5(a):
        return ()
    return _all(
        calf,
        _first(
            ticked(a, "S07a"),
            equals(a, "S07b", "yes", "unsure"),
            equals(a, "B02", "calf") + equals(a, "B02b", "calf"),
            equals(a, "B04", "lt_1w", "1_2w"),
        ),
    )


def _u12(a: Answers) -> Ids:
    if _e3(a) or _e4(a):
        return ()
    return _all(diabetic(a), ticked(a, "S04"), equals(a, "S04a", "larger_area"))


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
    # Whether or not there was a pop: a pop examined and found not torn keeps the medicine risk.
    return _all(
        posterior(a),
        _first(
            equals(a, "F01", "1_6m"),
            alarming(a, "F02"),
            equals(a, "F03", "lt_6m"),
            equals(a, "E09", "yes"),
        ),
    )


def _s5(a: Answers) -> Ids:
    c21 = a.get("C21")
    return _first(
        ("C21",) if isinstance(c21, int) and c21 >= 8 else (),
        equals(a, "C19", "barely"),
        alarming(a, "C08"),
    )


def _s7(a: Answers) -> Ids:
    # S02e "not sure" counts as never x-rayed (Principle 3).
    return _all(
        equals(a, "S02", "yes"),
        equals(a, "S02b", "no", "unsure"),
        equals(a, "S02d", "gt_10_days"),
        equals(a, "S02e", "no", "unsure"),
    )


def _s8(a: Answers) -> Ids:
    if _e5(a) or _u11(a):
        return ()
    calf = alarming(a, "S07")
    # The answers that kept it below U11, so staff see why: calf not swollen, pain over 2 weeks.
    return calf + ("S07b", "B04") if calf else ()


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
        "Possible infection (cellulitis, septic bursitis, puncture-wound osteomyelitis; deep "
        "infection without surface signs when immunosuppressed).",
        _e4,
        cause="tumour_or_infection",
    ),
    Rule(
        "E5",
        EMERGENCY,
        "Calf symptoms in one leg with a clot risk factor, or the calf itself swollen",
        "Suspected deep vein thrombosis (a risk factor, or the calf itself swollen: Wells counts both).",
        _e5,
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
        "E7",
        EMERGENCY,
        "Sudden back-of-heel pain this week with two or more rupture signs, no pop remembered",
        "Suspected acute Achilles rupture without a remembered pop (AAOS: the diagnosis rests on "
        "exam signs, not on a pop): needs a same-day exam.",
        _e7,
        cause="achilles_rupture",
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
        "Diabetes with a wound on the foot, no fever or infection signs",
        "Diabetic foot wound: to be seen within 1 working day.",
        _u5,
    ),
    Rule(
        "U6",
        URGENT,
        "Red flags in a child",
        "Needs imaging to rule out fracture, bone cyst, infection or tumor (with fever and a skin "
        "change, E4 is higher).",
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
    Rule(
        "U10",
        URGENT,
        "Sudden back-of-heel pain with a rupture sign, no pop remembered",
        "Possible Achilles rupture without a remembered pop.",
        _u10,
        cause="achilles_rupture",
    ),
    Rule(
        "U11",
        URGENT,
        "Calf symptoms in one leg",
        "Calf symptoms in one leg: rule out a clot. Patient told to seek same-day care if the calf swells.",
        _u11,
        cause="dvt",
    ),
    Rule(
        "U12",
        URGENT,
        "Diabetes with redness, heat or swelling over a larger area",
        "Spreading redness in a diabetic foot; neuropathy hides heat and swelling (NICE NG19): to be "
        "seen within 1 working day.",
        _u12,
        cause="diabetic_foot_emergency",
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
        "Back-of-heel pain after tendon-risk medicines, an injection or a transplant",
        "Tendon-rupture risk from medicines, injection or a transplant (a pop already examined keeps "
        "this risk): patient told to avoid explosive loading.",
        _s4,
    ),
    Rule("S5", SOON, "Severe or worsening pain", "Severe or worsening pain.", _s5),
    Rule(
        "S6",
        SOON,
        "High-risk diabetic foot",
        "High-risk diabetic foot: neuropathy, past ulcer, amputation, kidney disease or poor "
        "circulation (NICE NG19).",
        high_risk_diabetic,
    ),
    Rule(
        "S7",
        SOON,
        "Could not bear weight after an injury over 10 days ago, never x-rayed",
        "Could not bear weight after an injury and never x-rayed: a missed calcaneal fracture (Ottawa).",
        _s7,
        exam="Injury never x-rayed: request x-rays of the foot and ankle, with calcaneal views (Ottawa)",
    ),
    Rule(
        "S8",
        SOON,
        "Warm or tender calf, not swollen, no clot risk factor",
        "A warm or tender calf, not swollen, no risk factor, heel pain over 2 weeks: most often the "
        "calf's share of a heel problem. Patient told to seek same-day care if the calf swells.",
        _s8,
        cause="dvt",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
ROUTINE_RULE_ID = "R1"
