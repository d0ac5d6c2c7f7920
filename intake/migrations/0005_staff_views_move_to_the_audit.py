"""The intake app's staff-view log moves to the audit app, which records every page of patient data.

Each row keeps its user and time and becomes the page it was: the intake page, the pre-visit
summary or the intake list. Going back copies those pages' rows into the old table again.
"""

from django.db import migrations

# What: (URL name, path of the page); {id} is the intake's.
PAGES = {
    "intake": ("admin:intake_intake_change", "/admin/intake/intake/{id}/change/"),
    "summary": ("intake:summary", "/intake/staff/{id}/summary/"),
    "list": ("admin:intake_intake_changelist", "/admin/intake/intake/"),
}
BATCH = 1000


def to_the_audit(apps, schema_editor):
    StaffView = apps.get_model("intake", "StaffView")
    StaffAccess = apps.get_model("audit", "StaffAccess")
    rows = []
    for view in StaffView.objects.order_by("pk").iterator(chunk_size=BATCH):
        page, path = PAGES[view.what]
        record_id = "" if view.intake_id is None else str(view.intake_id)
        rows.append(
            StaffAccess(
                user_id=view.user_id,
                at=view.at,
                page=page,
                path=path.format(id=record_id),
                record="intake.intake" if record_id else "",
                record_id=record_id,
            )
        )
        if len(rows) >= BATCH:
            StaffAccess.objects.bulk_create(rows)
            rows = []
    StaffAccess.objects.bulk_create(rows)


def from_the_audit(apps, schema_editor):
    StaffView = apps.get_model("intake", "StaffView")
    StaffAccess = apps.get_model("audit", "StaffAccess")
    Intake = apps.get_model("intake", "Intake")
    what_by_page = {page: what for what, (page, _) in PAGES.items()}
    for access in StaffAccess.objects.filter(page__in=list(what_by_page)).order_by("pk").iterator():
        intake = Intake.objects.filter(pk=access.record_id).first() if access.record_id else None
        view = StaffView.objects.create(user_id=access.user_id, what=what_by_page[access.page], intake=intake)
        StaffView.objects.filter(pk=view.pk).update(at=access.at)  # auto_now_add stamped it now


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_retriage"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_the_audit, from_the_audit),
        migrations.DeleteModel(name="StaffView"),
    ]
