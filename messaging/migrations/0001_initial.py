"""The ledger moves here from the clinic app: state only, the table keeps its name and every row.

Its content type (with the permissions and the groups' grants on it) comes along.
"""

from django.db import migrations, models
from django.db.models import Q

import roles


def adopt(apps, schema_editor):
    roles.adopt_content_types(apps, from_app="clinic", to_app="messaging", models=["outgoingmessage"])


def give_back(apps, schema_editor):
    roles.adopt_content_types(apps, from_app="messaging", to_app="clinic", models=["outgoingmessage"])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("clinic", "0004_ledger_names_its_subject"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingMessage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("confirmation", "Booking confirmation"), ("rescheduled", "Reschedule notice"), ("cancelled", "Cancellation notice"), ("reminder", "Reminder"), ("urgent_alert", "Urgent intake alert"), ("escalation", "Unreviewed urgent escalation"), ("care_plan", "Care plan"), ("checkin", "Two-week check-in")], max_length=16)),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("subject", models.CharField(help_text='What the message is about, "<type>:<id>", e.g. "appointment:12"', max_length=64)),
                        ("recipient", models.CharField(help_text="One address, or several separated by commas", max_length=500)),
                        ("scheduled_for", models.DateTimeField(help_text="Not sent before this time (UTC)")),
                        ("subject_start", models.DateTimeField(blank=True, db_column="appointment_start", null=True)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("sending", "Sending"), ("sent", "Sent"), ("skipped", "Skipped"), ("failed", "Failed")], default="pending", max_length=8)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("retry_at", models.DateTimeField(blank=True, help_text="Backoff after a mail failure", null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "clinic_outgoingmessage",
                        "ordering": ["-scheduled_for"],
                        "indexes": [
                            models.Index(fields=["status", "scheduled_for"], name="message_sweep"),
                            models.Index(fields=["subject", "kind", "status"], name="message_by_subject"),
                        ],
                        "constraints": [models.CheckConstraint(condition=~Q(subject=""), name="message_has_subject")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt, give_back),
    ]
