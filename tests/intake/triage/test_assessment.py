"""What assess() returns beyond the rules: flags, likely causes, exam prompts, advice, to_dict()."""

from __future__ import annotations

import json

import pytest

from intake.triage import VERSION, Assessment, InvalidAnswers, Urgency, assess
from intake.triage.advice import SAFETY_NET
from tests.intake.triage.answer_sets import MINOR_INJURY, answers


def codes(assessment: Assessment) -> list[str]:
    return [condition.code for condition in assessment.likely_conditions]


def flag_codes(assessment: Assessment) -> set[str]:
    return {flag.code for flag in assessment.flags}


def test_assess_refuses_invalid_answers():
    with pytest.raises(InvalidAnswers) as caught:
        assess(answers(S01="maybe"))
    assert caught.value.messages == ["S01: 'maybe' is not one of yes, no, unsure"]


def test_to_dict_is_json_with_the_agreed_keys():
    data = assess(answers(S01="yes")).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert {"version", "urgency", "rules", "rule_details", "likely_conditions", "flags"} <= set(data)
    assert {"exam_prompts", "advice"} <= set(data)
    assert data["version"] == VERSION
    assert data["urgency"] == "emergency"
    detail = data["rule_details"][0]
    assert detail["id"] == "E1" and detail["level"] == "emergency"
    assert detail["evidence"] == [
        {
            "item_id": "S01",
            "question": detail["evidence"][0]["question"],
            "answer_text": "Yes",
        }
    ]
    condition = data["likely_conditions"][0]
    assert set(condition) == {"code", "title", "score", "for", "against"}


def test_urgency_ranks_in_order():
    ranks = [u.rank for u in (Urgency.ROUTINE, Urgency.SOON, Urgency.URGENT, Urgency.EMERGENCY)]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4
    assert Urgency.highest([Urgency.SOON, Urgency.URGENT]) is Urgency.URGENT
    assert Urgency.highest([]) is Urgency.ROUTINE
    assert str(Urgency.URGENT) == "urgent"


# Flags
def test_uncertain_safety_answers_are_flagged_with_the_items():
    assessment = assess(answers(S03="unsure", S05="unsure"))
    (flag,) = [f for f in assessment.flags if f.code == "uncertain_red_flags"]
    assert [e.item_id for e in flag.evidence] == ["S03", "S05"]
    assert [e.answer_text for e in flag.evidence] == ["Not sure", "Not sure"]


def test_no_uncertain_flag_when_every_safety_answer_is_sure():
    assert "uncertain_red_flags" not in flag_codes(assess(answers()))


def test_high_bmi_is_flagged_from_height_and_weight_in_adults():
    assessment = assess(answers(A04H=170, A04W=90))
    (flag,) = [f for f in assessment.flags if f.code == "high_bmi"]
    assert flag.title == "High BMI (31.1)"
    assert "high_bmi" not in flag_codes(assess(answers(A04H=170, A04W=80)))
    assert "high_bmi" not in flag_codes(assess(answers(A04H=170)))
    assert "high_bmi" not in flag_codes(assess(answers(A01=12, A04H=140, A04W=70)))


def test_red_s_risk_needs_a_risk_and_running_or_dance():
    assert "red_s_risk" in flag_codes(assess(answers(E08="yes", A06=["gymnastics_dance"])))
    female = {"A02": "female", "A01": 22, "E07": "yes"}
    assert "red_s_risk" in flag_codes(assess(answers(female, A06=["running"])))
    assert "red_s_risk" not in flag_codes(assess(answers(female, A06=["soccer"])))
    assert "red_s_risk" not in flag_codes(assess(answers(E06="no", A06=["running"])))


@pytest.mark.parametrize("change", [{"F01": "1_6m"}, {"F02": "unsure"}, {"F03": "gt_6m"}, {"E09": "yes"}])
def test_tendon_risk_medicines_are_flagged(change):
    assert "tendon_risk_medicines" in flag_codes(assess(answers(change)))


