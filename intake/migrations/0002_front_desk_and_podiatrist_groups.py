"""The staff roles: groups "Front desk" and "Podiatrist" with their permissions."""

from django.db import migrations

from roles import grant

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
    grant(apps, ROLES)


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
