"""The time picker as a patient reads it on a phone: a strip of days with how many times each has
free, and one day's times grouped morning and afternoon.

It only arranges the availability core's slots (no queries): the booking page, the urgent lane,
reschedule and the "just taken" page all build it the same way, so they look and read the same.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from django.utils import timezone
from django.utils.safestring import mark_safe

from booking.availability import Slot, first_available
from booking.forms import SlotChoice

STRIP_DAYS = 7
NOON = time(12)

# The names strftime's %A, %a, %B and %b give in the C locale the portal runs in, looked up
# instead: strftime cost 7 us a call, and a day's hundred times named their day and minute with
# three calls each (tests/booking/test_time_picker.py checks these against strftime).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def spoken_time(moment: datetime) -> str:
    """'9:30 AM' in the clinic's zone, without a leading zero."""
    return _clock(timezone.localtime(moment))


def spoken_day(moment: datetime | date) -> str:
    """'Tuesday, March 10' in the clinic's zone."""
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return _day_words(day)


def _day_words(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {MONTHS[day.month - 1]} {day.day}"


def long_date(day: date) -> str:
    """'May 12, 1960': how a patient reads a date on every page and in every email."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass(frozen=True)
class PickerTime:
    """One choosable time; `dom_id` comes from its position, so ids stay unique on the page."""

    dom_id: str
    value: str
    time: str
    site: str
    label: str
    held: bool = False

    @property
    def chip(self) -> str:
        """The time as a radio chip (booking/includes/time_groups.html). Built here: a day at either
        site lists about a hundred, and the template language costs several times as much per chip
        (format_html too: 29 us a chip, this 6 us). Every value is escaped."""
        site = f"<small>{escape(self.site)}</small>" if self.site else ""
        dom_id = escape(self.dom_id)
        return mark_safe(  # noqa: S308 - built from escaped values only
            f'<label class="time-chip" for="{dom_id}">'
            f'<input type="radio" name="slot" id="{dom_id}" value="{escape(self.value)}" required>'
            f'<span aria-hidden="true">{escape(self.time)}{site}</span>'
            f'<span class="visually-hidden">{escape(self.label)}</span></label>'
        )


@dataclass(frozen=True)
class TimeGroup:
    heading: str
    times: list[PickerTime]

    @property
    def chips(self) -> str:
        """The group's chips in a row: one template variable for the lot, since a loop in the
        template cost more per chip (variable lookup and escaping checks) than building it."""
        return mark_safe("".join(each.chip for each in self.times))  # noqa: S308 - each chip escapes


@dataclass(frozen=True)
class StripDay:
    day: date
    weekday: str
    short_date: str
    count: int
    selected: bool
    href: str

    @property
    def spoken(self) -> str:
        free = f"{self.count} free time{'s' if self.count != 1 else ''}" if self.count else "no free times"
        return f"{spoken_day(self.day)}: {free}"

    @property
    def item(self) -> str:
        """The day as an item of the strip (booking/includes/day_strip.html): a link with its count,
        or a greyed "none" that is no link. Built here as the chips are, for the same reason."""
        face = (
            f'<span class="visually-hidden">{escape(self.spoken)}</span><span aria-hidden="true">'
            f'<span class="strip-weekday">{escape(self.weekday)}</span>'
            f'<span class="strip-date">{escape(self.short_date)}</span>'
            f'<span class="strip-count">{self.count or "none"}</span></span>'
        )
        if not self.count:
            return mark_safe(f'<li><span class="strip-day is-empty">{face}</span></li>')  # noqa: S308 - escaped
        selected, current = (" is-selected", ' aria-current="date"') if self.selected else ("", "")
        return mark_safe(  # noqa: S308 - built from escaped values only
            f'<li><a class="strip-day{selected}" href="{escape(self.href)}"{current}>{face}</a></li>'
        )


@dataclass(frozen=True)
class Picker:
    strip: list[StripDay]
    day: date | None
    groups: list[TimeGroup]
    earlier_href: str = ""
    later_href: str = ""

    @property
    def heading(self) -> str:
        return spoken_day(self.day) if self.day else ""

    @property
    def has_times(self) -> bool:
        return any(group.times for group in self.groups)

    @property
    def strip_items(self) -> str:
        return mark_safe("".join(day.item for day in self.strip))  # noqa: S308 - each item escapes


def strip_start(day: date, today: date) -> date:
    """The first day of the strip that shows `day`: strips are whole weeks counted from today."""
    return today + timedelta(days=STRIP_DAYS * (max((day - today).days, 0) // STRIP_DAYS))


def choices_for(slots: Iterable[Slot], *, first_available_only: bool) -> list[tuple[Slot, SlotChoice]]:
    """One choice per (start, site). With "first available" the choice names no podiatrist: the
    booking re-checks who is free at that moment, so the page never promises someone else."""
    chosen = first_available(slots)
    return [
        (
            slot,
            SlotChoice(
                site_id=slot.site_id,
                podiatrist_id=None if first_available_only else slot.podiatrist_id,
                start=slot.start,
            ),
        )
        for slot in chosen
    ]


def chosen_label(choice: SlotChoice, *, site_name: str, podiatrist_name: str = "") -> str:
    """'Monday, November 30, 9:00 AM, Howell' (and the podiatrist when the patient chose one)."""
    words = [spoken_day(choice.start), spoken_time(choice.start), site_name]
    return ", ".join([*words, podiatrist_name] if podiatrist_name else words)


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _clock(local: datetime | time) -> str:
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def _times(
    pairs: list[tuple[Slot, SlotChoice]],
    *,
    prefix: str,
    site_names: Mapping[int, str],
    show_site: bool,
    who: str,
) -> list[PickerTime]:
    times = []
    zone = timezone.get_current_timezone()  # once: each lookup goes through asgiref's Local
    day_words: dict[date, str] = {}  # a day's times share its name
    for index, (slot, choice) in enumerate(pairs, start=1):
        local = slot.start.astimezone(zone)
        site = site_names.get(slot.site_id, "")
        clock = _clock(local)
        day = local.date()
        if day not in day_words:
            day_words[day] = _day_words(day)
        words = [day_words[day], clock, site]
        if who:
            words.append(who)
        times.append(
            PickerTime(
                dom_id=f"{prefix}-{index}",
                value=choice.value,
                time=clock,
                site=site if show_site else "",
                label=", ".join(words),
                held=slot.held,
            )
        )
    return times


def day_groups(
    pairs: list[tuple[Slot, SlotChoice]], *, site_names: Mapping[int, str], show_site: bool, who: str = ""
) -> list[TimeGroup]:
    """One day's times as Morning and Afternoon (empty halves left out)."""
    if not pairs:
        return []
    # In UTC, as the slots' starts are: comparing two datetimes of one zone skips the offset
    # lookups that made comparing across zones most of this function's time.
    noon = datetime.combine(
        timezone.localtime(pairs[0][0].start).date(), NOON, tzinfo=timezone.get_current_timezone()
    ).astimezone(UTC)
    morning = [p for p in pairs if p[0].start < noon]
    afternoon = [p for p in pairs if p[0].start >= noon]
    groups = []
    for key, heading, part in (("am", "Morning", morning), ("pm", "Afternoon", afternoon)):
        if part:
            times = _times(part, prefix=f"t-{key}", site_names=site_names, show_site=show_site, who=who)
            groups.append(TimeGroup(heading=heading, times=times))
    return groups


def by_day(
    slots: Iterable[Slot],
    *,
    first_available_only: bool,
    site_names: Mapping[int, str],
    show_site: bool,
    who: str = "",
) -> list[TimeGroup]:
    """A few slots over several days (the nearest ones after a lost race), one group per day."""
    pairs = choices_for(slots, first_available_only=first_available_only)
    days: dict[date, list[tuple[Slot, SlotChoice]]] = {}
    for pair in pairs:
        days.setdefault(_local_day(pair[0].start), []).append(pair)
    return [
        TimeGroup(
            heading=spoken_day(day),
            times=_times(part, prefix=f"t{n}", site_names=site_names, show_site=show_site, who=who),
        )
        for n, (day, part) in enumerate(days.items(), start=1)
    ]


def build(
    slots: Iterable[Slot],
    *,
    first_day: date,
    days: int,
    wanted: date,
    href_for: Callable[[date], str],
    site_names: Mapping[int, str],
    show_site: bool,
    first_available_only: bool,
    who: str = "",
    earlier: date | None = None,
    later: date | None = None,
) -> Picker:
    """The strip of `days` days from `first_day` and the times of `wanted`, or of the first day
    after it with free times (a day with none is greyed in the strip and never shown)."""
    # Slots come sorted by start: each day is a slice between two local midnights, found by
    # bisection, so only the day shown is turned into labelled choices (a strip holds ~1,000).
    ordered = sorted(slots, key=lambda slot: slot.start)
    starts = [slot.start for slot in ordered]
    zone = timezone.get_current_timezone()
    strip_days = [first_day + timedelta(days=n) for n in range(days)]
    midnights = [
        datetime.combine(d, time(0), tzinfo=zone).astimezone(UTC)
        for d in [*strip_days, first_day + timedelta(days)]
    ]
    per_day: dict[date, list[Slot]] = {}
    counts: dict[date, int] = {}
    for n, d in enumerate(strip_days):
        part = ordered[bisect_left(starts, midnights[n]) : bisect_left(starts, midnights[n + 1])]
        per_day[d] = part
        counts[d] = len({(slot.start, slot.site_id) for slot in part})
    shown = next((d for d in strip_days if d >= wanted and counts[d]), None)
    strip = [
        StripDay(
            day=d,
            weekday=WEEKDAYS[d.weekday()][:3],
            short_date=f"{MONTHS[d.month - 1][:3]} {d.day}",
            count=counts[d],
            selected=d == shown,
            href=href_for(d),
        )
        for d in strip_days
    ]
    groups = (
        day_groups(
            choices_for(per_day[shown], first_available_only=first_available_only),
            site_names=site_names,
            show_site=show_site,
            who=who,
        )
        if shown is not None
        else []
    )
    return Picker(
        strip=strip,
        day=shown,
        groups=groups,
        earlier_href=href_for(earlier) if earlier is not None else "",
        later_href=href_for(later) if later is not None else "",
    )
