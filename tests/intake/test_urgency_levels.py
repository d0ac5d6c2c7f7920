"""Urgency is defined once, by the triage engine; the model, the queue and the alerts derive from it."""

from __future__ import annotations

from intake.models import URGENCY_CHOICES, Intake, queue_rank
from intake.notices import ALERT_URGENCIES
from intake.triage import Urgency


def test_the_models_choices_are_the_triage_levels_most_urgent_first_with_their_labels():
    assert URGENCY_CHOICES == [
        ("emergency", "Emergency"), ("urgent", "Urgent"), ("soon", "Soon"), ("routine", "Routine"),
    ]  # fmt: skip
    assert Intake._meta.get_field("urgency").choices == URGENCY_CHOICES


def test_the_queue_rank_stored_on_each_intake_follows_the_triage_rank_most_urgent_first():
    # The values already stored in urgency_rank: a change here would reorder existing rows.
    assert [queue_rank(level) for level in ("emergency", "urgent", "soon", "routine")] == [0, 1, 2, 3]
    assert sorted(Urgency, key=queue_rank) == sorted(Urgency, key=lambda level: level.rank, reverse=True)


def test_the_front_desk_is_alerted_for_urgent_and_emergency_outcomes_only():
    assert {Urgency.EMERGENCY, Urgency.URGENT} == ALERT_URGENCIES
