"""The staff roles' permissions on the waitlist: the front desk sees it, offers times by hand and
removes entries (a recorded change); podiatrists see it."""

from django.db import migrations

import roles

GRANTS = {
    "Front desk": {
        "waitlist": {
            "waitlistentry": ["view", "change", "offer_time"],
            "opening": ["view"],
            "offer": ["view"],
        }
    },
    "Podiatrist": {"waitlist": {"waitlistentry": ["view"], "opening": ["view"], "offer": ["view"]}},
}


def grant_waitlist(apps, schema_editor):
    roles.grant(apps, GRANTS)


def revoke_waitlist(apps, schema_editor):
    roles.revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("waitlist", "0002_offer_time_permission"),
        ("intake", "0002_front_desk_and_podiatrist_groups"),
    ]

    operations = [migrations.RunPython(grant_waitlist, revoke_waitlist)]
