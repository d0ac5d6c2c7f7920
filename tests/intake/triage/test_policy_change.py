"""Policy 2026.12-1 against 2026.11-1: safety goes down only where the new policy says so.

questionnaire.md, "Changes in 2026.12-1", narrows two things on purpose: U3 (new shoes alone are
not a load change; rest pain counts only when the first steps are not the worst) and the calf rules
(a long journey alone with a calf that is not swollen is U11, urgent, not E5, emergency). Those are
the only answer sets whose level may drop, and each is named below with what it may drop to.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from intake.triage import Urgency, assess
from intake.triage import policy_2026_11_1 as previous
from tests.intake.triage.answer_sets import ROUTINE, answer_sets, repair
from tests.intake.triage.answer_sets import answers as routine_with

# Rule of 2026.11-1 -> the rule of 2026.12-1 that must then hold the level, or None when the new
# level may fall as far as the other 2026.11-1 rules allow.
NARROWED: dict[str, str | None] = {
    "U3": None,  # the narrowed U3 no longer fires: the other rules decide
    "E5": "U11",  # the calf rules as reworded: a journey alone, calf not swollen, is urgent
}

NEW_SHOES_ONLY = routine_with(B02="heel_sides", B05=["new_shoes"], C14="a_lot")
REST_PAIN_FIRST_STEPS_WORST = routine_with(
    B02="plantar_medial", B05=["more_training"], C05="sometimes", C01="yes_eases"
)
JOURNEY_CALF_NOT_SWOLLEN = routine_with(S07="yes", S07a=["long_journey"], S07b="no")


# The items the new and changed rules read; the focused sets vary only these, so that fewer
# unrelated rules fire and the comparison reaches the levels below emergency.
CHANGED_RULES_READ = frozenset(
    [
        "S02",
        "S02a",
        "S02b",
        "S02c",
        "S02d",
        "S02e",
        "S03",
        "S04",
        "S04a",
        "S05",
        "S06",
        "S06a",
        "S07",
        "S07a",
        "S07b",
        "A01",
        "A06",
        "B02",
        "B02b",
        "B03",
        "B04",
        "B05",
        "B06",
        "B07",
        "C01",
        "C02",
        "C05",
        "C06",
        "C08",
        "C14",
        "C15",
        "C16",
        "C18",
        "E01",
        "E02",
        "E03",
        "E09",
        "F01",
        "F02",
        "F03",
        "F05",
    ]
)


@st.composite
def focused_answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid answer set where only the items the changed rules read leave the routine baseline."""
    full = draw(answer_sets(calm=True))
    return repair(draw, {k: v for k, v in full.items() if k in CHANGED_RULES_READ or k in ROUTINE})


def as_2026_11_1(answers: dict[str, Any]) -> dict[str, Any]:
    """The same patient's answers to the 2026.11-1 questionnaire (without the items added since)."""
    return {key: value for key, value in answers.items() if key not in previous.ADDED_SINCE}


def check_never_lower_except_where_narrowed(answers: dict[str, Any]) -> None:
    old_hits = previous.rule_hits(as_2026_11_1(answers))
    old = old_hits[0].level
    new = assess(answers)
    if new.urgency.rank >= old.rank:
        return
    from_alone = [hit.id for hit in old_hits if hit.level is old]
    assert len(from_alone) == 1 and from_alone[0] in NARROWED, (old_hits, new.rule_ids)
    (narrowed,) = from_alone
    assert narrowed not in new.rule_ids, "the narrowed rule still fires: nothing may drop"
    others = Urgency.highest(hit.level for hit in old_hits if hit.id not in (narrowed, "R1"))
    assert new.urgency.rank >= others.rank, (narrowed, others, new.urgency)
    holder = NARROWED[narrowed]
    if holder is not None:
        assert holder in new.rule_ids, (narrowed, new.rule_ids)
        assert new.urgency.rank >= Urgency.URGENT.rank


@settings(max_examples=800, deadline=None)
@given(st.one_of(focused_answer_sets(), answer_sets(calm=True), answer_sets()))
@example(NEW_SHOES_ONLY)
@example(REST_PAIN_FIRST_STEPS_WORST)
@example(JOURNEY_CALF_NOT_SWOLLEN)
def test_the_level_under_2026_12_1_is_never_lower_than_under_2026_11_1_except_where_narrowed(answers):
    check_never_lower_except_where_narrowed(answers)


def test_the_named_exceptions_are_real_drops():
    # So that the exceptions above are not dead letters: each one does lower a level.
    assert previous.urgency(as_2026_11_1(NEW_SHOES_ONLY)) is Urgency.URGENT
    assert assess(NEW_SHOES_ONLY).urgency is Urgency.ROUTINE
    assert previous.urgency(as_2026_11_1(REST_PAIN_FIRST_STEPS_WORST)) is Urgency.URGENT
    assert assess(REST_PAIN_FIRST_STEPS_WORST).urgency is Urgency.ROUTINE
    assert previous.urgency(as_2026_11_1(JOURNEY_CALF_NOT_SWOLLEN)) is Urgency.EMERGENCY
    assert assess(JOURNEY_CALF_NOT_SWOLLEN).rule_ids == ("U11",)


def test_a_drop_from_a_rule_that_was_not_narrowed_fails_the_check(monkeypatch):
    # The check itself can fail: pretend 2026.12-1 had dropped E1.
    import intake.triage.engine as engine

    without_e1 = tuple(rule for rule in engine.RULES if rule.id != "E1")
    monkeypatch.setattr(engine, "RULES", without_e1)
    try:
        check_never_lower_except_where_narrowed(routine_with(S01="yes"))
    except AssertionError:
        return
    raise AssertionError("a drop from E1 passed the check")


def test_the_2026_11_1_rules_are_kept_as_they_were():
    assert previous.VERSION == "2026.11-1"
    assert [rule.id for rule in previous.RULES] == [
        *("E0", "E1", "E2", "E3", "E4", "E5", "E6"),
        *("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"),
        *("S1", "S2", "S3", "S4", "S5", "S6"),
    ]
    assert "S02e" not in previous.ITEMS_BY_ID and "S07b" not in previous.ITEMS_BY_ID
    assert "tight" in previous.ITEMS_BY_ID["S07"].question
    # 2026.11-1 read any calf symptom with any risk factor, a journey too, as E5; and S6 needed
    # nerve damage.
    assert previous.urgency(as_2026_11_1(JOURNEY_CALF_NOT_SWOLLEN)) is Urgency.EMERGENCY
    assert previous.urgency(routine_with(S03="yes", E01=["kidney"])) is Urgency.ROUTINE
