"""The staff roles: groups "Front desk" and "Podiatrist" with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Front desk": {
        "intake": {"intake": ["view", "change"]},
        "booking": {
            "appointment": ["view", "add", "change"],
            "patient": ["view", "add", "change"],
            "site": ["view"],
            "openinghours": ["view"],
            "closure": ["view"],
            "podiatrist": ["view"],
            "weeklyshift": ["view"],
            "timeoff": ["view"],
            "appointmenttype": ["view"],
        },
    },
    "Podiatrist": {
        "intake": {"intake": ["view"]},
        "booking": {"appointment": ["view", "change"], "patient": ["view"]},
    },
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after `migrate` finishes; this migration needs them now.
    for app_label in ("intake", "booking"):
        app_config = apps.get_app_config(app_label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, by_model in by_app.items():
            for model, actions in by_model.items():
                codenames = [f"{action}_{model}" for action in actions]
                perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
                found = set(perms.values_list("codename", flat=True))
                missing = set(codenames) - found
                if missing:
                    raise RuntimeError(f"Permissions missing for {group_name}: {sorted(missing)}")
                group.permissions.add(*perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("booking", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
