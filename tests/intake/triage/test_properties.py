"""Properties over any valid answer set, generated from the catalogue itself."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.triage import ITEMS_BY_ID, Assessment, Urgency, assess, validate
from intake.triage.causes import CAUSES
from intake.triage.rules import RULES_BY_ID
from tests.intake.triage.answer_sets import answer_sets, repair

# The alarming answers of each safety item ("not sure" counts as alarming where allowed).
ALARMING: dict[str, tuple[Any, ...]] = {
    "S01": ("yes", "unsure"),
    "S02": ("yes",),
    "S02a": ("no",),
    "S02b": ("no", "unsure"),
    "S02c": ("yes",),
    "S02d": ("lt_24h", "1_10_days"),
    "S02e": ("no", "unsure"),
    "S03": ("yes", "unsure"),
    "S04a": ("larger_area",),
    "S05": ("yes", "unsure"),
    "S06": ("yes",),
    "S06a": ("yes", "unsure"),
    "S07": ("yes", "unsure"),
    "S07b": ("yes", "unsure"),
    "S08": ("yes",),
    "S09": ("yes", "unsure"),
}
TICK_MORE = ("S04", "S07a")

# Names and words a patient must never read in the advice (questionnaire.md, Principle 5).
DIAGNOSIS_WORDS = (
    "achilles",
    "fracture",
    "rupture",
    "tear",
    "dvt",
    "thrombosis",
    "clot",
    "embolism",
    "tumour",
    "tumor",
    "cancer",
    "infection",
    "charcot",
    "fasciitis",
    "tendinopathy",
    "tendinitis",
    "bursitis",
    "haglund",
    "sever",
    "enthesitis",
    "neuropathy",
    "uveitis",
    "gout",
    "sepsis",
)


def advice_text(assessment: Assessment) -> str:
    advice = assessment.advice
    return " ".join(
        [
            advice.headline,
            advice.how_soon,
            advice.safety_net_intro,
            *advice.what_to_do,
            *advice.safety_net,
        ]
    ).lower()


@settings(max_examples=200, deadline=None)
@given(answer_sets())
def test_any_valid_answer_set_gets_an_assessment(answers):
    assert validate(answers) == validate(validate(answers))
    assessment = assess(answers)
    assert isinstance(assessment.urgency, Urgency)
    assert assessment.rules, "at least R1"
    assert assessment.urgency is Urgency.highest(hit.level for hit in assessment.rules)
    ids = [hit.id for hit in assessment.rules]
    assert ids == ["R1"] or "R1" not in ids
    assert len(set(ids)) == len(ids)
    for hit in assessment.rules:
        # Every rule shows the answers behind it.
        assert hit.id == "R1" or hit.evidence, hit.id
        assert all(e.item_id in answers for e in hit.evidence)
    data = assessment.to_dict()
    assert json.loads(json.dumps(data)) == data


@settings(max_examples=300, deadline=None)
@given(st.one_of(answer_sets(), answer_sets(calm=True)), st.data())
def test_an_alarming_answer_on_a_safety_item_never_lowers_the_urgency(answers, data):
    before = assess(answers).urgency
    item_id = data.draw(st.sampled_from([*ALARMING, *TICK_MORE]))
    changed = dict(answers)
    if item_id in TICK_MORE:
        changed[item_id] = [
            *answers.get(item_id, []),
            data.draw(st.sampled_from(ITEMS_BY_ID[item_id].codes)),
        ]
        changed[item_id] = list(dict.fromkeys(changed[item_id]))
    else:
        changed[item_id] = data.draw(st.sampled_from(ALARMING[item_id]))
    changed = repair(data.draw, changed)
    after = assess(changed).urgency
    assert after.rank >= before.rank, (item_id, before, after)


@settings(max_examples=200, deadline=None)
@given(answer_sets())
def test_the_patient_advice_never_names_a_condition(answers):
    assessment = assess(answers)
    text = advice_text(assessment)
    for cause in CAUSES:
        assert cause.title.lower() not in text
    for word in DIAGNOSIS_WORDS:
        assert not re.search(rf"\b{word}", text), word


@settings(max_examples=100, deadline=None)
@given(answer_sets())
def test_likely_causes_are_ranked_by_score_then_declaration_order(answers):
    assessment = assess(answers)
    order = {cause.code: n for n, cause in enumerate(CAUSES)}
    keys = [(-c.score, order[c.code]) for c in assessment.likely_conditions]
    assert keys == sorted(keys)
    forced = {
        RULES_BY_ID[hit.id].cause
        for hit in assessment.rules
        if hit.id in RULES_BY_ID and RULES_BY_ID[hit.id].cause and hit.level.rank >= 2
    }
    listed = {c.code for c in assessment.likely_conditions}
    assert forced <= listed
    for condition in assessment.likely_conditions:
        assert condition.score > 0 or condition.code in forced
