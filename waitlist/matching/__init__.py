"""Who is offered a freed time, and in what order: a pure function of plain values.

No Django here (house style rule 1). The waitlist service loads the freed time and the active
entries as the values below and asks `offer_order` or `next_batch`; a claim is then made through
the booking service, which remains the last word on whether the time is still free.

Rules, in the order they apply:

- Kind: the entry wants this appointment type, at this site or at either site.
- When: the freed start's LOCAL date (the site's zone) lies in the entry's [first_day, last_day],
  its local weekday is one the entry can make, and its local start time falls in one of the
  entry's parts of the day (morning before 12:00, afternoon from 12:00).
- Earlier only: an entry that already holds a booking is offered only a time before it.
- Never the patient who freed it: whoever just cancelled or moved away from this time is not
  offered it back (they left it on purpose).
- Notice and horizon: never a time inside the site's minimum notice or past its booking horizon,
  measured from `now` (so a batch sent 15 minutes later re-checks the notice).
- Held urgent capacity: while the hold is active (before its release, 24 hours before by
  default) the time goes only to entries that may use holds (an urgent outcome for a type that
  uses them); after the release, to everyone.
- Order: urgent outcome first, then soon, then routine; within a level the longest waiting
  (earliest `joined`), then the lowest entry id so the order is total.
- Booked: a booking of a time the entry `wants` (kind and when) ends the entry, whichever page
  made it.
- Batches: `next_batch` returns the first `size` entries not yet offered this time.
"""

from __future__ import annotations

from waitlist.matching.rules import (
    DayPart,
    Entry,
    FreedTime,
    Priority,
    day_part_of,
    is_offerable,
    matches,
    next_batch,
    offer_order,
    wants,
)

__all__ = [
    "DayPart",
    "Entry",
    "FreedTime",
    "Priority",
    "day_part_of",
    "is_offerable",
    "matches",
    "next_batch",
    "offer_order",
    "wants",
]
