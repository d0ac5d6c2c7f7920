"""Check a set of answers against the catalogue and list every problem; never guess or coerce."""

from __future__ import annotations

import json
from collections.abc import Mapping

from intake.triage.catalogue import ITEMS, ITEMS_BY_ID, VERSION
from intake.triage.items import Item


class InvalidAnswers(Exception):
    """The answers do not fit the questionnaire; `problems` lists each one in plain words."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _show(value: object) -> str:
    """The value as the sender wrote it (JSON), so the message points at what was sent."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _is_int(value: object) -> bool:
    # bool is an int subclass in Python; a JSON true is not an age.
    return isinstance(value, int) and not isinstance(value, bool)


def _check(item: Item, value: object) -> tuple[object, list[str]]:
    """The cleaned value of one answer and the problems with it."""
    kind = item.kind
    labels = item.labels
    if kind in ("YN", "YNU", "SC"):
        codes = ", ".join(labels)
        if not isinstance(value, str):
            return None, [f"{item.id}: expected one of {codes}, got {_show(value)}"]
        if value not in labels:
            return None, [f"{item.id}: '{value}' is not one of {codes}"]
        return value, []
    if kind == "MC":
        codes = ", ".join(labels)
        if not isinstance(value, list | tuple):
            return None, [f"{item.id}: expected a list of codes from {codes}, got {_show(value)}"]
        problems = []
        seen: set[str] = set()
        for code in value:
            if not isinstance(code, str):
                problems.append(f"{item.id}: expected a code from {codes}, got {_show(code)}")
            elif code not in labels:
                problems.append(f"{item.id}: '{code}' is not one of {codes}")
            elif code in seen:
                problems.append(f"{item.id}: '{code}' is given more than once")
            else:
                seen.add(code)
        # Catalogue order, so equal answers are stored and shown the same way.
        return [code for code in labels if code in seen], problems
    if kind in ("INT", "NRS"):
        if not _is_int(value):
            return None, [f"{item.id}: expected a whole number, got {_show(value)}"]
        low, high = item.min_value, item.max_value
        if (low is not None and value < low) or (high is not None and value > high):  # type: ignore[operator]
            return None, [f"{item.id}: {value} is out of range ({low} to {high})"]
        return value, []
    if not isinstance(value, str):
        return None, [f"{item.id}: expected text, got {_show(value)}"]
    if item.max_length is not None and len(value) > item.max_length:
        return None, [
            f"{item.id}: the text is {len(value)} characters long; the limit is {item.max_length}"
        ]
    return value, []


def validate(raw: Mapping[str, object]) -> dict[str, object]:
    """The cleaned answers, or InvalidAnswers listing every problem with `raw`."""
    if not isinstance(raw, Mapping):
        raise InvalidAnswers(
            [f"The answers must be an object of item ids to answers, got {_show(raw)}"]
        )
    problems = [
        f"{key}: not a question in this questionnaire (version {VERSION})"
        for key in raw
        if key not in ITEMS_BY_ID
    ]
    checked: dict[str, object] = {}
    invalid: set[str] = set()
    for item in ITEMS:
        if item.id not in raw:
            continue
        value, item_problems = _check(item, raw[item.id])
        if item_problems:
            problems.extend(item_problems)
            invalid.add(item.id)
        else:
            checked[item.id] = value

    # Conditions only read earlier items, so one pass in catalogue order settles every item.
    clean: dict[str, object] = {}
    for item in ITEMS:
        if invalid.intersection(item.depends_on):
            # Whether it applies is unknown; its controlling answer is already reported.
            if item.id in checked:
                clean[item.id] = checked[item.id]
            continue
        applies = item.condition is None or item.condition(clean)
        if item.id in checked:
            if applies:
                clean[item.id] = checked[item.id]
            else:
                problems.append(
                    f"{item.id}: answered, but this question only applies when {item.applies_when}"
                )
        elif applies and item.required and item.id not in invalid:
            problems.append(f"{item.id}: an answer is required")
    if problems:
        raise InvalidAnswers(problems)
    return clean
