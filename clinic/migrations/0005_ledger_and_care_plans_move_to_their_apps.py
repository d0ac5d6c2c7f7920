"""The ledger and the care plans leave the clinic app's state; their tables stay as they are.

messaging/migrations/0001 and care_plans/migrations/0001 take them over (state only, same tables).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_ledger_names_its_subject"),
        ("messaging", "0001_initial"),
        ("care_plans", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OutgoingMessage"),
                migrations.DeleteModel(name="CarePlan"),
                migrations.DeleteModel(name="CarePlanTemplate"),
            ],
            database_operations=[],
        ),
    ]
