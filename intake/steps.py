"""The questionnaire's steps, derived from the triage catalogue (intake.triage.ITEMS and SECTIONS).

One topic per step: each catalogue section is a step, and a big section is split into a few steps
without separating an item from its follow-ups (S02 and S02a-d stay together). Which items a
patient sees is decided here from the answers so far, with the catalogue's own `applies()`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from intake import triage

MAX_ITEMS_PER_STEP = 12
CHOICE_KINDS = {"YN", "YNU", "SC", "MC"}
CONTACT_SLUG = "contact"


@dataclass(frozen=True, kw_only=True)
class Reveal:
    """A follow-up item shown only after an answer on the same step (a progressive reveal)."""

    controller: str
    values: tuple[str, ...]
    controller_question: str


@dataclass(frozen=True, kw_only=True)
class Step:
    slug: str
    title: str
    section: str
    intro: str
    item_ids: tuple[str, ...]
    reveals: dict[str, Reveal] = field(default_factory=dict, compare=False, hash=False)

    @property
    def items(self) -> list[Any]:
        return [triage.ITEMS_BY_ID[item_id] for item_id in self.item_ids]

    @property
    def is_safety(self) -> bool:
        return self.section == "S"


def _cluster_key(item_id: str) -> str:
    match = re.match(r"[A-Z]+\d+", item_id)
    return match.group(0) if match else item_id


def _chunks(item_ids: list[str]) -> list[list[str]]:
    """Split a section's items into balanced steps, never separating an item from its follow-ups."""
    clusters: list[list[str]] = []
    for item_id in item_ids:
        if clusters and _cluster_key(clusters[-1][0]) == _cluster_key(item_id):
            clusters[-1].append(item_id)
        else:
            clusters.append([item_id])
    target = math.ceil(len(item_ids) / math.ceil(len(item_ids) / MAX_ITEMS_PER_STEP))
    chunks: list[list[str]] = [[]]
    for cluster in clusters:
        if len(chunks[-1]) >= target:
            chunks.append([])
        chunks[-1].extend(cluster)
    return chunks


def _probe_values(item: Any) -> list[Any]:
    """Answers to try on a controlling item when finding what reveals a follow-up."""
    codes = [choice.code for choice in item.choices] or ["yes", "no", "unsure"]
    if item.kind == "MC":
        return [[], *([code] for code in codes)]
    return codes


def _find_reveal(item: Any, earlier_on_step: list[Any], reveals: Mapping[str, Reveal]) -> Reveal | None:
    """Which same-step answer reveals `item`, found by asking the catalogue's `applies()`.

    A controller that is itself revealed (S02d, shown after S02 "yes") is probed together with the
    answer that reveals it, so a follow-up of a follow-up (S02e) is found too.
    """
    for controller in reversed(earlier_on_step):
        if controller.kind not in CHOICE_KINDS or controller.id not in getattr(item, "depends_on", ()):
            continue
        showing = []
        outcomes = set()
        base = _revealing_answers(controller.id, reveals)
        for value in _probe_values(controller):
            shown = _applies_given(item, {**base, controller.id: value})
            outcomes.add(shown)
            if shown:
                showing.extend(value if isinstance(value, list) else [value])
        if len(outcomes) > 1:
            return Reveal(
                controller=controller.id, values=tuple(showing), controller_question=controller.question
            )
    return None


def _revealing_answers(item_id: str, reveals: Mapping[str, Reveal]) -> dict[str, Any]:
    """The same-step answers that show `item_id` (empty when it always shows)."""
    answers: dict[str, Any] = {}
    reveal = reveals.get(item_id)
    while reveal is not None:
        controller = triage.ITEMS_BY_ID[reveal.controller]
        value = reveal.values[0]
        answers[reveal.controller] = [value] if controller.kind == "MC" else value
        reveal = reveals.get(reveal.controller)
    return answers


def _applies_given(item: Any, answers: Mapping[str, Any]) -> bool:
    try:
        return bool(triage.applies(item, dict(answers)))
    except (KeyError, TypeError, ValueError):
        return False


def _build_steps() -> list[Step]:
    steps = []
    for section in triage.SECTIONS:
        ids = [item.id for item in triage.ITEMS if item.section == section.code]
        if not ids:
            continue
        chunks = _chunks(ids)
        for n, chunk in enumerate(chunks, start=1):
            items = [triage.ITEMS_BY_ID[item_id] for item_id in chunk]
            reveals = {}
            for index, item in enumerate(items):
                reveal = _find_reveal(item, items[:index], reveals)
                if reveal is not None:
                    reveals[item.id] = reveal
            many = len(chunks) > 1
            steps.append(
                Step(
                    slug=slugify(section.title) + (f"-{n}" if many else ""),
                    title=section.title + (f" ({n} of {len(chunks)})" if many else ""),
                    section=section.code,
                    intro=section.intro if n == 1 else "",
                    item_ids=tuple(chunk),
                    reveals=reveals,
                )
            )
    return steps


STEPS: list[Step] = _build_steps()
STEPS_BY_SLUG: dict[str, Step] = {step.slug: step for step in STEPS}


def visible_items(step: Step, answers: Mapping[str, Any]) -> list[tuple[Any, Reveal | None]]:
    """The step's items to show, each with the same-step answer that reveals it (None: always shown).

    An item shows when it applies given the answers outside this step, or when its controlling
    question is on this step too (then it is revealed live by the script, and checked on submit).
    """
    prior = {key: value for key, value in answers.items() if key not in step.item_ids}
    shown: list[tuple[Any, Reveal | None]] = []
    shown_ids: set[str] = set()
    for item in step.items:
        reveal = step.reveals.get(item.id)
        if _applies_given(item, prior):
            shown.append((item, None))
        elif reveal is not None and reveal.controller in shown_ids:
            shown.append((item, reveal))
        else:
            continue
        shown_ids.add(item.id)
    return shown


def prune(answers: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` without the items that no longer apply (a hidden follow-up's old answer is dropped)."""
    kept = {key: value for key, value in answers.items() if key in triage.ITEMS_BY_ID}
    changed = True
    while changed:  # dropping one answer can make another item stop applying
        changed = False
        for item in triage.ITEMS:
            if item.id in kept and not _applies_given(item, kept):
                del kept[item.id]
                changed = True
    return kept


def steps_that_apply(answers: Mapping[str, Any]) -> list[Step]:
    """The steps a patient sees given the answers so far (a step where nothing applies is skipped)."""
    return [step for step in STEPS if visible_items(step, answers)]
