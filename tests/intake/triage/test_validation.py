"""validate() keeps a valid answer set as it is and lists every problem of an invalid one."""

from __future__ import annotations

import pytest

from intake.triage import InvalidAnswers, Problem, ProblemKind, validate
from tests.intake.triage.answer_sets import MINOR_INJURY, ROUTINE, answers


def structured_problems_of(raw) -> tuple[Problem, ...]:
    with pytest.raises(InvalidAnswers) as caught:
        validate(raw)
    return caught.value.problems


def problems_of(raw) -> list[str]:
    """The problems' messages, in plain words."""
    return [problem.message for problem in structured_problems_of(raw)]


def test_a_valid_answer_set_comes_back_unchanged():
    raw = answers(MINOR_INJURY, A04H=170, A04W=70, C20=4, H01="Since May", D04="yes")
    assert validate(raw) == raw


def test_validate_is_idempotent():
    clean = validate(answers(C09=["burning", "sharp"]))
    assert validate(clean) == clean


def test_multiple_choice_answers_are_stored_in_catalogue_order():
    assert validate(answers(C09=["burning", "sharp"]))["C09"] == ["sharp", "burning"]


def test_an_unknown_code_names_the_allowed_codes():
    assert problems_of(answers(S01="maybe")) == ["S01: 'maybe' is not one of yes, no, unsure"]


def test_an_unknown_item_id_is_an_error():
    assert problems_of(answers(Z99="yes")) == [
        "Z99: not a question in this questionnaire (version 2026.12-1)"
    ]


def test_every_problem_is_listed_at_once_in_questionnaire_order():
    raw = answers(S01="maybe", A01=130, Z99="yes", B02=None, C09=["sharp", "itchy"], C20="5")
    assert problems_of(raw) == [
        "Z99: not a question in this questionnaire (version 2026.12-1)",
        "S01: 'maybe' is not one of yes, no, unsure",
        "A01: 130 is out of range (1 to 120)",
        "B02: an answer is required",
        "C09: 'itchy' is not one of sharp, throbbing, dull, deep_bruise, burning, tingling, "
        "numbness, shooting",
        'C20: expected a whole number, got "5"',
    ]


@pytest.mark.parametrize("missing", ["S01", "S09", "A01", "A03", "B01", "B02", "B03", "B04"])
def test_each_required_item_must_be_answered(missing):
    assert problems_of(answers(**{missing: None})) == [f"{missing}: an answer is required"]


def test_optional_items_may_be_left_out():
    assert validate(ROUTINE) == ROUTINE


@pytest.mark.parametrize("follow_up", ["S02a", "S02b", "S02c", "S02d", "S02e"])
def test_injury_follow_ups_are_required_after_an_injury(follow_up):
    raw = answers(MINOR_INJURY, **{follow_up: None})
    if follow_up == "S02d":
        del raw["S02e"]  # S02e is asked only after S02d's answer

    assert problems_of(raw) == [f"{follow_up}: an answer is required"]


def test_s02e_is_required_only_for_an_injury_over_10_days_ago():
    assert problems_of(answers(MINOR_INJURY, S02e=None)) == ["S02e: an answer is required"]
    assert "S02e" not in validate(answers(MINOR_INJURY, S02d="1_10_days", S02e=None))
    assert problems_of(answers(MINOR_INJURY, S02d="lt_24h")) == [
        "S02e: answered, but this question only applies when S02 is yes and S02d is gt_10_days"
    ]


@pytest.mark.parametrize("value", ["yes", "no", "unsure"])
def test_the_new_items_take_yes_no_and_not_sure(value):
    clean = validate(answers(MINOR_INJURY, S02e=value, S07="yes", S07a=[], S07b=value))
    assert (clean["S02e"], clean["S07b"]) == (value, value)


@pytest.mark.parametrize("item_id", ["S02e", "S07b"])
def test_the_new_items_refuse_an_unknown_code(item_id):
    raw = answers(MINOR_INJURY, {"S07": "yes", "S07a": [], "S07b": "no", item_id: "maybe"})
    assert problems_of(raw) == [f"{item_id}: 'maybe' is not one of yes, no, unsure"]


def test_s07b_is_required_after_calf_symptoms_and_refused_without_them():
    assert problems_of(answers(S07="unsure", S07a=[])) == ["S07b: an answer is required"]
    assert problems_of(answers(S07="no", S07b="no")) == [
        "S07b: answered, but this question only applies when S07 is yes or unsure"
    ]


def test_an_optional_follow_up_may_be_left_out():
    assert "D04a" not in validate(answers(D04="yes"))


def test_an_answer_to_an_item_that_does_not_apply_is_an_error():
    assert problems_of(answers(S02a="yes")) == [
        "S02a: answered, but this question only applies when S02 is yes"
    ]


def test_e07_applies_only_to_females_aged_12_to_50():
    assert validate(answers(A02="female", A01=30, E07="no"))["E07"] == "no"
    for odd in ({"A02": "male", "A01": 30}, {"A02": "female", "A01": 51}, {"A02": None}):
        assert problems_of(answers(odd, E07="no")) == [
            "E07: answered, but this question only applies when A02 is female and A01 is 12 to 50"
        ]


