"""The staff roles' rights on care plans: the front desk edits the templates; podiatrists read the
plans and adjust the templates."""

from django.db import migrations

import roles

GRANTS = {
    roles.FRONT_DESK: {
        "care_plans": {"careplantemplate": ["view", "add", "change"], "careplan": ["view"]},
    },
    roles.PODIATRIST: {
        "care_plans": {"careplantemplate": ["view", "change"], "careplan": ["view"]},
    },
}


def grant(apps, schema_editor):
    roles.grant(apps, GRANTS)


def revoke(apps, schema_editor):
    roles.revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("care_plans", "0002_seed_default_care_plans"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
