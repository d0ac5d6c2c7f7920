"""Benchmark: assess() throughput on one core over a fixed mix of valid answer sets.

    python -m tests.benchmarks.bench_triage

`assess()` validates and then runs every rule, flag and likely-cause score; no database.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from intake.triage import ITEMS, VERSION, applies, assess
from intake.triage.items import Item

SEED = 20261101
ANSWER_SETS = 400
RUNS = 9
TARGET_PER_SECOND = 5_000
# Most patients answer "no" to the safety screen and to most questions that offer "no"; the
# other answers are drawn evenly, which gives a mix of every level.
SAFETY_NO_SHARE = 0.93
OTHER_NO_SHARE = 0.85


def _value(item: Item, rng: random.Random) -> Any:
    no_share = SAFETY_NO_SHARE if item.red_flag else OTHER_NO_SHARE
    if "no" in item.codes and rng.random() < no_share:
        return "no"
    if item.kind in ("YN", "YNU", "SC"):
        return rng.choice(item.codes)
    if item.kind == "MC":
        if item.red_flag and rng.random() < SAFETY_NO_SHARE:
            return []
        return rng.sample(item.codes, rng.randint(0, min(3, len(item.codes))))
    if item.kind in ("INT", "NRS"):
        return rng.randint(item.min_value or 0, item.max_value or 10)
    return "Ran a half marathon in May; it got worse after."


def answer_sets(count: int = ANSWER_SETS, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` valid answer sets, the same ones for the same seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        answers: dict[str, Any] = {}
        for item in ITEMS:
            if applies(item, answers) and (item.required or rng.random() < 0.7):
                answers[item.id] = _value(item, rng)
        out.append(answers)
    return out


def _per_second(sets: list[dict[str, Any]]) -> tuple[float, float]:
    """Assessments per second of CPU time and of wall-clock time, over one pass of `sets`."""
    cpu, wall = time.process_time(), time.perf_counter()
    for answers in sets:
        assess(answers)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return len(sets) / cpu, len(sets) / wall


def run() -> str:
    """A Markdown section: assessments per second, median of RUNS runs after a warm-up."""
    sets = answer_sets()
    levels: dict[str, int] = {}
    for answers in sets:
        level = assess(answers).urgency.value
        levels[level] = levels.get(level, 0) + 1
    _per_second(sets)  # warm-up
    runs = [_per_second(sets) for _ in range(RUNS)]
    median = statistics.median(cpu for cpu, _ in runs)
    best = max(cpu for cpu, _ in runs)
    wall = statistics.median(wall for _, wall in runs)
    mix = ", ".join(f"{levels.get(level, 0)} {level}" for level in ("emergency", "urgent", "soon", "routine"))
    verdict = "meets" if median >= TARGET_PER_SECOND else "BELOW"
    return "\n".join(
        [
            "## Triage engine",
            "",
            f"`assess()` (validation, rules, flags, likely causes, advice), catalogue {VERSION}, "
            f"one core, {len(sets)} answer sets (seed {SEED}: {mix}), median of {RUNS} runs "
            "after a warm-up. CPU time is the figure to compare: wall-clock time also counts the "
            "time other processes held the core. The best run is the engine's own cost; on this "
            "shared machine the CPU time of the same work has varied by up to 40% between runs "
            "minutes apart, so the verdict is taken on the median.",
            "",
            "| measure | value |",
            "| --- | --- |",
            f"| assessments per second of CPU time (median) | {median:,.0f} |",
            f"| assessments per second of CPU time (best run) | {best:,.0f} |",
            f"| microseconds of CPU per assessment (median) | {1e6 / median:,.0f} |",
            f"| assessments per second of wall-clock time (median) | {wall:,.0f} |",
            f"| target | {TARGET_PER_SECOND:,} per second ({verdict}) |",
            "",
        ]
    )


if __name__ == "__main__":
    print(run())
