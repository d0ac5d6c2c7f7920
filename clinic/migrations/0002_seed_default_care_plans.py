"""Seed the default care plans of care-plans.md (data in clinic/care_plans.py); staff edit them after."""

from django.db import migrations


def seed(apps, schema_editor):
    from clinic.care_plans import DEFAULT_PLANS, template_fields

    CarePlanTemplate = apps.get_model("clinic", "CarePlanTemplate")
    for position, plan in enumerate(DEFAULT_PLANS):
        # get_or_create: a plan staff already edited is left as they left it.
        CarePlanTemplate.objects.get_or_create(slug=plan["slug"], defaults=template_fields(plan, position))


def unseed(apps, schema_editor):
    from clinic.care_plans import DEFAULT_PLANS

    CarePlanTemplate = apps.get_model("clinic", "CarePlanTemplate")
    used = apps.get_model("clinic", "CarePlan").objects.values("template_id")
    CarePlanTemplate.objects.filter(slug__in=[p["slug"] for p in DEFAULT_PLANS]).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_outgoing_messages_and_care_plans")]

    operations = [migrations.RunPython(seed, unseed)]
