"""Check a set of answers against the catalogue and list every problem; never guess or coerce."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intake.triage.catalogue import ITEMS, VERSION
from intake.triage.items import Item


class ProblemKind(StrEnum):
    """What is wrong with an answer set or with one answer in it."""

    NOT_AN_OBJECT = "not_an_object"  # the answers are not a mapping of item ids to answers
    UNKNOWN_ITEM = "unknown_item"  # a key that is not a question in this catalogue version
    REQUIRED = "required"  # a question that applies was not answered
    NOT_APPLICABLE = "not_applicable"  # answered, but the question does not apply
    WRONG_TYPE = "wrong_type"  # e.g. a number where a code was expected
    NOT_A_CHOICE = "not_a_choice"  # a code that is not one of the item's choices
    REPEATED = "repeated"  # a multiple-choice code given more than once
    OUT_OF_RANGE = "out_of_range"  # a number outside the item's bounds
    TOO_LONG = "too_long"  # text over the item's length limit


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: the item it is about (None for the answer set as a whole), its kind, and the
    message in plain words ("S01: 'maybe' is not one of yes, no, unsure")."""

    item_id: str | None
    kind: ProblemKind
    message: str

    def __str__(self) -> str:
        return self.message


def _problem(item_id: str, kind: ProblemKind, words: str) -> Problem:
    return Problem(item_id=item_id, kind=kind, message=f"{item_id}: {words}")


class InvalidAnswers(Exception):
    """The answers do not fit the questionnaire; `problems` lists each one (`messages`: their words)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """Each problem in plain words, in the order found."""
        return [problem.message for problem in self.problems]


def _show(value: object) -> str:
    """The value as the sender wrote it (JSON), so the message points at what was sent."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _is_int(value: object) -> bool:
    # bool is an int subclass in Python; a JSON true is not an age.
    return isinstance(value, int) and not isinstance(value, bool)


def _check(item: Item, value: object) -> tuple[object, list[Problem]]:
    """The cleaned value of one answer and the problems with it."""
    kind = item.kind
    labels = item.labels
    if kind in ("YN", "YNU", "SC"):
        codes = ", ".join(labels)
        if not isinstance(value, str):
            return None, [
                _problem(item.id, ProblemKind.WRONG_TYPE, f"expected one of {codes}, got {_show(value)}")
            ]
        if value not in labels:
            return None, [_problem(item.id, ProblemKind.NOT_A_CHOICE, f"'{value}' is not one of {codes}")]
        return value, []
    if kind == "MC":
        codes = ", ".join(labels)
        if not isinstance(value, list | tuple):
            return None, [
                _problem(
                    item.id,
                    ProblemKind.WRONG_TYPE,
                    f"expected a list of codes from {codes}, got {_show(value)}",
                )
            ]
        problems: list[Problem] = []
        seen: set[str] = set()
        for code in value:
            if not isinstance(code, str):
                problems.append(
                    _problem(
                        item.id, ProblemKind.WRONG_TYPE, f"expected a code from {codes}, got {_show(code)}"
                    )
                )
            elif code not in labels:
                problems.append(
                    _problem(item.id, ProblemKind.NOT_A_CHOICE, f"'{code}' is not one of {codes}")
                )
            elif code in seen:
                problems.append(_problem(item.id, ProblemKind.REPEATED, f"'{code}' is given more than once"))
            else:
                seen.add(code)
        # Catalogue order, so equal answers are stored and shown the same way.
        return [code for code in labels if code in seen], problems
    if kind in ("INT", "NRS"):
        if not _is_int(value):
            return None, [
                _problem(item.id, ProblemKind.WRONG_TYPE, f"expected a whole number, got {_show(value)}")
            ]
        low, high = item.min_value, item.max_value
        if (low is not None and value < low) or (high is not None and value > high):  # type: ignore[operator]
            return None, [
                _problem(item.id, ProblemKind.OUT_OF_RANGE, f"{value} is out of range ({low} to {high})")
            ]
        return value, []
    if not isinstance(value, str):
        return None, [_problem(item.id, ProblemKind.WRONG_TYPE, f"expected text, got {_show(value)}")]
    if item.max_length is not None and len(value) > item.max_length:
        return None, [
            _problem(
                item.id,
                ProblemKind.TOO_LONG,
                f"the text is {len(value)} characters long; the limit is {item.max_length}",
            )
        ]
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
            raise InvalidAnswers(
                [
                    Problem(
                        item_id=None,
                        kind=ProblemKind.NOT_AN_OBJECT,
                        message=f"The answers must be an object of item ids to answers, got {_show(raw)}",
                    )
                ]
            )
        problems = [
            _problem(
                str(key),
                ProblemKind.UNKNOWN_ITEM,
                f"not a question in this questionnaire (version {self.version})",
            )
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
                    problems.append(_problem(item_id, ProblemKind.REQUIRED, "an answer is required"))
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
                    _problem(
                        item_id,
                        ProblemKind.NOT_APPLICABLE,
                        f"answered, but this question only applies when {item.applies_when}",
                    )
                )
        if problems:
            raise InvalidAnswers(problems)
        return clean


_CURRENT = Validator(ITEMS, VERSION)


def validate(raw: Mapping[str, object]) -> dict[str, object]:
    """The cleaned answers, or InvalidAnswers listing every problem with `raw`."""
    return _CURRENT(raw)
