"""The safety screen's interruption decides from the answers given so far, through the real engine."""

from __future__ import annotations

from intake.safety import emergency_so_far

SAFE = {"S01": "no", "S02": "no", "S03": "no"}


def test_a_pop_is_an_emergency_on_its_own():
    check = emergency_so_far({**SAFE, "S01": "unsure"})
    assert check.fired == ("E1",)
    assert check.call_911 is False


def test_chest_pain_says_call_911():
    check = emergency_so_far({**SAFE, "S04": [], "S05": "no", "S06": "no", "S07": "no", "S08": "yes"})
    assert "E0" in check.fired
    assert check.call_911 is True


def test_safe_answers_so_far_do_not_interrupt_and_placeholders_never_count():
    assert emergency_so_far(SAFE).fired == ()
    assert emergency_so_far({}).fired == ()


def test_an_injury_with_no_weight_bearing_interrupts():
    check = emergency_so_far(
        {**SAFE, "S02": "yes", "S02a": "no", "S02b": "no", "S02c": "no", "S02d": "lt_24h"}
    )
    assert check.fired == ("E2",)
