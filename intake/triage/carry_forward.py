"""Answers given under an earlier catalogue version, made fit for the current one.

A safety question added since (2026.12-1's S02e and S07b) applies to some old answer sets but was
never asked. Leaving it out would make the answers invalid; guessing "no" would lower the level.
It counts as "not sure", the alarming answer (questionnaire.md, Principle 3), and the ids are
returned so staff see which answers were never given.
"""

from __future__ import annotations

from collections.abc import Mapping

from intake.triage.catalogue import ITEMS, applies


def carry_forward(answers: Mapping[str, object]) -> tuple[dict[str, object], tuple[str, ...]]:
    """`answers` with each required yes/no/not-sure item that applies but is missing set to "not
    sure", and the ids of those items (empty when nothing was missing)."""
    out = dict(answers)
    filled: list[str] = []
    # Catalogue order: a condition reads only earlier items, so each sees what was filled before it.
    for item in ITEMS:
        if item.id in out or not item.required or item.kind != "YNU":
            continue
        if applies(item, out):
            out[item.id] = "unsure"
            filled.append(item.id)
    return out, tuple(filled)
