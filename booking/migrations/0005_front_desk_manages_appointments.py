"""Cancelling, moving and marking anyone's appointments is the front desk's (issue 11).

Podiatrists keep change_appointment, which now lets them mark only their own visits
(booking.services checks it); manage_appointment is the front desk's.
"""

from django.db import migrations

from roles import FRONT_DESK, grant, revoke

FRONT_DESK_MANAGES = {FRONT_DESK: {"booking": {"appointment": ["manage"]}}}


def grant_manage(apps, schema_editor):
    grant(apps, FRONT_DESK_MANAGES)


def revoke_manage(apps, schema_editor):
    revoke(apps, FRONT_DESK_MANAGES)


class Migration(migrations.Migration):
    dependencies = [("booking", "0004_patient_email_optional")]

    operations = [
        migrations.AlterModelOptions(
            name="appointment",
            options={
                "ordering": ["start"],
                "permissions": [
                    ("manage_appointment", "Can cancel, move and mark any podiatrist's appointments")
                ],
            },
        ),
        migrations.RunPython(grant_manage, revoke_manage),
    ]
