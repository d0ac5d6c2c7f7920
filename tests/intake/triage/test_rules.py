"""Each triage rule fires inside its condition and not just outside it (questionnaire.md, Rules)."""

from __future__ import annotations

from intake.triage import Urgency, assess
from tests.intake.triage.answer_sets import MINOR_INJURY, answers


def fired(*updates, **changes) -> tuple[str, ...]:
    return assess(answers(*updates, **changes)).to_dict()["rules"]


def urgency(*updates, **changes) -> Urgency:
    return assess(answers(*updates, **changes)).urgency


# R1
def test_r1_is_all_that_fires_on_the_routine_baseline():
    assessment = assess(answers())
    assert assessment.urgency is Urgency.ROUTINE
    assert assessment.to_dict()["rules"] == ["R1"]


# E0
def test_e0_fires_on_chest_pain_and_says_call_911():
    assessment = assess(answers(S08="yes"))
    assert "E0" in assessment.to_dict()["rules"]
    assert assessment.urgency is Urgency.EMERGENCY
    assert assessment.advice.call_911


def test_e0_does_not_fire_without_chest_symptoms():
    assert "E0" not in fired(S08="no")


# E1
def test_e1_fires_on_unsure_pop_even_when_walking_normally():
    assert "E1" in fired(S01="unsure", C15="easy", C19="normal")
    assert urgency(S01="unsure", C15="easy", C19="normal") is Urgency.EMERGENCY


def test_e1_fires_on_a_pop_whatever_the_tiptoe_check_says():
    assert "E1" in fired(S01="yes", C15="easy")


def test_e1_does_not_fire_without_a_pop_in_the_last_7_days():
    assert "E1" not in fired(S01="no", B06="gt_4_weeks")


def test_e1_is_an_emergency_without_a_call_to_911():
    advice = assess(answers(S01="yes")).advice
    assert not advice.call_911
    assert "emergency department" in advice.headline


# E2
def test_e2_fires_when_unable_to_take_4_steps_now():
    assert "E2" in fired(MINOR_INJURY, S02a="no")


def test_e2_fires_on_an_odd_shape_or_possible_open_fracture():
    assert "E2" in fired(MINOR_INJURY, S02c="yes")


def test_e2_fires_when_unsure_about_walking_after_a_recent_injury():
    assert "E2" in fired(MINOR_INJURY, S02b="unsure", S02d="1_10_days")
    assert "E2" in fired(MINOR_INJURY, S02b="no", S02d="lt_24h")


def test_e2_does_not_fire_for_an_old_injury_walked_on_since():
    assert "E2" not in fired(MINOR_INJURY, S02b="no", S02d="gt_10_days")
    assert "E2" not in fired(MINOR_INJURY)


# E3
def test_e3_fires_on_a_hot_larger_area_in_a_diabetic_foot():
    assert "E3" in fired(S03="yes", S04=["hot"], S04a="larger_area")


def test_e3_counts_unsure_diabetes():
    assert "E3" in fired(S03="unsure", S04=["swollen"], S04a="larger_area")


def test_e3_does_not_fire_on_a_shoe_rub_spot_or_redness_alone():
    assert "E3" not in fired(S03="yes", S04=["hot"], S04a="shoe_rub_spot")
    assert "E3" not in fired(S03="yes", S04=["red"], S04a="larger_area")


def test_e3_does_not_fire_without_diabetes():
    assert "E3" not in fired(S03="no", S04=["hot"], S04a="larger_area")


# E4
def test_e4_fires_on_unsure_fever_with_a_red_foot():
    assert "E4" in fired(S05="unsure", S04=["red"], S04a="shoe_rub_spot")


def test_e4_does_not_fire_on_fever_without_a_red_hot_or_swollen_foot():
    assert "E4" not in fired(S05="yes", S04=[])


def test_e4_fires_on_a_discharging_wound():
    assert "E4" in fired(S06="yes", S06a="unsure")
    assert "E4" not in fired(S06="yes", S06a="no")


def test_e4_fires_on_a_wound_and_fever_in_diabetes():
    assert "E4" in fired(S03="yes", S06="yes", S06a="no", S05="yes")
    assert "E4" not in fired(S03="yes", S06="yes", S06a="no", S05="no")


# E5
def test_e5_fires_on_a_painful_calf_with_a_clot_risk():
    assert "E5" in fired(S07="unsure", S07a=["long_journey"])


def test_e5_does_not_fire_on_a_painful_calf_without_a_risk_factor():
    assert "E5" not in fired(S07="yes", S07a=[])


# E6
def test_e6_fires_on_a_cold_or_numb_foot_and_says_call_911():
    assessment = assess(answers(S09="unsure"))
    assert "E6" in assessment.to_dict()["rules"]
    assert assessment.advice.call_911


def test_e6_does_not_fire_on_a_normal_foot():
    assert "E6" not in fired(S09="no")


# U1
def test_u1_fires_on_a_pop_since_the_start_not_examined():
    assert "U1" in fired(B06="1_4_weeks")
    assert "U1" in fired(B06="gt_4_weeks", B07="no")


