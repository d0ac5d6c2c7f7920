"""Seed the default care plans of care-plans.md (data in care_plans/defaults.py); staff edit them after.

Only into a database with no template yet: one that had them seeded while care plans lived in the
clinic app keeps the templates as staff left them (a plan they removed stays removed).
"""

from django.db import migrations

from care_plans.defaults import DEFAULT_PLANS, template_fields


def create_defaults(CarePlanTemplate):
    for position, plan in enumerate(DEFAULT_PLANS):
        # get_or_create: a plan staff already edited is left as they left it.
        CarePlanTemplate.objects.get_or_create(slug=plan["slug"], defaults=template_fields(plan, position))


def seed(apps, schema_editor):
    CarePlanTemplate = apps.get_model("care_plans", "CarePlanTemplate")
    if not CarePlanTemplate.objects.exists():
        create_defaults(CarePlanTemplate)


def unseed(apps, schema_editor):
    CarePlanTemplate = apps.get_model("care_plans", "CarePlanTemplate")
    used = apps.get_model("care_plans", "CarePlan").objects.values("template_id")
    CarePlanTemplate.objects.filter(slug__in=[p["slug"] for p in DEFAULT_PLANS]).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("care_plans", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
