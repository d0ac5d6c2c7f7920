"""Explicit hooks through which apps above booking take part in it, without booking knowing them.

`on_time_freed`: apps above booking (the waitlist) register a listener in their AppConfig.ready(); the booking
services call `time_freed` after a cancellation or a reschedule, INSIDE their transaction, so a
listener's record of the freed time commits or rolls back with the change that freed it (and a
listener that wants to reach a broker does so with `transaction.on_commit`). No Django signals:
the services name the hook where it fires, and a listener sees plain values, not the row.

`on_time_booked`: the same, after a booking or a reschedule takes a time (the waitlist ends the
patient's entry when the time is what they waited for, whichever page booked it).

`on_manage_page`: an app adds a box to the patient's manage page (the waitlist's "I'd take an
earlier time"). `on_times_page`: the same on the page of free times (the waitlist's "None of these
suit me").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable[..., object])


class _Registered(Generic[F]):
    """The callables one hook has, in the order registered; registering one again changes nothing."""

    def __init__(self) -> None:
        self._callables: list[F] = []

    def add(self, function: F) -> None:
        if function not in self._callables:
            self._callables.append(function)

    def __iter__(self) -> Iterator[F]:
        return iter(self._callables)


@dataclass(frozen=True, kw_only=True)
class FreedTime:
    """A time a booking gave up: where, with whom, for which type, and who gave it up."""

    site_id: int
    podiatrist_id: int
    type_id: int
    start: datetime
    patient_id: int
    appointment_id: int
    reason: str  # "cancelled" or "rescheduled"


TimeFreedListener = Callable[[FreedTime], None]

_listeners: _Registered[TimeFreedListener] = _Registered()


def on_time_freed(listener: TimeFreedListener) -> None:
    """Register a listener (once; registering the same one again changes nothing)."""
    _listeners.add(listener)


def time_freed(freed: FreedTime) -> None:
    """Tell every listener; called by the booking services inside their transaction."""
    for listener in _listeners:
        listener(freed)


@dataclass(frozen=True, kw_only=True)
class BookedTime:
    """A time a booking took: where, for which type, in which zone, and for whom."""

    site_id: int
    type_id: int
    start: datetime
    timezone: str  # the site's zone: the patient's wish is in local dates and parts of the day
    patient_id: int
    patient_email: str
    appointment_id: int
    reason: str  # "booked" or "rescheduled"


TimeBookedListener = Callable[[BookedTime], None]

_booked_listeners: _Registered[TimeBookedListener] = _Registered()


def on_time_booked(listener: TimeBookedListener) -> None:
    """Register a listener (once) for bookings and reschedules."""
    _booked_listeners.add(listener)


def time_booked(booked: BookedTime) -> None:
    """Tell every listener; called by the booking services inside their transaction."""
    for listener in _booked_listeners:
        listener(booked)


@dataclass(frozen=True)
class ManagePanel:
    """A box an app above booking adds to the patient's manage page: a template and its context."""

    template: str
    context: dict[str, object]


ManagePanelProvider = Callable[[object, str], "ManagePanel | None"]

_panel_providers: _Registered[ManagePanelProvider] = _Registered()


def on_manage_page(provider: ManagePanelProvider) -> None:
    """Register a provider called with (appointment, manage token) when the manage page renders."""
    _panel_providers.add(provider)


def manage_panels(appointment: object, token: str) -> list[ManagePanel]:
    panels = (provider(appointment, token) for provider in _panel_providers)
    return [panel for panel in panels if panel is not None]


TimesPanelProvider = Callable[[object, list[object], object], "ManagePanel | None"]

_times_providers: _Registered[TimesPanelProvider] = _Registered()


def on_times_page(provider: TimesPanelProvider) -> None:
    """Register a provider called with (appointment type, sites searched, the session's intake or
    None) when the page of free times renders."""
    _times_providers.add(provider)


def times_panels(type: object, sites: list[object], intake: object) -> list[ManagePanel]:
    panels = (provider(type, sites, intake) for provider in _times_providers)
    return [panel for panel in panels if panel is not None]