def test_no_tendon_risk_flag_without_those_medicines():
    assert "tendon_risk_medicines" not in flag_codes(assess(answers(F01="no", F02="no")))


def test_flags_set_no_level_of_their_own():
    assessment = assess(answers(A04H=160, A04W=100, E09="yes"))
    assert assessment.urgency is Urgency.ROUTINE


# Likely causes
def test_the_classic_first_steps_pattern_ranks_plantar_fasciitis_first():
    assessment = assess(answers(C01="yes_eases", C03="yes", A05="gt_8"))
    top = assessment.likely_conditions[0]
    assert top.code == "plantar_fasciitis"
    assert [e.item_id for e in top.for_] == ["B02", "C01", "C03", "A05"]


def test_answers_against_a_cause_are_listed_and_lower_its_score():
    plain = assess(answers(C01="yes_eases")).likely_conditions[0]
    burning = assess(answers(C01="yes_eases", C09=["burning"])).likely_conditions
    fasciitis = next(c for c in burning if c.code == "plantar_fasciitis")
    assert [e.item_id for e in fasciitis.against] == ["C09"]
    assert fasciitis.score == plain.score - 2


def test_a_rule_lists_the_cause_it_points_to_first_with_its_answers():
    top = assess(answers(S01="unsure", C15="weak", A01=40)).likely_conditions[0]
    assert top.code == "achilles_rupture"
    # Key answers first, then the supporting risk factor (age 30-50).
    assert [e.item_id for e in top.for_] == ["S01", "C15", "A01"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"S07": "yes", "S07a": ["surgery"], "S07b": "no"}, "dvt"),
        ({"S07": "yes", "S07a": [], "S07b": "unsure"}, "dvt"),
        ({"S08": "yes"}, "dvt"),
        ({**MINOR_INJURY, "S02a": "no"}, "acute_fracture"),
        ({"S03": "yes", "S04": ["hot"], "S04a": "larger_area"}, "diabetic_foot_emergency"),
        ({"S06": "yes", "S06a": "yes"}, "tumour_or_infection"),
        (
            {"B02": "heel_sides", "B05": ["harder_surface"], "C02": "worse"},
            "calcaneal_stress_fracture",
        ),
        ({"D06": "yes"}, "inflammatory_enthesitis"),
    ],
)
def test_emergency_and_urgent_rules_always_list_their_cause(change, code):
    assert code in codes(assess(answers(change)))


def test_rule_only_causes_are_not_listed_without_their_rule():
    listed = codes(assess(answers(S03="yes", S04=["red"], S04a="shoe_rub_spot", S07="no")))
    assert "diabetic_foot_emergency" not in listed
    assert "dvt" not in codes(assess(answers(B02="calf")))


def test_risk_factors_alone_do_not_list_a_cause():
    # Age 30-50 and steroids support a rupture only alongside a pop, a weak push-off or a gap.
    assert "achilles_rupture" not in codes(assess(answers(A01=40, F02="yes")))


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            {"B02": "midportion", "C04": "warms_up", "C17": ["tendon_lump"]},
            "achilles_tendinopathy_midportion",
        ),
        (
            {"B02": "insertion", "C13": "yes", "C17": ["bony_bump"]},
            "achilles_tendinopathy_insertional",
        ),
        ({"B02": "insertion", "C17": ["soft_swelling"], "C12": "yes"}, "retrocalcaneal_bursitis"),
        ({"B02": "back_bump", "C17": ["bony_bump"], "C12": "yes"}, "haglund_deformity"),
        ({"B02": "plantar_central", "C11": "yes", "C09": ["deep_bruise"]}, "heel_pad_syndrome"),
        ({"B02": "medial_ankle", "C09": ["shooting"], "C10": "one_foot"}, "nerve_entrapment"),
        ({"A01": 11, "B02": "insertion", "A06": ["soccer"], "B01": "both"}, "severs_disease"),
    ],
)
def test_each_typical_pattern_ranks_its_cause_first(change, code):
    assert codes(assess(answers(change)))[0] == code


