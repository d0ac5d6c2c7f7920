"""The front desk edits sites, opening hours, closures, podiatrists, schedules, time off and types.

product.md: "Sites, podiatrists, weekly schedules, time off, closures (holidays), appointment
types, policies: all editable here." 0002 gave the front desk view rights only.
"""

from django.db import migrations

from roles import grant, revoke

FRONT_DESK_EDITS = {
    "Front desk": {
        "booking": {
            model: ["add", "change"]
            for model in (
                "site", "openinghours", "closure", "podiatrist", "weeklyshift", "timeoff", "appointmenttype",
            )
        }
    }
}


def grant_edits(apps, schema_editor):
    grant(apps, FRONT_DESK_EDITS)


def revoke_edits(apps, schema_editor):
    revoke(apps, FRONT_DESK_EDITS)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_front_desk_and_podiatrist_groups")]

    operations = [migrations.RunPython(grant_edits, revoke_edits)]