def test_u1_does_not_fire_once_a_doctor_examined_the_tendon_or_without_a_pop():
    assert "U1" not in fired(B06="gt_4_weeks", B07="examined_not_torn")
    assert "U1" not in fired(B06="no")


# U2
def test_u2_fires_on_a_recent_fluoroquinolone_with_back_of_heel_pain():
    assessment = assess(answers(F01="lt_1m", B02="midportion"))
    assert "U2" in assessment.to_dict()["rules"]
    assert any("prescribed" in step for step in assessment.advice.what_to_do)
    assert any("Avoid exercise" in step for step in assessment.advice.what_to_do)


def test_u2_counts_a_second_painful_spot_and_an_unsure_antibiotic():
    assert "U2" in fired(F01="now", B02b="insertion")
    assert "U2" in fired(F01="unsure", B02="calf")


def test_u2_does_not_fire_for_an_older_course_or_pain_under_the_heel():
    assert "U2" not in fired(F01="1_6m", B02="midportion")
    assert "U2" not in fired(F01="now", B02="plantar_medial")


# U3
STRESS = {"B02": "heel_sides", "B03": "gradual", "B05": ["more_training"], "C14": "a_lot"}


def test_u3_fires_on_load_related_heel_pain_with_a_painful_squeeze():
    assessment = assess(answers(STRESS))
    assert "U3" in assessment.to_dict()["rules"]
    assert any("no running or jumping" in step for step in assessment.advice.what_to_do)


def test_u3_counts_running_without_a_load_change():
    assert "U3" in fired(STRESS, B05=None, A06=["running"])


def test_u3_does_not_fire_for_a_sudden_start_or_without_a_load_story():
    assert "U3" not in fired(STRESS, B03="sudden")
    assert "U3" not in fired(STRESS, B05=[], A06=["walking"])


def test_u3_does_not_fire_without_a_warning_sign():
    assert "U3" not in fired(STRESS, C14="a_little")


def test_u3_does_not_fire_at_the_back_of_the_heel():
    assert "U3" not in fired(STRESS, B02="insertion")


def test_u3_spares_a_child_with_no_rest_or_night_pain():
    assert "U3" not in fired(STRESS, A01=14, C05="no", C06="no")
    assert "U3" in fired(STRESS, A01=14, C05="sometimes", C06="no")
    assert "U3" in fired(STRESS, A01=16, C05="no", C06="no")


# U4
def test_u4_fires_on_a_hot_larger_area_without_diabetes_or_fever():
    assert "U4" in fired(S04=["swollen"], S04a="larger_area")


def test_u4_does_not_fire_on_a_shoe_rub_spot_or_with_diabetes():
    assert "U4" not in fired(S04=["swollen"], S04a="shoe_rub_spot")
    assert "U4" not in fired(S04=["red"], S04a="larger_area")
    assert fired(S03="yes", S04=["hot"], S04a="larger_area")[0] == "E3"


# U5
def test_u5_fires_on_a_wound_in_diabetes_and_asks_for_1_working_day():
    assessment = assess(answers(S03="yes", S06="yes", S06a="no"))
    assert "U5" in assessment.to_dict()["rules"]
    assert assessment.advice.how_soon == "Within 1 working day"


def test_u5_does_not_fire_without_a_wound_or_with_infection_signs():
    assert "U5" not in fired(S03="yes", S06="no")
    assert "U5" not in fired(S03="yes", S06="yes", S06a="yes")


# U6
def test_u6_fires_on_night_pain_in_a_child():
    assert "U6" in fired(A01=12, C06="sometimes")
    assert "U6" in fired(A01=17, C19="barely")
    assert "U6" in fired(A01=9, S04=["swollen"], S04a="shoe_rub_spot")


def test_u6_does_not_fire_at_18_or_without_red_flags():
    assert "U6" not in fired(A01=18, C06="sometimes")
    assert "U6" not in fired(A01=12, C06="no", C07="no", C19="limping")


def test_u6_still_fires_in_a_child_with_fever():
    # Fever must never lower the level; E4 outranks U6 only when it fires itself.
    assert "U6" in fired(A01=12, C07="yes", S05="yes")


# U7
INJURY_WALKING = {**MINOR_INJURY, "S02d": "1_10_days"}


def test_u7_fires_on_a_recent_injury_with_a_limp_or_bruising():
    assert "U7" in fired(INJURY_WALKING, C19="limping")
    assert "U7" in fired(INJURY_WALKING, C19="normal", C18="sole")


def test_u7_does_not_fire_for_an_old_injury_or_normal_walking():
    assert "U7" not in fired(INJURY_WALKING, S02d="gt_10_days", C19="limping")
    assert "U7" not in fired(INJURY_WALKING, C19="normal", C18="none")


# U8
def test_u8_fires_on_night_pain_with_a_cancer_history_instead_of_s1():
    rules = fired(C06="most_nights", E04="past")
    assert "U8" in rules
    assert "S1" not in rules


