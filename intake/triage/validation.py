"""Check a set of answers against the catalogue and list every problem; never guess or coerce."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from intake.triage.catalogue import ITEMS, VERSION
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
        return None, [f"{item.id}: the text is {len(value)} characters long; the limit is {item.max_length}"]
    return value, []


def _canonical(item: Item, value: object) -> list[str] | None:
    """A plainly valid multiple-choice answer in catalogue order, else None (_check says why)."""
    labels = item.labels
    if type(value) is not list or not all(type(c) is str and c in labels for c in value):
        return None
    ticked = set(value)
    if len(ticked) != len(value):
        return None
    # Catalogue order, so equal answers are stored and shown the same way.
    return [code for code in labels if code in ticked]


_ABSENT = object()


def _plan(items: tuple[Item, ...]) -> tuple[tuple[Any, ...], ...]:
    """Per item, what validation reads, looked up once: assess() runs validate() on every call."""
    return tuple(
        (
            item,
            item.id,
            item.kind in ("YN", "YNU", "SC"),
            item.kind == "MC",
            item.kind in ("INT", "NRS"),
            -math.inf if item.min_value is None else item.min_value,
            math.inf if item.max_value is None else item.max_value,
            item.labels,
            item.condition,
            frozenset(item.depends_on),
            item.required,
        )
        for item in items
    )


class Validator:
    """Validation against one catalogue version: the current one (`validate`) or a frozen earlier one."""

    def __init__(self, items: tuple[Item, ...], version: str) -> None:
        self.version = version
        self._known = frozenset(item.id for item in items)
        self._plan = _plan(items)

    def __call__(self, raw: Mapping[str, object]) -> dict[str, object]:
        """The cleaned answers, or InvalidAnswers listing every problem with `raw`."""
        if not isinstance(raw, Mapping):
            raise InvalidAnswers([f"The answers must be an object of item ids to answers, got {_show(raw)}"])
        problems = [
            f"{key}: not a question in this questionnaire (version {self.version})"
            for key in raw
            if key not in self._known
        ]
        invalid: set[str] = set()
        clean: dict[str, object] = {}
        get = raw.get
        # Conditions only read earlier items, so one pass in catalogue order settles every item.
        for (
            item,
            item_id,
            single,
            multi,
            numeric,
            low,
            high,
            labels,
            condition,
            depends_on,
            required,
        ) in self._plan:
            value = get(item_id, _ABSENT)
            if value is _ABSENT:
                if not required or (depends_on and not invalid.isdisjoint(depends_on)):
                    continue
                if condition is None or condition(clean):
                    problems.append(f"{item_id}: an answer is required")
                continue
            plainly_valid = (single and type(value) is str and value in labels) or (
                numeric and type(value) is int and low <= value <= high
            )
            if not plainly_valid:
                ordered = _canonical(item, value) if multi else None
                if ordered is not None:
                    value = ordered
                else:
                    value, item_problems = _check(item, value)
                    if item_problems:
                        problems.extend(item_problems)
                        invalid.add(item_id)
                        continue
            if condition is None:
                clean[item_id] = value
            elif not invalid.isdisjoint(depends_on):
                # Whether it applies is unknown; its controlling answer is already reported.
                clean[item_id] = value
            elif condition(clean):
                clean[item_id] = value
            else:
                problems.append(
                    f"{item_id}: answered, but this question only applies when {item.applies_when}"
                )
        if problems:
            raise InvalidAnswers(problems)
        return clean


_CURRENT = Validator(ITEMS, VERSION)


def validate(raw: Mapping[str, object]) -> dict[str, object]:
    """The cleaned answers, or InvalidAnswers listing every problem with `raw`."""
    return _CURRENT(raw)
