"""The staff roles' permissions on the clinic models: the front desk watches the outgoing messages
(and retries failed ones) and edits care-plan templates; podiatrists read both."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Front desk": {
        "outgoingmessage": ["view", "change"],
        "careplantemplate": ["view", "add", "change"],
        "careplan": ["view"],
    },
    "Podiatrist": {
        "outgoingmessage": ["view"],
        "careplantemplate": ["view", "change"],
        "careplan": ["view"],
    },
}


def grant(apps, schema_editor):
    # Permissions are normally created after `migrate` finishes; this migration needs them now.
    app_config = apps.get_app_config("clinic")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_model in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = [f"{action}_{model}" for model, actions in by_model.items() for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="clinic", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=list(GRANTS)):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="clinic"))


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_seed_default_care_plans"),
        ("intake", "0002_front_desk_and_podiatrist_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
