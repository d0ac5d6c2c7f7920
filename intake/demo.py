"""Synthetic demo intakes for `seed_demo`: one per urgency, so the front desk's queue has something to show.

Everything is invented: reserved 555-01xx numbers and `.example` addresses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from booking.models import Site
from intake.models import Intake
from intake.services import submit_intake

_BASE: dict[str, Any] = {
    "S01": "no", "S02": "no", "S03": "no", "S04": [], "S05": "no", "S06": "no", "S07": "no", "S08": "no",
    "S09": "no",
    "A01": 47, "A02": "female", "A03": "self", "A05": "gt_8", "A06": ["walking"],
    "B01": "left", "B02": "plantar_medial", "B03": "gradual", "B04": "6w_3m", "B05": ["new_shoes"],
    "B06": "no",
    "C01": "yes_eases", "C02": "eases", "C03": "yes", "C04": "no_exercise", "C05": "no", "C06": "no",
    "C07": "no", "C08": "no", "C09": ["sharp"], "C10": "no", "C11": "no", "C12": "no", "C13": "no",
    "C14": "not_tried", "C15": "not_tried", "C16": "no", "C17": [], "C18": "none", "C19": "normal",
    "C20": 3, "C21": 6, "C22": 7,
    "D01": [], "D02": "lt_15", "D03": "no", "D04": "no", "D05": [], "D06": "no", "D07": "no", "D08": "no",
    "D09": [],
    "E02": "no", "E03": "no", "E04": "no", "E05": "no", "E06": "no", "E07": "no", "E08": "no", "E09": "no",
    "F01": "no", "F02": "no", "F03": "no", "F04": "no", "F05": "no", "F06": ["stretching", "insoles"],
    "F07": "Stretching the calf in the morning", "H02": "Walk to work without pain",
}  # fmt: skip

# (name, email local part, site slug or None, changes to the base answers)
DEMO_INTAKES: list[tuple[str, str, str | None, dict[str, Any]]] = [
    ("Morgan Example", "demo.routine", "bloomfield-hills", {}),
    ("Riley Sample", "demo.soon", "howell", {"C06": "sometimes", "C09": ["sharp", "burning"]}),
    ("Jamie Placeholder", "demo.urgent", None, {"F01": "now", "B02": "midportion", "A06": ["running"]}),
    (
        "Alex Fictional",
        "demo.emergency",
        "howell",
        {"S01": "yes", "B06": None, "B07": "no", "B02": "midportion"},
    ),
]


def _answers(changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**_BASE, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def create_demo_intakes() -> list[Intake]:
    """Submit the demo intakes through the real service, once (safe to run again)."""
    created = []
    for name, local_part, site_slug, changes in DEMO_INTAKES:
        email = f"{local_part}@mail.example"
        if Intake.objects.filter(email=email).exists():
            continue
        site = Site.objects.filter(slug=site_slug).first() if site_slug else None
        created.append(
            submit_intake(
                answers=_answers(changes),
                name=name,
                email=email,
                phone="(248) 555-0123",
                date_of_birth=dt.date(1979, 5, 14),
                preferred_site=site,
                consent=True,
            )
        )
    return created
