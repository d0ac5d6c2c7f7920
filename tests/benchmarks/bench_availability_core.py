"""The pure slot-search core alone, on product.md's benchmark shape (no database).

One site, 6 podiatrists Monday-Friday 08:00-17:00, a 10-minute grid, the 40-minute exam.
Existing 40-minute appointments are placed at random on the grid without overlap, at most 5 per
podiatrist-day, over the 70 days from 2027-03-01 (fixed seed). N = 1,000 leaves room; for
N = 10,000 and 100,000 the 70 days fill up (1,500 appointments) and the rest is history before
them, which the selector never passes to the core, so one "full" row stands for both. The
search: every podiatrist, the 14 days from 2027-03-01, first available; the core gets only the
Busy rows inside the window, as the selector does.

    .venv/bin/python -m tests.benchmarks.bench_availability_core
"""

from __future__ import annotations

import random
import statistics
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.availability import Busy, Shift, SitePolicy, SlotQuery, find_slots, first_available

DETROIT = ZoneInfo("America/Detroit")
FIRST_DAY = date(2027, 3, 1)
PODIATRISTS = range(1, 7)
EXAM = timedelta(minutes=40)
GRID = 10
PER_DAY = 5
SEED = 20270301
RUNS = 30
WARM_UP = 5


def _appointments(n: int, rng: random.Random) -> list[Busy]:
    """Up to n exams at random grid starts, no overlap, at most PER_DAY per podiatrist-day."""
    days = [FIRST_DAY + timedelta(days=i) for i in range(70)]
    open_pairs = [(p, d) for p in PODIATRISTS for d in days if d.weekday() < 5]
    starts_per_day = (17 * 60 - 40 - 8 * 60) // GRID + 1  # 08:00 .. 16:20
    taken: dict[tuple[int, date], list[int]] = {pair: [] for pair in open_pairs}
    busy: list[Busy] = []
    while len(busy) < n and open_pairs:
        pair = rng.choice(open_pairs)
        minute = 8 * 60 + GRID * rng.randrange(starts_per_day)
        if any(abs(minute - other) < 40 for other in taken[pair]):
            continue
        taken[pair].append(minute)
        if len(taken[pair]) == PER_DAY:
            open_pairs.remove(pair)
        start = datetime.combine(pair[1], time(minute // 60, minute % 60), tzinfo=DETROIT)
        busy.append(Busy(podiatrist_id=pair[0], start=start, end=start + EXAM))
    return busy


def _query(busy: list[Busy]) -> SlotQuery:
    window_start = datetime.combine(FIRST_DAY, time(0), tzinfo=DETROIT)
    window_end = datetime.combine(FIRST_DAY + timedelta(days=14), time(0), tzinfo=DETROIT)
    site = SitePolicy(site_id=1, tz=DETROIT, opening={d: (time(8), time(17)) for d in range(5)})
    return SlotQuery(
        sites=(site,),
        shifts=tuple(
            Shift(podiatrist_id=p, site_id=1, weekday=d, start=time(8), end=time(17))
            for p in PODIATRISTS
            for d in range(5)
        ),
        busy=tuple(b for b in busy if window_start <= b.start < window_end),
        duration=EXAM,
        window_start=window_start,
        window_end=window_end,
        now=window_start - timedelta(days=1),
    )


def _measure(query: SlotQuery) -> tuple[list[float], list[float], int, int]:
    """Wall and CPU milliseconds of RUNS searches after WARM_UP, and what the last one found."""
    for _ in range(WARM_UP):
        first_available(find_slots(query))
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = clock.perf_counter(), clock.process_time()
        slots = find_slots(query)
        times = first_available(slots)
        wall.append((clock.perf_counter() - started) * 1000)
        cpu.append((clock.process_time() - started_cpu) * 1000)
    return wall, cpu, len(slots), len(times)


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def run() -> str:
    """A Markdown section: median and p95 of one core search, and what it found."""
    lines = [
        "## Availability core (pure Python, no database)",
        "",
        "One site, 6 podiatrists Mon-Fri 08:00-17:00, 10-minute grid, 40-minute exam, "
        f"14 days from {FIRST_DAY}, first available; {RUNS} runs after {WARM_UP} warm-up.",
        "",
        "| appointments (N) | Busy in window | median ms | p95 ms | median CPU ms "
        "| free (podiatrist, start) | free times (first available) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, n in (("1,000", 1_000), ("10,000 / 100,000 (70 days full)", 10_000)):
        query = _query(_appointments(n, random.Random(SEED)))
        wall, cpu, slots, times = _measure(query)
        lines.append(
            f"| {label} | {len(query.busy)} | {statistics.median(wall):.2f} | {_p95(wall):.2f} "
            f"| {statistics.median(cpu):.2f} | {slots} | {times} |"
        )
    lines += [
        "",
        "Wall time is what a search costs on this machine as loaded; CPU time is the process's "
        "own share, steadier when other work competes for the cores.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
