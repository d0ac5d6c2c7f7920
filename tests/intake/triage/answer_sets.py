"""Answer sets for the triage tests: a minimal routine baseline and a Hypothesis strategy.

The strategy is derived from the catalogue itself (kinds, codes, ranges, conditions), so a new or
changed item is covered without touching the tests.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from intake.triage import ITEMS, applies
from intake.triage.items import Item

# Every required item, answered the unremarkable way: R1 (routine) and nothing else.
ROUTINE: dict[str, Any] = {
    "S01": "no",
    "S02": "no",
    "S03": "no",
    "S04": [],
    "S05": "no",
    "S06": "no",
    "S07": "no",
    "S08": "no",
    "S09": "no",
    "A01": 40,
    "A03": "self",
    "B01": "left",
    "B02": "plantar_medial",
    "B03": "gradual",
    "B04": "6w_3m",
}

# The injury follow-ups answered so that neither E2, U7 nor S7 fires.
MINOR_INJURY: dict[str, Any] = {
    "S02": "yes",
    "S02a": "yes",
    "S02b": "yes",
    "S02c": "no",
    "S02d": "gt_10_days",
    "S02e": "yes",
}


def answers(*updates: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The routine baseline with `updates` and `changes` applied; None removes an item."""
    merged = dict(ROUTINE)
    for update in (*updates, changes):
        merged.update(update)
    return {key: value for key, value in merged.items() if value is not None}


def value_for(item: Item) -> st.SearchStrategy[Any]:
    """Any valid answer to `item`."""
    return _VALUES[item.id]


def _value_strategy(item: Item) -> st.SearchStrategy[Any]:
    if item.kind in ("YN", "YNU", "SC"):
        return st.sampled_from(item.codes)
    if item.kind == "MC":
        return st.lists(st.sampled_from(item.codes), unique=True)
    if item.kind in ("INT", "NRS"):
        return st.integers(min_value=item.min_value, max_value=item.max_value)
    return st.text(max_size=40)


_VALUES = {item.id: _value_strategy(item) for item in ITEMS}


# The unremarkable answer to each safety question: answer_sets(calm=True) gives it 19 times in
# 20, so that sets reach the rules below the safety screen (any answer set is still possible).
CALM_SAFETY: dict[str, Any] = {key: value for key, value in ROUTINE.items() if key.startswith("S")}


@st.composite
def answer_sets(draw: st.DrawFn, calm: bool = False) -> dict[str, Any]:
    """A valid answer set: items in catalogue order where they apply, optional ones sometimes."""
    out: dict[str, Any] = {}
    for item in ITEMS:
        if not applies(item, out):
            continue
        if calm and item.id in CALM_SAFETY and draw(st.integers(0, 19)):
            out[item.id] = CALM_SAFETY[item.id]
        elif item.required or draw(st.booleans()):
            out[item.id] = draw(value_for(item))
    return out


def repair(draw: st.DrawFn, given: dict[str, Any]) -> dict[str, Any]:
    """`given` made valid after an edit: drop what no longer applies, fill newly required items."""
    out: dict[str, Any] = {}
    for item in ITEMS:
        if not applies(item, out):
            continue
        if item.id in given:
            out[item.id] = given[item.id]
        elif item.required:
            out[item.id] = draw(value_for(item))
    return out
