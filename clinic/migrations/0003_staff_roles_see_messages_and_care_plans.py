"""The staff roles' permissions on the clinic models: the front desk watches the outgoing messages
(and retries failed ones) and edits care-plan templates; podiatrists read both."""

from django.db import migrations

from clinic import roles

GRANTS = {
    "Front desk": {
        "clinic": {
            "outgoingmessage": ["view", "change"],
            "careplantemplate": ["view", "add", "change"],
            "careplan": ["view"],
        }
    },
    "Podiatrist": {
        "clinic": {
            "outgoingmessage": ["view"],
            "careplantemplate": ["view", "change"],
            "careplan": ["view"],
        }
    },
}


def grant_clinic(apps, schema_editor):
    roles.grant(apps, GRANTS)


def revoke_clinic(apps, schema_editor):
    roles.revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_seed_default_care_plans"),
        ("intake", "0002_front_desk_and_podiatrist_groups"),
    ]

    operations = [migrations.RunPython(grant_clinic, revoke_clinic)]
