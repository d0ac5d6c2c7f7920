"""Staff roles ("Front desk", "Podiatrist"): their names and the one function their data migrations share.

Below every app (each app's role migration imports it), next to the pure cores.

Each role migration declares its own frozen grants and calls `grant(apps, ...)` with the
historical app registry, so a later change here never rewrites what an old migration did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

FRONT_DESK = "Front desk"
PODIATRIST = "Podiatrist"

# {group name: {app label: {model name: [actions]}}}
Grants = Mapping[str, Mapping[str, Mapping[str, Sequence[str]]]]


def grant(apps: Any, grants: Grants) -> None:
    """Create each group if needed and give it the listed permissions; fail on an unknown one."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after `migrate` finishes; a role migration needs them now.
    for app_label in sorted({label for by_app in grants.values() for label in by_app}):
        app_config = apps.get_app_config(app_label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, by_model in by_app.items():
            codenames = [f"{action}_{model}" for model, actions in by_model.items() for action in actions]
            perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            missing = set(codenames) - set(perms.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Permissions missing for {group_name}: {sorted(missing)}")
            group.permissions.add(*perms)


def revoke(apps: Any, grants: Grants) -> None:
    """Take back exactly what `grant` gave (the groups stay)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=list(grants)):
        for app_label, by_model in grants[group.name].items():
            codenames = [f"{action}_{model}" for model, actions in by_model.items() for action in actions]
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


def adopt_content_types(apps: Any, *, from_app: str, to_app: str, models: Sequence[str]) -> None:
    """Hand models' content types (and so their permissions and every group's grants) to another app.

    For a model that moved apps keeping its table: run in the new app's first migration.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if not ContentType.objects.filter(app_label=to_app, model=model).exists():
            ContentType.objects.filter(app_label=from_app, model=model).update(app_label=to_app)
