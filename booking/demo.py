"""Synthetic demo data for booking: two sites, podiatrists, schedules, appointment types.

Everything here is invented. Names, emails and phone numbers use reserved ranges (555-01xx,
example.com) so they can never reach a real person. `seed_demo` (the project's command) calls
`create_demo_booking()`; it is safe to run again: it never duplicates.
"""

from __future__ import annotations

from datetime import time

from booking.models import AppointmentType, OpeningHours, Podiatrist, Site, WeeklyShift

SITES = [
    {
        "slug": "bloomfield-hills",
        "name": "Bloomfield Hills",
        "address": "100 Example Square Dr, Suite 200",
        "city": "Bloomfield Hills",
        "postcode": "48304",
        "phone": "(248) 555-0100",
        "front_desk_email": "frontdesk.bloomfield@clinic.example",
        "urgent_hold_starts": ["10:00", "14:00"],
    },
    {
        "slug": "howell",
        "name": "Howell",
        "address": "200 Sample Grand River Ave",
        "city": "Howell",
        "postcode": "48843",
        "phone": "(517) 555-0100",
        "front_desk_email": "frontdesk.howell@clinic.example",
        "urgent_hold_starts": ["10:00", "14:00"],
    },
]

OPENING = (time(8, 0), time(17, 0))  # Monday to Friday

# (podiatrist, {weekday: site slug}); one works at both sites on different days,
# and one splits a day between them with a travel gap.
PODIATRISTS = [
    (
        "Dr. Avery Sample",
        "avery.sample",
        {0: "bloomfield-hills", 1: "bloomfield-hills", 2: "howell", 3: "bloomfield-hills", 4: "howell"},
    ),
    (
        "Dr. Jordan Example",
        "jordan.example",
        {0: "howell", 1: "howell", 2: "bloomfield-hills", 3: "howell", 4: "bloomfield-hills"},
    ),
    ("Dr. Casey Demo", "casey.demo", {0: "bloomfield-hills", 2: "bloomfield-hills", 4: "bloomfield-hills"}),
]
SPLIT_DAY = (
    "Dr. Casey Demo",
    1,
    [("bloomfield-hills", time(8, 0), time(12, 0)), ("howell", time(13, 0), time(17, 0))],
)

APPOINTMENT_TYPES = [
    # slug, name, minutes, bookable_by, uses_urgent_hold, is_new_patient_exam
    ("new-patient-exam", "New patient heel-pain exam", 40, "anyone", False, True),
    ("urgent-evaluation", "Urgent heel evaluation", 30, "urgent", True, False),
    ("follow-up", "Follow-up visit", 20, "returning", False, False),
    ("diagnostic-ultrasound", "Diagnostic ultrasound", 30, "staff", False, False),
    ("orthotics-fitting", "Custom orthotics fitting", 30, "anyone", False, False),
    ("shockwave", "Shockwave therapy session", 20, "staff", False, False),
]


def create_demo_booking() -> tuple[dict[str, Site], dict[str, Podiatrist]]:
    """The demo sites (with opening hours), podiatrists (with shifts) and appointment types."""
    sites = _sites()
    podiatrists = _podiatrists(sites)
    _types()
    return sites, podiatrists


def _sites() -> dict[str, Site]:
    sites = {}
    for data in SITES:
        fields = {k: v for k, v in data.items() if k != "slug"}
        site, _ = Site.objects.update_or_create(slug=data["slug"], defaults=fields)
        for weekday in range(5):
            OpeningHours.objects.update_or_create(
                site=site, weekday=weekday, defaults={"opens": OPENING[0], "closes": OPENING[1]}
            )
        sites[site.slug] = site
    return sites


def _podiatrists(sites: dict[str, Site]) -> dict[str, Podiatrist]:
    podiatrists = {}
    for name, local_part, days in PODIATRISTS:
        podiatrist, _ = Podiatrist.objects.update_or_create(
            name=name, defaults={"email": f"{local_part}@clinic.example"}
        )
        podiatrist.shifts.all().delete()
        for weekday, slug in days.items():
            WeeklyShift.objects.create(
                podiatrist=podiatrist, site=sites[slug], weekday=weekday, start=OPENING[0], end=OPENING[1]
            )
        podiatrists[name] = podiatrist
    name, weekday, parts = SPLIT_DAY
    for slug, start, end in parts:
        WeeklyShift.objects.create(
            podiatrist=podiatrists[name], site=sites[slug], weekday=weekday, start=start, end=end
        )
    first = podiatrists[PODIATRISTS[0][0]]
    Podiatrist.objects.filter(pk=first.pk).update(is_on_call=True)
    return podiatrists


def _types() -> None:
    for slug, name, minutes, bookable_by, uses_hold, is_exam in APPOINTMENT_TYPES:
        AppointmentType.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "duration_minutes": minutes,
                "bookable_by": bookable_by,
                "uses_urgent_hold": uses_hold,
                "is_new_patient_exam": is_exam,
            },
        )
