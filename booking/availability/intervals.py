"""Sorted disjoint intervals in UTC seconds, and the one overlap question asked of them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

# [starts], [ends] of disjoint intervals sorted by start; ends are sorted too, which lets bisect
# find the first interval ending after an instant.
Intervals = tuple[list[float], list[float]]
EMPTY: Intervals = ([], [])


def merge(spans: Iterable[tuple[float, float]]) -> Intervals:
    """Sort and join overlapping or touching intervals; drop empty ones."""
    starts: list[float] = []
    ends: list[float] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def overlaps(intervals: Intervals, start: float, end: float) -> bool:
    starts, ends = intervals
    i = bisect_right(ends, start)
    return i < len(ends) and starts[i] < end
