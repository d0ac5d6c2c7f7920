"""Slot search: which (start, podiatrist, site) can be booked, as a pure function of plain values.

No Django here (house style rule 1): a selector loads shifts, opening hours, closures and Busy
intervals, builds a `SlotQuery` and calls `find_slots`. Everything below is in instants (UTC
seconds) except the grid, which is laid in each site's LOCAL wall time.

Rules, in the order they apply:

- Days: a site is open on a local date whose weekday has opening hours and which is not one of
  its closures. A shift at a closed site yields nothing.
- Grid: slot starts sit on the site's grid counted from local midnight (08:00, 08:10, ...).
  Local times are made with zoneinfo (`datetime.combine(day, t, tzinfo=zone)`), never a fixed
  offset, so DST days keep the wall-clock grid. A wall time that does not exist (the skipped
  hour of spring forward) is no grid point; an ambiguous one (the repeated hour of fall back)
  means its first occurrence.
- Shift and opening hours: the appointment [start, start + duration) lies wholly inside one of
  the podiatrist's shifts at that site that day AND inside the opening hours. Shift lines of one
  podiatrist at one site and weekday that overlap or touch count as one shift.
- Buffer: [start, start + duration + buffer) must overlap no Busy of that podiatrist (at any
  site). The trailing buffer MAY run past the shift end and closing time: it is tidy-up time
  for the podiatrist, not patient time, so a 40-minute exam can still start at 16:20 for a
  17:00 close. It still may not run into a Busy interval (e.g. a shift at the other site).
- Window, notice, horizon: window_start <= start < window_end, start >= now + min_notice and
  start <= now + horizon, the last two per site.

Held urgent capacity (product.md, "Policies"):

- On every open day, for each time in `urgent_hold_starts`, the site holds one window
  [hold, hold + urgent_hold_minutes) if it lies inside the opening hours. The hold sits on ONE
  podiatrist: the lowest podiatrist_id whose shift there covers the window and who is not Busy
  during it (nor holding another overlapping window). If nobody is free the hold is not placed:
  the capacity is already taken. Placement looks at every shift and Busy in the query, not only
  the podiatrists asked for, so a search for one podiatrist sees the holds where a search for
  everyone would.
- Holds are placed on every open day of the window at every site, up to the furthest horizon of
  any site, not only inside each site's own notice and horizon: a podiatrist who works at both
  sites can hold only one of two overlapping windows, so a narrower question (`is_bookable`)
  must place the same holds as a search of the whole window.
- A hold is active until `urgent_release` before its start (now < hold - urgent_release). While
  active, `may_use_holds=False` treats it as Busy for its podiatrist; `may_use_holds=True`
  returns the slots whose [start, end + buffer) overlaps it with `held=True`. After release it
  is ordinary free time and nothing is marked held.
- A booking in a hold makes its podiatrist Busy there, so a plain Busy moves the hold to the
  next free podiatrist when there is one: the clinic keeps its two urgent windows a day while
  capacity exists, and gives them up only when everyone is booked. A Busy with `held=True` (a
  booking made INTO a hold; `site_id` names its site, None means any) consumes the hold it
  overlaps instead, so an urgent booking uses up the hold rather than pushing it along.
"""

from __future__ import annotations

from booking.availability.search import find_slots, first_available, is_bookable, nearest_slots
from booking.availability.values import Busy, Shift, SitePolicy, Slot, SlotQuery

__all__ = [
    "Busy",
    "Shift",
    "SitePolicy",
    "Slot",
    "SlotQuery",
    "find_slots",
    "first_available",
    "is_bookable",
    "nearest_slots",
]
