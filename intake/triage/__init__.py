"""The heel-pain triage engine: a pure-Python core (no Django) over the questionnaire catalogue.

clean = validate(answers)      # or InvalidAnswers(problems): each a Problem (item id, kind, message)
assessment = assess(answers)   # validates, then rules, flags, likely causes and advice
"""

from __future__ import annotations

from intake.triage.catalogue import ITEMS, ITEMS_BY_ID, SECTIONS, VERSION, applies, items_in
from intake.triage.engine import assess
from intake.triage.items import Choice, Item, Section
from intake.triage.results import (
    Advice,
    Assessment,
    Evidence,
    Flag,
    LikelyCondition,
    RuleHit,
    Urgency,
)
from intake.triage.validation import InvalidAnswers, Problem, ProblemKind, validate

__all__ = [
    "ITEMS",
    "ITEMS_BY_ID",
    "SECTIONS",
    "VERSION",
    "Advice",
    "Assessment",
    "Choice",
    "Evidence",
    "Flag",
    "InvalidAnswers",
    "Item",
    "LikelyCondition",
    "Problem",
    "ProblemKind",
    "RuleHit",
    "Section",
    "Urgency",
    "applies",
    "assess",
    "items_in",
    "validate",
]
