"""The staff groups exactly as the role migrations make them.

A transactional test (live server, worker process) flushes every table, groups included; the
next test asking for a role gets it re-made by replaying the role migrations' own grants.
"""

from __future__ import annotations

import importlib

from django.apps import apps as global_apps
from django.contrib.auth.models import Group

from roles import grant

ROLE_MIGRATIONS = [
    ("intake.migrations.0002_front_desk_and_podiatrist_groups", "ROLES"),
    ("intake.migrations.0003_front_desk_edits_sites_and_schedules", "FRONT_DESK_EDITS"),
    ("messaging.migrations.0002_staff_roles_see_messages", "GRANTS"),
    ("care_plans.migrations.0003_staff_roles_see_care_plans", "GRANTS"),
    ("care_plans.migrations.0005_staff_roles_send_care_plans", "GRANTS"),
    ("booking.migrations.0005_front_desk_manages_appointments", "FRONT_DESK_MANAGES"),
    ("waitlist.migrations.0003_staff_roles_see_the_waitlist", "GRANTS"),
]


def staff_group(name: str) -> Group:
    """The group "Front desk" or "Podiatrist" with every permission its migrations give."""
    if not Group.objects.filter(name=name, permissions__isnull=False).exists():
        for module, attr in ROLE_MIGRATIONS:
            grant(global_apps, getattr(importlib.import_module(module), attr))
    return Group.objects.get(name=name)
