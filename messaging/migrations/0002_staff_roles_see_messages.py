"""The staff roles' rights on the ledger: the front desk watches the outgoing messages and retries
failed ones; podiatrists read them."""

from django.db import migrations

import roles

GRANTS = {
    roles.FRONT_DESK: {"messaging": {"outgoingmessage": ["view", "change"]}},
    roles.PODIATRIST: {"messaging": {"outgoingmessage": ["view"]}},
}


def grant(apps, schema_editor):
    roles.grant(apps, GRANTS)


def revoke(apps, schema_editor):
    roles.revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
