"""An appointment's audit as sentences a person reads ("Moved from ... to ... by frontdesk").

Events store ids and UTC instants (booking/services.py); this turns them into Michigan times and
names. Old events written before the site was recorded still read, just without the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.models import Appointment, AppointmentEvent, Podiatrist, Site
from booking.when import short_name, when


@dataclass(frozen=True)
class Names:
    """Podiatrist and site names by id: two small reads for a whole history."""

    podiatrists: dict[int, str]
    sites: dict[int, str]

    @classmethod
    def load(cls) -> Names:
        return cls(
            podiatrists=dict(Podiatrist.objects.values_list("pk", "name")),
            sites=dict(Site.objects.values_list("pk", "name")),
        )


def _moment(raw: object) -> str:
    try:
        return when(datetime.fromisoformat(str(raw)))
    except ValueError:
        return "an unknown time"


def _place(names: Names, podiatrist: object, site: object) -> str:
    parts = []
    if podiatrist is not None and podiatrist in names.podiatrists:
        parts.append(short_name(names.podiatrists[podiatrist]))  # type: ignore[index]
    if site is not None and site in names.sites:
        parts.append(names.sites[site])  # type: ignore[index]
    return f" ({', '.join(parts)})" if parts else ""


def sentence(event: AppointmentEvent, names: Names) -> str:
    """One event in words, in the clinic's time zone."""
    d = event.detail or {}
    by = f" by {event.actor_label}" if event.actor_label else ""
    kinds = AppointmentEvent.Kind
    if event.kind == kinds.BOOKED:
        where = _place(names, d.get("podiatrist"), d.get("site"))
        return f"Booked for {_moment(d.get('start'))}{where}{by}"
    if event.kind == kinds.RESCHEDULED:
        old = _place(names, d.get("old_podiatrist"), d.get("old_site"))
        new = _place(names, d.get("new_podiatrist"), d.get("new_site"))
        return f"Moved from {_moment(d.get('old_start'))}{old} to {_moment(d.get('new_start'))}{new}{by}"
    if event.kind == kinds.CANCELLED:
        return f"Cancelled the visit of {_moment(d.get('start'))}{by}"
    if event.kind == kinds.STATUS:
        labels = dict(Appointment.Status.choices)
        old, new = labels.get(d.get("old"), d.get("old")), labels.get(d.get("new"), d.get("new"))
        return f"Status changed from {old} to {new}{by}"
    return f"{event.get_kind_display()}{by}"