def test_an_invalid_controlling_answer_is_reported_once():
    raw = answers(S02="maybe", S02a="yes")
    assert problems_of(raw) == ["S02: 'maybe' is not one of yes, no"]


def test_a_bool_is_not_a_number():
    assert problems_of(answers(A01=True)) == ["A01: expected a whole number, got true"]


@pytest.mark.parametrize("value", ["40", 40.0, None, [40]])
def test_numbers_are_never_coerced(value):
    (problem,) = problems_of({**ROUTINE, "A01": value})
    assert problem.startswith("A01: expected a whole number, got ")


def test_a_yes_no_answer_must_be_a_string_code():
    assert problems_of(answers(S08=True)) == ["S08: expected one of yes, no, got true"]


def test_multiple_choice_needs_a_list_of_known_unique_codes():
    assert problems_of(answers(S04="red")) == [
        'S04: expected a list of codes from red, hot, swollen, got "red"'
    ]
    assert problems_of(answers(S04=["red", "red", 3], S04a="larger_area")) == [
        "S04: 'red' is given more than once",
        "S04: expected a code from red, hot, swollen, got 3",
    ]


def test_free_text_is_limited_to_2000_characters():
    assert validate(answers(H01="x" * 2000))["H01"] == "x" * 2000
    assert problems_of(answers(H01="x" * 2001)) == [
        "H01: the text is 2001 characters long; the limit is 2000"
    ]
    assert problems_of(answers(H02=12)) == ["H02: expected text, got 12"]


def test_pain_scores_run_from_0_to_10():
    assert validate(answers(C21=0, C22=10))["C22"] == 10
    assert problems_of(answers(C21=11)) == ["C21: 11 is out of range (0 to 10)"]


def test_answers_that_are_not_a_mapping_are_refused():
    assert problems_of(["S01", "no"]) == [
        'The answers must be an object of item ids to answers, got ["S01", "no"]'
    ]


def test_invalid_answers_is_an_exception_with_its_problems():
    a = Problem(item_id="A01", kind=ProblemKind.REQUIRED, message="A01: an answer is required")
    b = Problem(item_id=None, kind=ProblemKind.NOT_AN_OBJECT, message="B")
    error = InvalidAnswers([a, b])
    assert isinstance(error, Exception)
    assert error.problems == (a, b)
    assert error.messages == ["A01: an answer is required", "B"]
    assert str(error) == "A01: an answer is required; B"


def test_each_problem_names_its_item_and_kind_beside_its_message():
    raw = answers(
        S04=["red", "red", 3, "blue"], S04a="larger_area", A01=True, C21=11, H01="x" * 2001, Z99="yes"
    )
    del raw["B02"]
    found = {(p.item_id, p.kind) for p in structured_problems_of(raw)}
    assert found == {
        ("Z99", ProblemKind.UNKNOWN_ITEM),
        ("S04", ProblemKind.NOT_A_CHOICE),
        ("S04", ProblemKind.REPEATED),
        ("S04", ProblemKind.WRONG_TYPE),
        ("A01", ProblemKind.WRONG_TYPE),
        ("B02", ProblemKind.REQUIRED),
        ("C21", ProblemKind.OUT_OF_RANGE),
        ("H01", ProblemKind.TOO_LONG),
    }
    for problem in structured_problems_of(raw):
        assert problem.message.startswith(f"{problem.item_id}: ")
        assert str(problem) == problem.message


def test_a_question_answered_where_it_does_not_apply_is_its_own_kind():
    (problem,) = structured_problems_of(answers(S02a="yes"))
    assert (problem.item_id, problem.kind) == ("S02a", ProblemKind.NOT_APPLICABLE)


def test_answers_that_are_not_a_mapping_are_a_problem_of_no_item():
    (problem,) = structured_problems_of(["S01", "no"])
    assert (problem.item_id, problem.kind) == (None, ProblemKind.NOT_AN_OBJECT)


def test_problems_are_frozen():
    (problem,) = structured_problems_of(answers(S01="maybe"))
    assert (problem.item_id, problem.kind) == ("S01", ProblemKind.NOT_A_CHOICE)
    with pytest.raises(AttributeError):
        problem.kind = ProblemKind.REQUIRED


# Answers from an earlier version (intake/triage/carry_forward.py)
def test_a_new_safety_question_never_asked_counts_as_not_sure():
    from intake.triage.carry_forward import carry_forward

    old_calf = answers(S07="yes", S07a=[])  # 2026.11-1 asked no S07b
    carried, filled = carry_forward(old_calf)
    assert filled == ("S07b",) and carried["S07b"] == "unsure"
    assert validate(carried)["S07b"] == "unsure"
    old_injury = answers(MINOR_INJURY, S02e=None)
    carried, filled = carry_forward(old_injury)
    assert filled == ("S02e",) and carried["S02e"] == "unsure"


def test_carry_forward_leaves_complete_answers_and_other_gaps_alone():
    from intake.triage.carry_forward import carry_forward

    assert carry_forward(answers()) == (answers(), ())
    # A missing answer that is not a new yes/no/not-sure safety question stays missing.
    carried, filled = carry_forward(answers(A01=None, S07="unsure", S07a=None))
    assert filled == ("S07b",)
    assert "A01" not in carried and "S07a" not in carried
