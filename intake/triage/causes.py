"""Likely causes for staff: each cause scores the answers for and against it with declared weights.

A sign is one answer (or a fact from facts.py) with a weight. Key signs point at the cause on their
own; supporting signs (risk factors such as age or BMI) count only alongside a key sign, so that
every patient aged 30-50 is not listed under Achilles rupture. Negative weights are answers
against. A cause is listed when a key sign holds and its score is positive, or when an emergency or
urgent rule points to it. Ranked by score, ties in declaration order. Staff only: never shown to
the patient.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from intake.triage.catalogue import ITEMS_BY_ID
from intake.triage.facts import (
    Answers,
    Ids,
    diabetic,
    high_bmi,
    night_or_constant,
    pop_reported,
)
from intake.triage.results import LikelyCondition, evidence

TOP_FOR_EXAM = 3


@dataclass(frozen=True)
class Sign:
    """One answer (item_id answered with any of `codes`) or a fact (`test`), with its weight."""

    weight: int
    supporting: bool = False
    item_id: str = ""
    codes: frozenset[str] = frozenset()
    # For a multiple-choice item: any of `codes` ticked.
    multi: bool = False
    test: Callable[[Answers], Ids] | None = None


@dataclass(frozen=True)
class Cause:
    code: str
    title: str
    signs: tuple[Sign, ...]
    exam: str = ""
    # Listed only when a rule points to it (its signs alone would list every diabetic patient).
    rule_only: bool = False


def on(item_id: str, *codes: str, w: int, supporting: bool = False) -> Sign:
    """A sign: `item_id` answered with one of `codes` (any box ticked for an MC item without codes).

    For a yes/no/not-sure item, "yes" includes "not sure", as in the triage rules.
    """
    item = ITEMS_BY_ID[item_id]
    unknown = set(codes) - set(item.codes)
    if unknown:
        raise ValueError(f"{item_id} has no code {sorted(unknown)}")
    wanted = frozenset(codes or item.codes)
    if item.kind == "YNU" and "yes" in wanted:
        wanted |= {"unsure"}
    # Stored as data, not a closure, so scoring is a look-up per sign (assess() runs hot).
    return Sign(w, supporting, item_id=item_id, codes=wanted, multi=item.kind == "MC")


def spot(code: str, w: int, second: int = 1) -> tuple[Sign, Sign]:
    """Signs for a painful spot: where it hurts most (B02) and a second spot (B02b)."""
    return on("B02", code, w=w), on("B02b", code, w=second)


def fact(test: Callable[[Answers], Ids], w: int, supporting: bool = False) -> Sign:
    """A sign from a fact about several answers (facts.py) or a range of a number."""
    return Sign(w, supporting, test=test)


def _age(low: int, high: int) -> Callable[[Answers], Ids]:
    def test(a: Answers) -> Ids:
        age = a.get("A01")
        return ("A01",) if isinstance(age, int) and low <= age <= high else ()

    return test


def _eases_without_load_change(a: Answers) -> Ids:
    return ("C01", "B05") if a.get("C01") == "yes_eases" and not a.get("B05") else ()


LOAD_CHANGE = (
    "new_sport",
    "more_training",
    "return_after_break",
    "harder_surface",
    "marching_standing",
)
NERVE_WORDS = ("burning", "tingling", "numbness")
REST_OR_NIGHT = ("sometimes", "mostly")

CAUSES: tuple[Cause, ...] = (
    Cause(
        "plantar_fasciitis",
        "Plantar fasciitis",
        (
            *spot("plantar_medial", 3),
            on("C01", "yes_eases", w=3),
            on("C01", "yes_stays", w=1),
            on("C02", "eases", w=1),
            on("C03", "yes", w=1),
            on("A05", "4_8", "gt_8", w=1, supporting=True),
            fact(high_bmi, 1, supporting=True),
            on("B05", w=1, supporting=True),
            on("C09", *NERVE_WORDS, w=-2),
            on("C05", *REST_OR_NIGHT, w=-1),
            fact(night_or_constant, -1),
            on("C11", "yes", w=-1),
        ),
        exam="Plantar fasciitis: windlass test; palpate the medial calcaneal tubercle",
    ),
    Cause(
        "calcaneal_stress_fracture",
        "Calcaneal stress fracture",
        (
            *spot("heel_sides", 3),
            on("B02", "plantar_medial", "plantar_central", w=1),
            on("B03", "gradual", "days", w=1, supporting=True),
            on("B05", *LOAD_CHANGE, w=2),
            on("A06", "running", "military", w=1, supporting=True),
            on("C14", "a_lot", w=3),
            on("C14", "a_little", w=1),
            on("C08", "yes", w=1),
            on("C05", *REST_OR_NIGHT, w=1),
            on("C02", "worse", w=2),
            on("E06", "yes", w=2, supporting=True),
            on("E07", "yes", w=1, supporting=True),
            on("E08", "yes", w=1, supporting=True),
            fact(_eases_without_load_change, -2),
        ),
        exam="Calcaneal stress fracture: calcaneal squeeze test; hop test; MRI if the x-ray is normal",
    ),
    Cause(
        "heel_pad_syndrome",
        "Heel pad syndrome",
        (
            *spot("plantar_central", 3),
            on("C11", "yes", w=2),
            on("C09", "deep_bruise", w=2),
            fact(_age(61, 120), 1, supporting=True),
            on("F03", "lt_6m", "gt_6m", w=1, supporting=True),
            on("F06", "injection", w=1, supporting=True),
            on("C01", "yes_eases", w=-1),
        ),
    ),
    Cause(
        "nerve_entrapment",
        "Nerve entrapment (tarsal tunnel or Baxter's nerve)",
        (
            *spot("medial_ankle", 3),
            on("B02", "plantar_medial", w=1, supporting=True),
            on("C09", *NERVE_WORDS, "shooting", w=2),
            on("C10", "one_foot", w=2),
            on("C03", "yes", w=1, supporting=True),
            on("C01", "yes_eases", w=-1),
        ),
        exam="Tarsal tunnel: Tinel sign; dorsiflexion-eversion test",
    ),
    Cause(
        "achilles_tendinopathy_midportion",
        "Midportion Achilles tendinopathy",
        (
            *spot("midportion", 4),
            on("C04", "warms_up", w=2),
            on("D02", "lt_15", "15_30", "30_60", "gt_60", w=1, supporting=True),
            on("C17", "tendon_lump", w=2),
            fact(pop_reported, -2),
        ),
    ),
    Cause(
        "achilles_tendinopathy_insertional",
        "Insertional Achilles tendinopathy",
        (
            *spot("insertion", 3),
            on("C13", "yes", w=1, supporting=True),
            on("C12", "yes", w=1, supporting=True),
            on("C17", "bony_bump", w=1),
        ),
    ),
    Cause(
        "retrocalcaneal_bursitis",
        "Retrocalcaneal bursitis",
        (
            *spot("insertion", 2),
            on("C17", "soft_swelling", w=2),
            on("C12", "yes", w=1, supporting=True),
            on("C04", "warms_up", w=1, supporting=True),
        ),
        exam="Retrocalcaneal bursitis: two-finger squeeze test",
    ),
    Cause(
        "haglund_deformity",
        "Haglund's deformity",
        (
            *spot("back_bump", 4),
            on("C12", "yes", w=1, supporting=True),
            on("C17", "bony_bump", w=2),
            on("S04a", "shoe_rub_spot", w=1, supporting=True),
        ),
    ),
    Cause(
        "achilles_rupture",
        "Achilles rupture",
        (
            on("S01", "yes", w=6),
            on("B06", "1_4_weeks", "gt_4_weeks", w=4),
            on("C15", "weak", "unable", w=2),
            on("C16", "yes", w=2),
            on("C18", "back_of_ankle", w=1),
            on("F01", "now", "lt_1m", "1_6m", "unsure", w=1, supporting=True),
            on("F02", "yes", w=1, supporting=True),
            on("F03", "lt_6m", "gt_6m", w=1, supporting=True),
            fact(_age(30, 50), 1, supporting=True),
        ),
        exam="Achilles rupture: Thompson test; palpate for a gap; resting angle (prone, knees "
        "flexed); push-off strength",
    ),
    Cause(
        "severs_disease",
        "Sever's disease (calcaneal apophysitis)",
        (
            fact(_age(8, 15), 3),
            on(
                "A06",
                "running",
                "soccer",
                "basketball",
                "racket",
                "gymnastics_dance",
                w=1,
                supporting=True,
            ),
            on("B01", "both", w=1, supporting=True),
            on("C14", "a_lot", "a_little", w=1, supporting=True),
            on("C19", "limping", w=1, supporting=True),
            # Night pain or fever in a child escalate (U6, E4) rather than suggest Sever's.
            on("C06", "sometimes", "most_nights", w=-4),
            on("S05", "yes", w=-4),
        ),
    ),
    Cause(
        "inflammatory_enthesitis",
        "Inflammatory enthesitis (spondyloarthritis)",
        (
            on("B01", "both", w=1, supporting=True),
            on("D01", w=2),
            on("D02", "30_60", "gt_60", w=2),
            on("D03", "yes", w=1, supporting=True),
            on("D04", "yes", w=2),
            on("D05", w=2),
            on("D06", "yes", w=2),
            on("D07", "yes", w=2),
            on("D08", "yes", w=2),
            on("D09", "psa", "as", w=3),
            on("B05", *LOAD_CHANGE, w=-1),
        ),
    ),
    Cause(
        "tumour_or_infection",
        "Tumor or infection",
        (
            on("C06", "sometimes", "most_nights", w=2, supporting=True),
            on("C07", "yes", w=1, supporting=True),
            on("E04", "current", w=3),
            on("E04", "past", w=2),
            on("E05", "yes", w=2),
            on("S05", "yes", w=3),
            on("S06a", "yes", w=3),
        ),
    ),
    Cause(
        "diabetic_foot_emergency",
        "Diabetic foot emergency (active Charcot foot or infection)",
        (
            fact(diabetic, 2),
            on("S04", "hot", "swollen", w=2),
            on("S04a", "larger_area", w=2),
            on("S06a", "yes", w=1),
        ),
        exam="Diabetic foot: compare foot temperatures; 10 g monofilament; foot pulses",
        rule_only=True,
    ),
    Cause(
        "dvt",
        "Deep vein thrombosis",
        (
            on("S07", "yes", w=3),
            on("S07a", w=3),
            on("S07b", "yes", w=3),
            on("S08", "yes", w=3),
            *spot("calf", 1),
        ),
        exam="Deep vein thrombosis: Wells score; calf swelling and tenderness",
        rule_only=True,
    ),
    Cause(
        "acute_fracture",
        "Acute fracture or dislocation",
        (
            on("S02", "yes", w=1),
            on("S02a", "no", w=3),
            on("S02b", "no", "unsure", w=2),
            on("S02c", "yes", w=3),
            on("S02d", "lt_24h", "1_10_days", w=1),
            on("C19", "limping", "barely", w=1),
            on("C18", "heel", "back_of_ankle", "sole", w=1),
        ),
        exam="Fracture: Ottawa ankle and foot rules; palpate the bony landmarks",
        rule_only=True,
    ),
)

CAUSES_BY_CODE: dict[str, Cause] = {cause.code: cause for cause in CAUSES}
_INDEX: dict[str, int] = {cause.code: index for index, cause in enumerate(CAUSES)}
DIABETES_EXAM = CAUSES_BY_CODE["diabetic_foot_emergency"].exam


# (cause index, sign position, codes, weight, supporting) of a sign that reads one item's answer.
_ItemSign = tuple[int, int, frozenset[str], int, bool]
# (cause index, sign position, test, weight, supporting) of a sign that tests a fact.
_FactSign = tuple[int, int, Callable[[Answers], Ids], int, bool]
# (sign position, item ids behind it, weight, supporting) of a sign that holds.
_Match = tuple[int, Ids, int, bool]


def _index_signs() -> tuple[tuple[tuple[str, bool, tuple[_ItemSign, ...]], ...], tuple[_FactSign, ...]]:
    """The signs grouped by the item they read, and the fact signs; each keeps its place."""
    by_item: dict[str, list[_ItemSign]] = {}
    facts: list[_FactSign] = []
    for index, cause in enumerate(CAUSES):
        for position, sign in enumerate(cause.signs):
            if sign.test is None:
                entry = (index, position, sign.codes, sign.weight, sign.supporting)
                by_item.setdefault(sign.item_id, []).append(entry)
            else:
                facts.append((index, position, sign.test, sign.weight, sign.supporting))
    grouped = tuple(
        (item_id, ITEMS_BY_ID[item_id].kind == "MC", tuple(entries)) for item_id, entries in by_item.items()
    )
    return grouped, tuple(facts)


# rank() runs on every assess(): each answer is read once, not once per cause that mentions it.
_SIGNS_BY_ITEM, _FACT_SIGNS = _index_signs()


def _matches(answers: Answers) -> dict[int, list[_Match]]:
    """Per cause index, the signs that hold: (position, item ids, weight, supporting)."""
    found: dict[int, list[_Match]] = {}
    get = answers.get
    for item_id, multi, entries in _SIGNS_BY_ITEM:
        value = get(item_id)
        if value is None:
            continue
        for index, position, codes, weight, supporting in entries:
            if (not codes.isdisjoint(value)) if multi else value in codes:  # type: ignore[arg-type]  # a list when multi
                found.setdefault(index, []).append((position, (item_id,), weight, supporting))
    for index, position, test, weight, supporting in _FACT_SIGNS:
        ids = test(answers)
        if ids:
            found.setdefault(index, []).append((position, ids, weight, supporting))
    return found


def _score(matched: list[_Match]) -> tuple[int, Ids, Ids, bool]:
    """Score, ids for (key signs, then supporting), ids against, and whether a key sign holds."""
    matched.sort()  # by position: declaration order, for the evidence
    key = support = 0
    key_ids: list[str] = []
    support_ids: list[str] = []
    against: list[str] = []
    for _, ids, weight, supporting in matched:
        if weight < 0:
            key += weight
            against.extend(ids)
        elif supporting:
            support += weight
            support_ids.extend(ids)
        else:
            key += weight
            key_ids.extend(ids)
    if not key_ids:
        return key, (), tuple(against), False
    return key + support, (*key_ids, *support_ids), tuple(against), True


def rank(answers: Answers, forced: Collection[str]) -> tuple[LikelyCondition, ...]:
    """The likely causes, best first; `forced` are codes a rule points to (always listed)."""
    found = _matches(answers)
    for code in forced:
        found.setdefault(_INDEX[code], [])
    scored = []
    for index, matched in found.items():
        cause = CAUSES[index]
        score, for_ids, against_ids, has_key = _score(matched)
        if cause.code in forced or (has_key and score > 0 and not cause.rule_only):
            scored.append((-score, index, cause, score, for_ids, against_ids))
    scored.sort(key=lambda row: (row[0], row[1]))
    return tuple(
        LikelyCondition(
            cause.code,
            cause.title,
            score,
            evidence(answers, for_ids),
            evidence(answers, against_ids),
        )
        for _, _, cause, score, for_ids, against_ids in scored
    )


def exam_prompts(
    ranked: tuple[LikelyCondition, ...],
    answers: Answers,
    forced: Collection[str],
    rule_exams: tuple[tuple[str, str], ...] = (),
    fired: Collection[str] = (),
) -> tuple[str, ...]:
    """Exam prompts for the top causes and every cause a rule points to, plus diabetes checks,
    then the prompts of the rules that fired (`rule_exams`: rule id, prompt)."""
    prompts: list[str] = []
    for position, condition in enumerate(ranked):
        if position < TOP_FOR_EXAM or condition.code in forced:
            exam = CAUSES_BY_CODE[condition.code].exam
            if exam and exam not in prompts:
                prompts.append(exam)
    if diabetic(answers) and DIABETES_EXAM not in prompts:
        prompts.append(DIABETES_EXAM)
    for rule_id, exam in rule_exams:
        if rule_id in fired and exam not in prompts:
            prompts.append(exam)
    return tuple(prompts)
