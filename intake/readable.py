"""Stored answers and assessments as readable questions and answers for staff and patients.

Derived from the catalogue, so a question's wording lives in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intake import triage

# The pre-visit summary's panels: (title, item ids), in the order a podiatrist reads them.
SUMMARY_PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Pain scores (0-10)", ("C20", "C21", "C22")),
    ("Where, onset and duration", ("B01", "B02", "B02b", "B03", "B04", "B06", "B07")),
    ("Injury and calf", ("S02", "S02a", "S02b", "S02c", "S02d", "S02e", "S07", "S07a", "S07b")),
    ("Activity and load changes", ("A05", "A06", "B05", "C04")),
    ("Footwear", ("C11", "C12", "C13")),
    (
        "Medicines and risk factors",
        (
            "S03",
            "E01",
            "E02",
            "E03",
            "E04",
            "E05",
            "E06",
            "E07",
            "E08",
            "E09",
            "F01",
            "F02",
            "F03",
            "F04",
            "F05",
            "D09",
            "A04H",
            "A04W",
        ),
    ),
    ("Treatments tried", ("F06", "F07")),
    ("The patient's goal and notes", ("H02", "H01")),
)


@dataclass(frozen=True)
class Answer:
    item_id: str
    question: str
    text: str


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    answers: list[Answer]
    # How many of the group's questions were answered "no" or "none" and left out (summary only).
    quiet: int = 0


def describe(item_id: str, value: Any) -> str:
    """One answer in plain words (an item no longer in the catalogue shows its raw value)."""
    item = triage.ITEMS_BY_ID.get(item_id)
    if item is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if isinstance(value, list) and not value:
        return "None of these"
    return str(item.describe(value))


def _answer(item_id: str, value: Any) -> Answer:
    item = triage.ITEMS_BY_ID.get(item_id)
    question = item.question if item is not None else item_id
    return Answer(item_id=item_id, question=question, text=describe(item_id, value))


def answers_by_section(answers: Mapping[str, Any]) -> list[AnswerGroup]:
    """Every stored answer as question and answer, grouped by catalogue section, in catalogue order."""
    groups = []
    for section in triage.SECTIONS:
        rows = [
            _answer(item.id, answers[item.id])
            for item in triage.ITEMS
            if item.section == section.code and item.id in answers
        ]
        if rows:
            groups.append(AnswerGroup(title=section.title, answers=rows))
    unknown = [key for key in answers if key not in triage.ITEMS_BY_ID]
    if unknown:
        groups.append(
            AnswerGroup(
                title="Items not in the current catalog",
                answers=[_answer(key, answers[key]) for key in unknown],
            )
        )
    return groups


# Panels where only what is present matters; the "no" answers are counted, not listed.
_QUIET_PANELS = {"Medicines and risk factors", "Footwear"}
_QUIET_VALUES = ("no", [], "not_tried", "none")


def summary_panels(answers: Mapping[str, Any]) -> list[AnswerGroup]:
    """The pre-visit summary's panels with the answers the patient gave (a risk answered "no" is counted)."""
    panels = []
    for title, ids in SUMMARY_PANELS:
        given = [i for i in ids if i in answers]
        shown = given
        if title in _QUIET_PANELS:
            shown = [i for i in given if answers[i] not in _QUIET_VALUES]
        panels.append(
            AnswerGroup(
                title=title,
                answers=[_answer(i, answers[i]) for i in shown],
                quiet=len(given) - len(shown),
            )
        )
    return panels


# The figures a podiatrist reads first, in the summary's header (label, item id).
KEY_FACTS = [
    ("Pain now", "C20"),
    ("Worst in the past week", "C21"),
    ("First steps", "C22"),
    ("For", "B04"),
    ("Foot", "B01"),
]


def key_facts(answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The key scores and facts for the top of the summary, as (label, answer in words)."""
    return [
        (label, describe(item_id, answers[item_id])) for label, item_id in KEY_FACTS if item_id in answers
    ]


def marked_regions(answers: Mapping[str, Any]) -> dict[str, str]:
    """The heel regions marked on the diagram: code to "most" (B02) or "also" (B02b)."""
    marked = {}
    if answers.get("B02b"):
        marked[str(answers["B02b"])] = "also"
    if answers.get("B02"):
        marked[str(answers["B02"])] = "most"
    return marked


def region_labels() -> dict[str, str]:
    """The heel diagram's regions and their labels, from B02's choices."""
    item = triage.ITEMS_BY_ID.get("B02")
    return {choice.code: choice.label for choice in item.choices} if item is not None else {}
