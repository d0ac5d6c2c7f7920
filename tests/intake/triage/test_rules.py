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
    assert "E2" in fired(MINOR_INJURY, S02b="unsure", S02d="1_10_days", S02e=None)
    assert "E2" in fired(MINOR_INJURY, S02b="no", S02d="lt_24h", S02e=None)


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


# E4 (widened in 2026.12-1: fever with any wound, or while immunosuppressed; "not sure" is a fever)
def test_e4_fires_on_unsure_fever_with_a_red_foot():
    assert "E4" in fired(S05="unsure", S04=["red"], S04a="shoe_rub_spot")


def test_e4_does_not_fire_on_fever_without_a_skin_change_a_wound_or_low_immunity():
    assert "E4" not in fired(S05="yes", S04=[], S06="no", F05="no", E09="no")


def test_e4_fires_on_a_discharging_wound():
    assert "E4" in fired(S06="yes", S06a="unsure")
    assert "E4" in fired(S06="yes", S06a="yes")
    assert "E4" not in fired(S06="yes", S06a="no")


def test_e4_fires_on_a_wound_and_fever_in_diabetes():
    assert "E4" in fired(S03="yes", S06="yes", S06a="no", S05="yes")
    assert "E4" not in fired(S03="yes", S06="yes", S06a="no", S05="no")


def test_e4_fires_on_a_puncture_wound_with_fever_without_diabetes():
    # Routine under 2026.11-1.
    assert urgency(S03="no", S06="yes", S06a="no", S05="yes") is Urgency.EMERGENCY
    assert "E4" in fired(S03="no", S06="yes", S06a="no", S05="unsure")
    assert "E4" not in fired(S03="no", S06="yes", S06a="no", S05="no")


def test_e4_fires_on_fever_while_immunosuppressed_without_surface_signs():
    assert "E4" in fired(S05="yes", F05="yes")
    assert "E4" in fired(S05="unsure", E09="yes")
    assert "E4" not in fired(S05="no", F05="yes", E09="yes")
    assert "E4" not in fired(S05="yes", F05="no", E09="no")


# E5 (widened: S07b; a long journey alone needs a calf that may be swollen)
CALF = {"S07": "yes", "S07a": [], "S07b": "no"}


def test_e5_fires_on_a_visibly_swollen_calf_without_a_risk_factor():
    assert "E5" in fired(CALF, S07b="yes")
    assert "E5" in fired(CALF, S07="unsure", S07b="yes")


def test_e5_fires_on_calf_symptoms_with_a_risk_factor_other_than_a_journey():
    for risk in ("cast_boot_splint", "surgery", "bedbound_3_days", "previous_clot", "cancer_treatment"):
        assert "E5" in fired(CALF, S07a=[risk], S07b="no"), risk


def test_e5_counts_a_long_journey_only_with_a_calf_that_may_be_swollen():
    assert "E5" in fired(CALF, S07a=["long_journey"], S07b="yes")
    assert "E5" in fired(CALF, S07a=["long_journey"], S07b="unsure")
    assert "E5" not in fired(CALF, S07a=["long_journey"], S07b="no")


def test_e5_does_not_fire_on_a_calf_not_swollen_without_a_risk_factor():
    assert "E5" not in fired(CALF, S07b="no")
    assert "E5" not in fired(CALF, S07b="unsure")


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
INJURY_WALKING = {**MINOR_INJURY, "S02d": "1_10_days", "S02e": None}


def test_u7_fires_on_a_recent_injury_with_a_limp_or_bruising():
    assert "U7" in fired(INJURY_WALKING, C19="limping")
    assert "U7" in fired(INJURY_WALKING, C19="normal", C18="sole")


def test_u7_does_not_fire_for_an_old_injury_or_normal_walking():
    assert "U7" not in fired(INJURY_WALKING, S02d="gt_10_days", S02e="yes", C19="limping")
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


def test_s4_does_not_fire_under_the_heel_or_for_an_old_injection():
    assert "S4" not in fired(B02="plantar_medial", F02="yes")
    assert "S4" not in fired(B02="insertion", F03="gt_6m")
    assert "S4" not in fired(B02="insertion", F02="no", F01="no", F03="no", E09="no")


def test_s4_keeps_the_medicine_risk_after_a_pop_examined_and_found_not_torn():
    # Dropped under 2026.11-1.
    rules = fired(B02="insertion", F02="yes", B06="gt_4_weeks", B07="examined_not_torn")
    assert rules == ["S4"]
    assert "S4" in fired(B02="insertion", F02="unsure", B06="1_4_weeks")


