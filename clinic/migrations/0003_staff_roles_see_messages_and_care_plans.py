"""Granted the staff roles their rights on the ledger and care plans while the clinic app held them.

The grants live with the apps they describe now: messaging/migrations/0002_staff_roles_see_messages
and care_plans/migrations/0003_staff_roles_see_care_plans (a database that ran this migration keeps
its grants: the apps' first migrations hand the clinic's content types, permissions included, over
to them). Kept, empty, so the migration history holds.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_seed_default_care_plans"),
        ("intake", "0002_front_desk_and_podiatrist_groups"),
    ]

    operations = []
