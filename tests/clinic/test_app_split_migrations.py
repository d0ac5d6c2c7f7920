"""The ledger and care plans left the clinic app for apps of their own without losing a row.

A database in the old layout (clinic 0003: three foreign keys on the ledger, the models and their
permissions under the "clinic" label) gets rows, then migrates forward to today's layout.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import roles
from care_plans.models import CarePlan, CarePlanTemplate
from intake.models import Intake
from messaging import delivery
from messaging.models import OutgoingMessage
from tests.factories.booking import AppointmentFactory, local

pytestmark = pytest.mark.django_db(transaction=True)

OLD_LAYOUT = [
    ("clinic", "0003_staff_roles_see_messages_and_care_plans"),
    ("messaging", None),
    ("care_plans", None),
]
# What clinic 0003 granted before the grants moved to the apps they describe.
OLD_GRANTS = {
    roles.FRONT_DESK: {
        "clinic": {
            "outgoingmessage": ["view", "change"],
            "careplantemplate": ["view", "add", "change"],
            "careplan": ["view"],
        }
    },
}
SENT_AT = dt.datetime(2027, 3, 10, 15, tzinfo=dt.UTC)


def migrate(targets):
    """Migrate the test database to `targets`; the historical models as of the first target."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state([targets[0]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_layout():
    old_apps = migrate(OLD_LAYOUT)
    try:
        yield old_apps
    finally:
        migrate(latest())


def test_rows_written_in_the_old_layout_keep_their_subject_content_and_permissions(old_layout):
    old = old_layout
    appointment = AppointmentFactory(start=local(2027, 3, 12, 9, 30))
    intake = Intake.objects.create(
        name="P", email="p@mail.example", answers={}, assessment={}, triage_version="t", urgency="urgent",
        urgency_rank=1,
    )  # fmt: skip
    Template = old.get_model("clinic", "CarePlanTemplate")
    Plan = old.get_model("clinic", "CarePlan")
    Message = old.get_model("clinic", "OutgoingMessage")
    template = Template.objects.create(slug="old-plan", title="Old plan", phases=[{"title": "Rest"}])
    plan = Plan.objects.create(
        appointment_id=appointment.pk, template=template, note="Ice.", content={"title": "Old plan"},
        sent_at=SENT_AT,
    )  # fmt: skip
    common = {"recipient": "someone@mail.example", "scheduled_for": SENT_AT}
    reminder = Message.objects.create(
        key="old:reminder", kind="reminder", appointment_id=appointment.pk, status="sent",
        appointment_start=appointment.start, **common,
    )  # fmt: skip
    alert = Message.objects.create(key="old:alert", kind="urgent_alert", intake_id=intake.pk, **common)
    care = Message.objects.create(
        key="old:care", kind="care_plan", care_plan_id=plan.pk, appointment_id=appointment.pk, **common
    )
    roles.grant(old, OLD_GRANTS)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    old_view = Permission.objects.get(
        codename="view_outgoingmessage",
        content_type=ContentType.objects.get(app_label="clinic", model="outgoingmessage"),
    )

    migrate(latest())

    rows = {m.key: m for m in OutgoingMessage.objects.all()}
    assert rows["old:reminder"].pk == reminder.pk
    assert (rows["old:reminder"].subject, rows["old:reminder"].status) == (
        f"appointment:{appointment.pk}",
        "sent",
    )
    assert rows["old:reminder"].subject_start == appointment.start
    assert rows["old:alert"].pk == alert.pk and rows["old:alert"].subject == f"intake:{intake.pk}"
    assert rows["old:care"].pk == care.pk and rows["old:care"].subject == f"care_plan:{plan.pk}"
    moved_plan = CarePlan.objects.get(pk=plan.pk)
    assert (moved_plan.appointment_id, moved_plan.note, moved_plan.content) == (
        appointment.pk, "Ice.", {"title": "Old plan"},
    )  # fmt: skip
    assert CarePlanTemplate.objects.get(pk=template.pk).slug == "old-plan"
    # The apps re-read their subjects from the moved rows.
    assert delivery.render(rows["old:care"]).subject.startswith("Your care plan from")
    assert delivery.render(rows["old:alert"]).subject == "Urgent intake waiting"
    # The permission rows (and so the front desk's grants) moved with their content types.
    desk = Group.objects.get(name=roles.FRONT_DESK)
    codes = set(desk.permissions.values_list("content_type__app_label", "codename"))
    assert {("messaging", "change_outgoingmessage"), ("care_plans", "add_careplantemplate")} <= codes
    assert not {label for label, _ in codes if label == "clinic"}
    assert desk.permissions.filter(pk=old_view.pk, content_type__app_label="messaging").exists()