def test_s4_counts_a_transplant():
    assert "S4" in fired(B02="midportion", E09="yes")
    assert "S4" not in fired(B02="midportion", E09="no")


# S5
def test_s5_fires_on_severe_or_worsening_pain():
    assert "S5" in fired(C21=8)
    assert "S5" in fired(C19="barely")
    assert "S5" in fired(C08="unsure")


def test_s5_does_not_fire_below_8_or_when_walking_with_a_limp():
    assert "S5" not in fired(C21=7, C19="limping", C08="no")


# S6 (widened: high-risk diabetic)
def test_s6_fires_on_diabetes_with_numb_feet():
    assert "S6" in fired(S03="yes", E02="yes")
    assert "S6" in fired(S03="unsure", E01=["neuropathy"])


def test_s6_fires_on_each_high_risk_complication_without_neuropathy():
    # Routine under 2026.11-1.
    for complication in ("past_ulcer", "amputation", "kidney", "poor_circulation"):
        assert fired(S03="yes", E01=[complication], E02="no") == ["S6"], complication
    assert "S6" in fired(S03="unsure", E01=[], E03="yes")


def test_s6_does_not_fire_without_a_high_risk_foot_or_without_diabetes():
    assert "S6" not in fired(S03="yes", E01=[], E02="no", E03="no")
    assert "S6" not in fired(S03="no", E02="yes", E03="yes")


# U3 (narrowed in 2026.12-1)
def test_u3_does_not_count_new_shoes_alone_as_a_load_change():
    assert "U3" not in fired(STRESS, B05=["new_shoes"], A06=[])
    assert "U3" in fired(STRESS, B05=["new_shoes", "harder_surface"])
    assert "U3" in fired(STRESS, B05=["new_shoes"], A06=["military"])


REST_PAIN_ONLY = {**STRESS, "C14": "a_little", "C05": "sometimes"}


def test_u3_counts_rest_pain_only_when_the_first_steps_are_not_the_worst():
    assert "U3" in fired(REST_PAIN_ONLY, C01="no")
    assert "U3" in fired(REST_PAIN_ONLY, C05="mostly")  # C01 not answered
    assert "U3" not in fired(REST_PAIN_ONLY, C01="yes_eases")
    assert "U3" not in fired(REST_PAIN_ONLY, C01="yes_stays")


def test_u3_still_fires_on_its_other_signs_when_the_first_steps_are_the_worst():
    assert "U3" in fired(REST_PAIN_ONLY, C01="yes_eases", C08="unsure")
    assert "U3" in fired(REST_PAIN_ONLY, C01="yes_stays", C02="worse")
    assert "U3" in fired(REST_PAIN_ONLY, C01="yes_eases", C18="heel")


# U5: "not sure" counts as alarming (Principle 3)
DIABETIC_WOUND = {"S03": "yes", "S06": "yes", "S06a": "no", "S05": "no"}


def test_u5_counts_unsure_diabetes():
    assert "U5" in fired(DIABETIC_WOUND, S03="unsure")


def test_u5_gives_way_to_e4_on_an_unsure_fever_or_unsure_discharge():
    for change in ({"S05": "unsure"}, {"S06a": "unsure"}):
        rules = fired(DIABETIC_WOUND, **change)
        assert "U5" not in rules and rules[0] == "E4", change


# U6: "not sure" about fever never lowers a child's level
def test_u6_fires_in_a_child_with_an_unsure_fever():
    assert "U6" in fired(A01=12, C07="yes", S05="unsure")
    assert "U6" in fired(A01=17, C19="barely", S05="unsure")


def test_u6_gives_way_to_e4_with_an_unsure_fever_and_a_swollen_foot():
    assessment = assess(answers(A01=9, S04=["swollen"], S04a="shoe_rub_spot", S05="unsure"))
    assert assessment.urgency is Urgency.EMERGENCY
    assert assessment.rule_ids[:2] == ("E4", "U6")


def test_u6_does_not_fire_at_18_with_an_unsure_fever():
    assert "U6" not in fired(A01=18, C07="yes", S05="unsure")


# E7 (new): sudden back-of-heel pain this week, 2+ rupture signs, no pop remembered
ACUTE_POSTERIOR = {"B02": "midportion", "B03": "sudden", "B04": "lt_1w", "C16": "yes", "C15": "weak"}


