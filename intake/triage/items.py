"""The shapes of the questionnaire: sections, items, choices and the conditions that show an item.

The questions themselves live in `catalogue.py`; this module only says what a question is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

KINDS = ("YNU", "YN", "SC", "MC", "INT", "NRS", "TXT")
CHOICE_KINDS = frozenset({"YNU", "YN", "SC", "MC"})
TXT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


YES = Choice("yes", "Yes")
NO = Choice("no", "No")
UNSURE = Choice("unsure", "Not sure")
YES_NO = (YES, NO)
YES_NO_UNSURE = (YES, NO, UNSURE)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    intro: str


@dataclass(frozen=True)
class When:
    """A condition that shows an item, with the items it reads and the rule in words.

    Callable like a plain function; `depends_on` lets validation tell an answer that does not
    apply from one whose controlling answer was itself invalid.
    """

    test: Callable[[Mapping[str, object]], bool]
    depends_on: tuple[str, ...]
    text: str

    def __call__(self, answers: Mapping[str, object]) -> bool:
        return self.test(answers)


def when(item_id: str, *codes: str) -> When:
    """Shown when a single-answer item `item_id` has one of `codes`."""
    wanted = frozenset(codes)
    return When(
        test=lambda answers: answers.get(item_id) in wanted,
        depends_on=(item_id,),
        text=f"{item_id} is {' or '.join(codes)}",
    )


def when_ticked(item_id: str) -> When:
    """Shown when the multiple-choice item `item_id` has at least one box ticked."""

    def test(answers: Mapping[str, object]) -> bool:
        value = answers.get(item_id)
        return isinstance(value, list | tuple) and len(value) > 0

    return When(test=test, depends_on=(item_id,), text=f"{item_id} has a box ticked")


def _joined(conditions: tuple[When, ...], combine: Callable[[Iterable[bool]], bool], word: str) -> When:
    depends: list[str] = []
    for condition in conditions:
        depends.extend(d for d in condition.depends_on if d not in depends)
    return When(
        test=lambda answers: combine(condition(answers) for condition in conditions),
        depends_on=tuple(depends),
        text=word.join(condition.text for condition in conditions),
    )


def either(*conditions: When) -> When:
    """Shown when any of `conditions` holds."""
    return _joined(conditions, any, ", or ")


def both(*conditions: When) -> When:
    """Shown when every one of `conditions` holds."""
    return _joined(conditions, all, " and ")


@dataclass(frozen=True, kw_only=True)
class Item:
    """One question: its id from questionnaire.md, wording, answer kind and when it applies."""

    id: str
    section: str
    question: str
    kind: str
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    required: bool = False
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    unit: str = ""
    condition: When | None = None
    red_flag: bool = False
    diagram: bool = False
    # Derived in __post_init__ so validation and describe() are dictionary look-ups.
    labels: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: unknown kind {self.kind!r}")
        if not self.choices and self.kind in ("YN", "YNU"):
            object.__setattr__(self, "choices", YES_NO if self.kind == "YN" else YES_NO_UNSURE)
        if self.kind in CHOICE_KINDS and not self.choices:
            raise ValueError(f"{self.id}: a {self.kind} item needs choices")
        if self.kind == "NRS":
            object.__setattr__(self, "min_value", 0)
            object.__setattr__(self, "max_value", 10)
        if self.kind == "TXT" and self.max_length is None:
            object.__setattr__(self, "max_length", TXT_MAX_LENGTH)
        object.__setattr__(self, "labels", {c.code: c.label for c in self.choices})

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Ids of the earlier items whose answers decide whether this one applies."""
        return self.condition.depends_on if self.condition else ()

    @property
    def applies_when(self) -> str:
        """The condition in words (item ids and codes), or "" when the item always applies."""
        return self.condition.text if self.condition else ""

    def describe(self, value: object) -> str:
        """Readable text for an answer to this item, as staff see it."""
        if value is None:
            return "Not answered"
        if self.kind == "MC":
            if not value:
                return "None of these"
            codes = value if isinstance(value, list | tuple) else [value]
            return "; ".join(self.labels.get(str(code), str(code)) for code in codes)
        if self.kind in CHOICE_KINDS:
            return self.labels.get(str(value), str(value))
        if self.kind == "NRS":
            return f"{value} out of 10"
        if self.kind == "INT":
            return f"{value} {self.unit}".rstrip()
        return str(value)
