"""Facts about a patient that several rules and causes read, defined once as questionnaire.md does.

Every function takes cleaned answers (see validation.py) and returns the ids of the items that make
the fact true, in questionnaire order: an empty tuple means the fact does not hold. Returning ids
rather than a bool lets each rule show the answers behind it.
"""

from __future__ import annotations

from collections.abc import Mapping

Answers = Mapping[str, object]
Ids = tuple[str, ...]

# "Alarming" includes "not sure" wherever an item allows it (questionnaire.md, Principle 3).
ALARMING = frozenset({"yes", "unsure"})
POSTERIOR = frozenset({"insertion", "midportion", "back_bump", "calf"})
PLANTAR = frozenset({"plantar_medial", "plantar_central", "heel_sides"})
POP_SINCE_START = frozenset({"1_4_weeks", "gt_4_weeks"})


def alarming(answers: Answers, item_id: str) -> Ids:
    """The item answered yes, or not sure."""
    return (item_id,) if answers.get(item_id) in ALARMING else ()


def equals(answers: Answers, item_id: str, *codes: str) -> Ids:
    """A single-answer item answered with one of `codes`."""
    return (item_id,) if answers.get(item_id) in codes else ()


def ticked(answers: Answers, item_id: str, *codes: str) -> Ids:
    """A multiple-choice item with any of `codes` ticked, or with anything ticked if none given."""
    value = answers.get(item_id)
    if not value:
        return ()
    if not codes:
        return (item_id,)
    return (item_id,) if any(code in value for code in codes) else ()  # type: ignore[operator]


def age_under(answers: Answers, years: int) -> Ids:
    age = answers.get("A01")
    return ("A01",) if isinstance(age, int) and age < years else ()


def _location(answers: Answers, spots: frozenset[str]) -> Ids:
    return tuple(i for i in ("B02", "B02b") if answers.get(i) in spots)


def posterior(answers: Answers) -> Ids:
    """B02 or B02b at the back of the heel, the tendon or the calf."""
    return _location(answers, POSTERIOR)


def plantar(answers: Answers) -> Ids:
    """B02 or B02b under or around the heel bone."""
    return _location(answers, PLANTAR)


def night_or_constant(answers: Answers) -> Ids:
    """Night pain (C06 sometimes or most nights) or constant pain (C07)."""
    return equals(answers, "C06", "sometimes", "most_nights") + equals(answers, "C07", "yes")


def diabetic(answers: Answers) -> Ids:
    """S03 yes or not sure, or neuropathy ticked in E01."""
    return alarming(answers, "S03") + ticked(answers, "E01", "neuropathy")


def pop_reported(answers: Answers) -> Ids:
    """A pop or snap: in the last 7 days (S01 yes or not sure) or since the pain started (B06)."""
    return alarming(answers, "S01") + equals(answers, "B06", *POP_SINCE_START)


def bmi(answers: Answers) -> float | None:
    """Body mass index from A04H (cm) and A04W (kg), when both are given."""
    height, weight = answers.get("A04H"), answers.get("A04W")
    if not isinstance(height, int) or not isinstance(weight, int) or height <= 0:
        return None
    return weight / (height / 100) ** 2


def high_bmi(answers: Answers) -> Ids:
    """BMI 30 or more in an adult (BMI cut-offs do not apply to children; they need centiles)."""
    value = bmi(answers)
    age = answers.get("A01")
    if value is None or value < 30 or not isinstance(age, int) or age < 18:
        return ()
    return ("A01", "A04H", "A04W")


def fever(answers: Answers) -> Ids:
    """S05 yes or not sure (questionnaire.md, "Fever")."""
    return alarming(answers, "S05")


def immunosuppressed(answers: Answers) -> Ids:
    """Immunity-lowering medicines (F05) or a transplant (E09)."""
    return equals(answers, "F05", "yes") + equals(answers, "E09", "yes")


def rupture_signs(answers: Answers) -> Ids:
    """The signs of a torn tendon the patient can report: a gap (C16 yes or not sure), a weak or
    impossible single-leg tiptoe (C15), bruising at the back of the ankle (C18). Count with len()."""
    return (
        equals(answers, "C15", "weak", "unable")
        + alarming(answers, "C16")
        + equals(answers, "C18", "back_of_ankle")
    )


HIGH_RISK_DIABETIC_FOOT = ("neuropathy", "past_ulcer", "amputation", "kidney", "poor_circulation")


def high_risk_diabetic(answers: Answers) -> Ids:
    """Diabetic with a high-risk foot (NICE NG19): any E01 complication, numb feet (E02) or poor
    circulation (E03)."""
    is_diabetic = diabetic(answers)
    risk = (
        ticked(answers, "E01", *HIGH_RISK_DIABETIC_FOOT)
        + equals(answers, "E02", "yes")
        + equals(answers, "E03", "yes")
    )
    if not is_diabetic or not risk:
        return ()
    return is_diabetic + risk