def test_e7_fires_on_two_rupture_signs_in_the_first_week_without_a_pop():
    # Routine under 2026.11-1.
    assessment = assess(answers(ACUTE_POSTERIOR, S01="no", B06="no"))
    assert assessment.urgency is Urgency.EMERGENCY
    assert assessment.rule_ids == ("E7",)
    assert [e.item_id for e in assessment.rules[0].evidence] == ["B02", "B03", "B04", "C15", "C16"]


def test_e7_stops_at_one_week_where_u10_takes_over():
    assert "E7" in fired(ACUTE_POSTERIOR, B04="lt_1w")
    rules = fired(ACUTE_POSTERIOR, B04="1_2w")
    assert "E7" not in rules and "U10" in rules
    assert urgency(ACUTE_POSTERIOR, B04="1_2w") is Urgency.URGENT


def test_e7_needs_two_rupture_signs_of_any_kind():
    assert "E7" in fired(ACUTE_POSTERIOR, C16="unsure")
    assert "E7" in fired(ACUTE_POSTERIOR, C16="no", C15="unable", C18="back_of_ankle")
    assert "E7" not in fired(ACUTE_POSTERIOR, C16="no")
    assert "E7" not in fired(ACUTE_POSTERIOR, C15="painful")


def test_e7_needs_a_sudden_start_and_pain_at_the_back():
    assert "E7" not in fired(ACUTE_POSTERIOR, B03="days")
    assert "E7" not in fired(ACUTE_POSTERIOR, B02="plantar_medial")
    assert "E7" in fired(ACUTE_POSTERIOR, B02="plantar_medial", B02b="calf")


def test_e7_does_not_fire_once_a_doctor_examined_the_tendon():
    assert "E7" in fired(ACUTE_POSTERIOR, B06="1_4_weeks", B07="no")
    for examined in ("examined_not_torn", "torn_in_treatment"):
        rules = fired(ACUTE_POSTERIOR, B06="1_4_weeks", B07=examined)
        assert "E7" not in rules and "U10" not in rules, examined


def test_e7_advice_is_e1s_emergency_without_a_call_to_911():
    e7 = assess(answers(ACUTE_POSTERIOR)).advice
    e1 = assess(answers(S01="yes")).advice
    assert e7 == e1
    assert not e7.call_911 and "emergency department" in e7.headline


# U10 (new): sudden back-of-heel pain with a rupture sign, when E7 does not fire
def test_u10_fires_on_one_rupture_sign_after_a_sudden_start():
    # Routine under 2026.11-1.
    assert fired(B02="insertion", B03="sudden", B04="2_6w", C18="back_of_ankle") == ["U10"]
    assert "U10" in fired(B02="calf", B03="sudden", B04="lt_1w", C16="unsure")


def test_u10_does_not_fire_without_a_sign_a_sudden_start_or_pain_at_the_back():
    assert "U10" not in fired(B02="insertion", B03="sudden", C16="no", C15="painful", C18="heel")
    assert "U10" not in fired(B02="insertion", B03="gradual", C16="yes")
    assert "U10" not in fired(B02="lateral", B03="sudden", C16="yes")


def test_u10_is_not_listed_when_e7_fires():
    assert "U10" not in fired(ACUTE_POSTERIOR)


def test_u10_tells_the_patient_not_to_push_off_hard():
    steps = assess(answers(B02="insertion", B03="sudden", C16="yes", B04="2_6w")).advice.what_to_do
    assert any("do not run, jump or push off hard" in step for step in steps)


# U11 (new) and S8 (new): calf symptoms in one leg when E5 does not fire
NOT_RECENT = {"B04": "2_6w", "B02": "plantar_medial"}


def test_u11_fires_on_a_calf_that_may_be_swollen_without_a_risk_factor():
    assessment = assess(answers(CALF, NOT_RECENT, S07b="unsure"))
    assert assessment.rule_ids == ("U11",)
    assert any("If the calf swells, seek same-day care" in s for s in assessment.advice.what_to_do)


def test_s07b_yes_unsure_no_gives_e5_u11_s8():
    assert fired(CALF, NOT_RECENT, S07b="yes") == ["E5"]
    assert fired(CALF, NOT_RECENT, S07b="unsure") == ["U11"]
    assert fired(CALF, NOT_RECENT, S07b="no") == ["S8"]


def test_u11_fires_on_a_long_journey_with_a_calf_that_is_not_swollen():
    # E5 under 2026.11-1: a journey alone with a calf that is not swollen is urgent, not emergency.
    assert fired(CALF, NOT_RECENT, S07a=["long_journey"], S07b="no") == ["U11"]


