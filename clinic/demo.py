"""Synthetic demo data for the clinic: two sites, podiatrists, schedules, appointment types, staff.

Everything here is invented. Names, emails and phone numbers use reserved ranges (555-01xx,
example.com) so they can never reach a real person.
"""

from __future__ import annotations

from datetime import time

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

FRONT_DESK_GROUP = "Front desk"
PODIATRIST_GROUP = "Podiatrist"

# username, group, podiatrist name or None; the password is printed by `make run` in development.
STAFF_USERS = [
    ("frontdesk", FRONT_DESK_GROUP, None),
    ("dr.sample", PODIATRIST_GROUP, "Dr. Avery Sample"),
]
DEMO_PASSWORD = "demo-clinic-2026"