def test_only_causes_with_a_positive_score_are_listed_without_a_rule():
    for condition in assess(answers(C01="yes_eases")).likely_conditions:
        assert condition.score > 0


def test_severs_disease_is_not_suggested_to_a_child_with_night_pain():
    listed = assess(answers(A01=11, B02="insertion", C06="most_nights")).likely_conditions
    assert "severs_disease" not in [c.code for c in listed]


# Exam prompts
def test_exam_prompts_follow_the_top_causes():
    prompts = assess(answers(S01="yes")).exam_prompts
    assert any("Thompson" in prompt for prompt in prompts)
    assert any("windlass" in p for p in assess(answers(C01="yes_eases")).exam_prompts)


def test_diabetes_adds_the_foot_checks():
    prompts = assess(answers(S03="yes")).exam_prompts
    assert any("monofilament" in prompt for prompt in prompts)
    assert not any("monofilament" in p for p in assess(answers()).exam_prompts)


# Advice
@pytest.mark.parametrize(
    ("change", "how_soon"),
    [
        ({}, "At the next routine appointment that suits you"),
        ({"C07": "yes"}, "Within 7 days"),
        ({"D06": "yes"}, "Within 24 to 48 hours"),
        ({"S01": "yes"}, "Now. Do not wait for an appointment with us."),
    ],
)
def test_advice_says_how_soon_for_each_level(change, how_soon):
    assert assess(answers(change)).advice.how_soon == how_soon


def test_the_safety_net_is_always_shown():
    for change in ({}, {"C07": "yes"}, {"D06": "yes"}, {"S08": "yes"}):
        assert assess(answers(change)).advice.safety_net == SAFETY_NET
    assert len(SAFETY_NET) == 6


def test_advice_says_the_podiatrist_decides():
    for change in ({}, {"C07": "yes"}, {"D06": "yes"}, {"S01": "yes"}):
        assert any(
            "podiatrist will examine you and decide" in s for s in assess(answers(change)).advice.what_to_do
        )


def test_only_e0_and_e6_say_call_911():
    assert assess(answers(S08="yes")).advice.headline == "Call 911 now"
    for change in ({"S01": "yes"}, {"S07": "yes", "S07a": ["surgery"], "S07b": "no"}, {"D06": "yes"}):
        assert not assess(answers(change)).advice.call_911


# Exam prompts for the rules of 2026.12-1
ACUTE_POSTERIOR = {"B02": "midportion", "B03": "sudden", "B04": "lt_1w", "C16": "yes", "C15": "weak"}


@pytest.mark.parametrize(
    ("change", "rule", "words"),
    [
        (ACUTE_POSTERIOR, "E7", ("Thompson test", "gap", "resting angle")),
        ({**ACUTE_POSTERIOR, "B04": "1_2w"}, "U10", ("Thompson test", "gap", "resting angle")),
        ({"S07": "yes", "S07a": [], "S07b": "unsure"}, "U11", ("Wells score",)),
        (
            {"S03": "yes", "S04": ["red"], "S04a": "larger_area"},
            "U12",
            ("compare foot temperatures", "foot pulses"),
        ),
        ({**MINOR_INJURY, "S02b": "no", "S02e": "no"}, "S7", ("request x-rays",)),
    ],
)
def test_the_new_rules_prompt_their_exam_on_the_summary(change, rule, words):
    assessment = assess(answers(change))
    assert rule in assessment.rule_ids
    prompts = " | ".join(assessment.exam_prompts)
    for word in words:
        assert word in prompts, (rule, word, prompts)


def test_no_x_ray_request_once_the_foot_was_x_rayed():
    assessment = assess(answers(MINOR_INJURY, S02b="no", S02e="yes"))
    assert not any("request x-rays" in prompt for prompt in assessment.exam_prompts)
