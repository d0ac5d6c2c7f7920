"""Seeded the default care plans while they lived in the clinic app.

Care plans are an app of their own now: care_plans/migrations/0002_seed_default_care_plans does
this (for a database where no template exists yet). Kept, empty, so the migration history holds.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_outgoing_messages_and_care_plans")]

    operations = []
