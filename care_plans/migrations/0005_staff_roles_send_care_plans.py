"""Podiatrists send care plans: the care-plan page and service check this permission, where they
checked the "Podiatrist" group name before."""

from django.db import migrations

import roles

GRANTS = {
    roles.PODIATRIST: {"care_plans": {"careplan": ["add"]}},
}


def grant(apps, schema_editor):
    roles.grant(apps, GRANTS)


def revoke(apps, schema_editor):
    roles.revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("care_plans", "0004_plan_replaces_plan")]

    operations = [migrations.RunPython(grant, revoke)]
