"""Care plans move here from the clinic app: state only, the tables keep their names and every row.

Their content types (with the permissions and the groups' grants on them) come along.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import roles

MODELS = ["careplantemplate", "careplan"]


def adopt(apps, schema_editor):
    roles.adopt_content_types(apps, from_app="clinic", to_app="care_plans", models=MODELS)


def give_back(apps, schema_editor):
    roles.adopt_content_types(apps, from_app="care_plans", to_app="clinic", models=MODELS)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("clinic", "0004_ledger_names_its_subject"),
        ("booking", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CarePlanTemplate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("slug", models.SlugField(unique=True)),
                        ("title", models.CharField(max_length=120)),
                        ("fits", models.JSONField(blank=True, default=list, help_text="Likely-cause codes this plan fits")),
                        ("fits_text", models.CharField(blank=True, help_text="What it fits, in words", max_length=200)),
                        ("phases", models.JSONField(default=list, help_text='[{"title": ..., "goal": ..., "steps": [...]}, ...] in order')),
                        ("time_course", models.CharField(blank=True, max_length=200)),
                        ("call_sooner", models.JSONField(blank=True, default=list, help_text='The "call us sooner if" list')),
                        ("is_active", models.BooleanField(default=True)),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={"db_table": "clinic_careplantemplate", "ordering": ["position", "title"]},
                ),
                migrations.CreateModel(
                    name="CarePlan",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("note", models.TextField(blank=True, help_text="The podiatrist's personal note")),
                        ("content", models.JSONField(help_text="Title, phases, time course and warnings as sent")),
                        ("sent_at", models.DateTimeField()),
                        ("appointment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="care_plans", to="booking.appointment")),
                        ("sent_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("template", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="care_plans.careplantemplate")),
                    ],
                    options={"db_table": "clinic_careplan", "ordering": ["-sent_at"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt, give_back),
    ]
