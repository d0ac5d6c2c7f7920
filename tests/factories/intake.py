"""factory-boy factories for intakes, with answers the real triage engine assesses. Synthetic data only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from intake import triage
from intake.models import Intake, queue_rank
from intake.triage import Urgency


def routine_answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid answer set for a routine plantar heel pain; `changes` override items."""
    answers: dict[str, Any] = {
        "S01": "no", "S02": "no", "S03": "no", "S04": [], "S05": "no", "S06": "no", "S07": "no",
        "S08": "no", "S09": "no",
        "A01": 45, "A02": "female", "A03": "self", "A05": "4_8", "A06": ["walking"],
        "B01": "left", "B02": "plantar_medial", "B03": "gradual", "B04": "6w_3m", "B05": [], "B06": "no",
        "C01": "yes_eases", "C02": "eases", "C03": "yes", "C04": "no_exercise", "C05": "no", "C06": "no",
        "C07": "no", "C08": "no", "C09": ["sharp"], "C10": "no", "C11": "no", "C12": "no", "C13": "no",
        "C14": "not_tried", "C15": "not_tried", "C16": "no", "C17": [], "C18": "none", "C19": "normal",
        "C20": 3, "C21": 6, "C22": 7,
        "D01": [], "D02": "lt_15", "D03": "no", "D04": "no", "D05": [], "D06": "no", "D07": "no",
        "D08": "no", "D09": [],
        "E02": "no", "E03": "no", "E04": "no", "E05": "no", "E06": "no", "E07": "no", "E08": "no",
        "E09": "no",
        "F01": "no", "F02": "no", "F03": "no", "F04": "no", "F05": "no", "F06": ["stretching"],
        "F07": "Calf stretches in the morning", "H02": "Walk the dog without pain",
    }  # fmt: skip
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


def urgent_answers(**changes: Any) -> dict[str, Any]:
    """Routine answers plus a red eye now (U9: possible uveitis, urgent)."""
    return routine_answers(D06="yes", **changes)


def soon_answers(**changes: Any) -> dict[str, Any]:
    """Routine answers plus pain that sometimes wakes them at night (S1: rest or night pain, soon)."""
    return routine_answers(C06="sometimes", **changes)


def emergency_answers(**changes: Any) -> dict[str, Any]:
    """Routine answers plus a pop at the back of the heel (E1: suspected Achilles rupture)."""
    return routine_answers(S01="yes", B06=None, B07="no", B02="insertion", **changes)


ANSWERS_FOR = {
    Urgency.ROUTINE: routine_answers,
    Urgency.SOON: soon_answers,
    Urgency.URGENT: urgent_answers,
    Urgency.EMERGENCY: emergency_answers,
}


def _assessment(answers: dict[str, Any]) -> dict[str, Any]:
    return triage.assess(triage.validate(answers)).to_dict()


class IntakeFactory(DjangoModelFactory):
    """An intake written directly with the real engine's assessment (`urgency=` picks the answers)."""

    class Meta:
        model = Intake
        exclude = ("level",)

    level = Urgency.ROUTINE
    name = factory.Sequence(lambda n: f"Pat Intake {n}")
    email = factory.Sequence(lambda n: f"intake{n}@mail.example")
    phone = "(248) 555-0142"
    date_of_birth = dt.date(1980, 4, 2)
    consent_to_contact = True
    answers = factory.LazyAttribute(lambda o: ANSWERS_FOR[Urgency(o.level)]())
    assessment = factory.LazyAttribute(lambda o: _assessment(o.answers))
    triage_version = factory.LazyAttribute(lambda o: str(o.assessment["version"]))
    urgency = factory.LazyAttribute(lambda o: o.assessment["urgency"])
    urgency_rank = factory.LazyAttribute(lambda o: queue_rank(o.urgency))