def test_u8_fires_on_constant_pain_with_weight_loss():
    assert "U8" in fired(C07="yes", E05="yes")


def test_u8_does_not_fire_without_night_or_constant_pain():
    assert "U8" not in fired(C06="no", C07="no", E04="current")


# U9
def test_u9_fires_on_a_red_painful_eye_and_sends_to_an_eye_doctor():
    assessment = assess(answers(D06="yes"))
    assert "U9" in assessment.to_dict()["rules"]
    assert any("eye doctor today" in step for step in assessment.advice.what_to_do)


def test_u9_does_not_fire_without_eye_symptoms():
    assert "U9" not in fired(D06="no")


# S1
def test_s1_fires_on_night_or_constant_pain():
    assert fired(C06="sometimes") == ["S1"]
    assert fired(C07="yes") == ["S1"]


def test_s1_does_not_fire_without_night_or_constant_pain():
    assert "S1" not in fired(C06="no", C07="no", C05="mostly")


# S2
INFLAMMATORY = {"B01": "both", "D02": "gt_60", "D05": ["psoriasis_self"]}


def test_s2_fires_on_an_inflammatory_pattern_and_flags_rheumatology():
    assessment = assess(answers(INFLAMMATORY))
    assert "S2" in assessment.to_dict()["rules"]
    assert "rheumatology_referral" in {flag.code for flag in assessment.flags}


def test_s2_counts_other_joints_and_pain_better_with_movement():
    assert "S2" in fired(B01="left", D01=["knees"], D03="yes", D09=["as"])


def test_s2_does_not_fire_without_each_part_of_the_pattern():
    assert "S2" not in fired(INFLAMMATORY, B01="left")
    assert "S2" not in fired(INFLAMMATORY, D02="15_30")
    assert "S2" not in fired(INFLAMMATORY, D05=[], D09=["gout"])


# S3
def test_s3_fires_on_burning_pain_without_a_neuropathy_flag_for_one_foot():
    assessment = assess(answers(C09=["burning"], C10="one_foot"))
    assert "S3" in assessment.to_dict()["rules"]
    assert "systemic_neuropathy" not in {flag.code for flag in assessment.flags}


def test_s3_flags_possible_systemic_neuropathy_in_both_feet_or_diabetes():
    both = assess(answers(C09=["tingling"], C10="both_feet"))
    diabetic = assess(answers(C09=["numbness"], S03="yes"))
    assert "systemic_neuropathy" in {flag.code for flag in both.flags}
    assert "systemic_neuropathy" in {flag.code for flag in diabetic.flags}


def test_s3_does_not_fire_on_sharp_or_shooting_pain():
    assert "S3" not in fired(C09=["sharp", "shooting"])


# S4
def test_s4_fires_on_back_of_heel_pain_after_steroids_and_warns_against_explosive_loading():
    assessment = assess(answers(B02="insertion", F02="unsure"))
    assert "S4" in assessment.to_dict()["rules"]
    assert any("explosive" in step for step in assessment.advice.what_to_do)


def test_s4_counts_an_older_fluoroquinolone_or_a_recent_injection():
    assert "S4" in fired(B02="back_bump", F01="1_6m")
    assert "S4" in fired(B02="midportion", F03="lt_6m")


def test_s4_does_not_fire_under_the_heel_for_an_old_injection_or_after_a_pop():
    assert "S4" not in fired(B02="plantar_medial", F02="yes")
    assert "S4" not in fired(B02="insertion", F03="gt_6m")
    assert "S4" not in fired(B02="insertion", F02="yes", B06="1_4_weeks")


# S5
def test_s5_fires_on_severe_or_worsening_pain():
    assert "S5" in fired(C21=8)
    assert "S5" in fired(C19="barely")
    assert "S5" in fired(C08="unsure")


def test_s5_does_not_fire_below_8_or_when_walking_with_a_limp():
    assert "S5" not in fired(C21=7, C19="limping", C08="no")


# S6
def test_s6_fires_on_diabetes_with_numb_feet():
    assert "S6" in fired(S03="yes", E02="yes")
    assert "S6" in fired(S03="unsure", E01=["neuropathy"])


def test_s6_does_not_fire_without_nerve_damage_or_without_diabetes():
    assert "S6" not in fired(S03="yes", E01=["kidney"], E02="no")
    assert "S6" not in fired(S03="no", E02="yes")


# Highest level wins
def test_highest_level_wins_and_every_fired_rule_is_listed_most_urgent_first():
    assessment = assess(answers(S01="yes", D06="yes", C07="yes"))
    assert assessment.urgency is Urgency.EMERGENCY
    assert assessment.to_dict()["rules"] == ["E1", "U9", "S1"]


def test_an_urgent_rule_outranks_a_soon_rule():
    assert urgency(D06="yes", C21=9) is Urgency.URGENT


def test_r1_is_never_listed_next_to_another_rule():
    assert "R1" not in fired(C07="yes")