def test_u11_fires_on_calf_pain_spot_or_symptoms_under_two_weeks():
    assert "U11" in fired(CALF, NOT_RECENT, B02b="calf")
    assert "U11" in fired(CALF, NOT_RECENT, B02="calf")
    assert "U11" in fired(CALF, NOT_RECENT, B04="lt_1w")
    assert "U11" in fired(CALF, NOT_RECENT, B04="1_2w")
    assert "U11" not in fired(CALF, NOT_RECENT, B04="2_6w")


def test_u11_and_s8_do_not_fire_when_e5_does_or_without_calf_symptoms():
    assert "U11" not in fired(CALF, S07a=["surgery"])
    assert "S8" not in fired(CALF, S07a=["surgery"])
    assert not {"E5", "U11", "S8"} & set(fired(S07="no", B02="calf", B04="lt_1w"))


def test_s8_is_soon_with_the_same_day_advice_if_the_calf_swells():
    # Routine under 2026.11-1 (S07 yes without a risk factor).
    assessment = assess(answers(CALF, NOT_RECENT, S07="unsure", S07b="no"))
    assert assessment.urgency is Urgency.SOON
    assert assessment.rule_ids == ("S8",)
    assert any("If the calf swells, seek same-day care" in s for s in assessment.advice.what_to_do)


# U12 (new): spreading redness in a diabetic foot
RED_DIABETIC_FOOT = {"S03": "yes", "E01": ["neuropathy"], "S04": ["red"], "S04a": "larger_area"}


def test_u12_fires_on_a_red_whole_foot_in_a_diabetic_within_1_working_day():
    # Soon (S6) under 2026.11-1.
    assessment = assess(answers(RED_DIABETIC_FOOT))
    assert assessment.urgency is Urgency.URGENT
    assert "U12" in assessment.rule_ids
    assert assessment.advice.how_soon == "Within 1 working day"
    assert any("within one working day" in step for step in assessment.advice.what_to_do)


def test_u12_counts_unsure_diabetes():
    assert "U12" in fired(RED_DIABETIC_FOOT, S03="unsure")


def test_u12_does_not_fire_on_a_shoe_rub_spot_or_without_diabetes():
    assert "U12" not in fired(RED_DIABETIC_FOOT, S04a="shoe_rub_spot")
    assert "U12" not in fired(RED_DIABETIC_FOOT, S03="no", E01=None)


def test_u12_gives_way_to_e3_and_e4():
    hot = fired(RED_DIABETIC_FOOT, S04=["red", "hot"])
    assert hot[0] == "E3" and "U12" not in hot
    feverish = fired(RED_DIABETIC_FOOT, S05="unsure")
    assert feverish[0] == "E4" and "U12" not in feverish


# S7 (new): an injury that stopped weight-bearing over 10 days ago, never x-rayed
OLD_INJURY_NO_STEPS = {**MINOR_INJURY, "S02b": "no"}


def test_s7_fires_when_the_foot_was_never_x_rayed_or_the_patient_is_not_sure():
    # Routine under 2026.11-1.
    assert fired(OLD_INJURY_NO_STEPS, S02e="no") == ["S7"]
    assert fired(OLD_INJURY_NO_STEPS, S02e="unsure") == ["S7"]
    assert "S7" not in fired(OLD_INJURY_NO_STEPS, S02e="yes")


def test_s7_counts_unsure_weight_bearing_after_the_injury():
    assert "S7" in fired(OLD_INJURY_NO_STEPS, S02b="unsure", S02e="no")
    assert "S7" not in fired(OLD_INJURY_NO_STEPS, S02b="yes", S02e="no")


def test_s7_asks_the_podiatrist_for_an_x_ray():
    assessment = assess(answers(OLD_INJURY_NO_STEPS, S02e="unsure"))
    assert assessment.urgency is Urgency.SOON
    assert any("request x-rays" in prompt for prompt in assessment.exam_prompts)
    assert any("x-ray" in step for step in assessment.advice.what_to_do)


# Highest level wins
def test_highest_level_wins_and_every_fired_rule_is_listed_most_urgent_first():
    assessment = assess(answers(S01="yes", D06="yes", C07="yes"))
    assert assessment.urgency is Urgency.EMERGENCY
    assert assessment.to_dict()["rules"] == ["E1", "U9", "S1"]


def test_an_urgent_rule_outranks_a_soon_rule():
    assert urgency(D06="yes", C21=9) is Urgency.URGENT


def test_r1_is_never_listed_next_to_another_rule():
    assert "R1" not in fired(C07="yes")
