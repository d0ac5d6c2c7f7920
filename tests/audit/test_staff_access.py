"""Every staff page that shows a patient's identity or health data records who, what and when.

Driven by the role table (tests/accounts/test_role_table.py): every admin model and staff page
there is placed below as showing patient data or not, so a new page cannot be left out; then every
staff URL is requested once by each staff persona and the audit rows written are counted.
"""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, resolve, reverse

from audit.models import StaffAccess
from booking.models import Patient
from booking.when import when
from tests.accounts.test_role_table import (
    ADMIN_MODELS,
    LOGIN_PAGES,
    NOT_PAGES,
    STAFF,
    STAFF_PAGES,
    _client,
    _model_for,
    _path,
    _walk,
)
from tests.booking.personas import NOW, client_for, front_desk_user
from tests.factories.audit import StaffAccessFactory
from tests.factories.booking import PatientFactory, local

pytestmark = pytest.mark.django_db

# Admin models whose pages show a patient's identity or health data (every page but the empty add form).
PATIENT_DATA_MODELS = {"booking.appointment", "booking.patient", "intake.intake", "care_plans.careplan",
                       "messaging.outgoingmessage", "waitlist.waitlistentry"}  # fmt: skip
NO_PATIENT_DATA_MODELS = {"booking.site", "booking.podiatrist", "booking.appointmenttype",
                          "care_plans.careplantemplate", "waitlist.opening", "audit.staffaccess", "auth.user",
                          "auth.group", "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog",
                          "otp_totp.totpdevice", "otp_static.staticdevice"}  # fmt: skip
# Staff pages outside the admin's model pages: the record each shows ("" for a list of many).
PATIENT_DATA_PAGES = {"staff:today": "", "care_plans:send": "booking.appointment",
                      "intake:summary": "intake.intake"}  # fmt: skip
NO_PATIENT_DATA_PAGES = {"accounts:second_factor", "admin:index", "admin:password_change",
                         "admin:password_change_done"}  # fmt: skip
# A page of these must answer 200 to some staff persona, or the walk below proves nothing for it.
MUST_OPEN = {"changelist", "change", "history", "day", "book", "move", "status", "offer"}


def _shows_patient_data(name: str) -> str | None:
    """The record model the page shows ("" for many), or None when it shows no patient data."""
    if name in PATIENT_DATA_PAGES:
        return PATIENT_DATA_PAGES[name]
    model, view = _model_for(name)
    if model is not None and model._meta.label_lower in PATIENT_DATA_MODELS and view != "add":
        return model._meta.label_lower
    return None


def test_every_admin_model_and_staff_page_of_the_role_table_is_placed():
    assert set(ADMIN_MODELS) == PATIENT_DATA_MODELS | NO_PATIENT_DATA_MODELS
    assert not PATIENT_DATA_MODELS & NO_PATIENT_DATA_MODELS
    pages = {name for name in STAFF_PAGES if _model_for(name)[0] is None}
    assert set(PATIENT_DATA_PAGES) | NO_PATIENT_DATA_PAGES == pages
    for key in ADMIN_MODELS:
        model_admin = admin.site._registry[apps.get_model(key)]
        assert getattr(model_admin, "shows_patient_data", False) == (key in PATIENT_DATA_MODELS), key


def test_each_visit_of_a_page_of_patient_data_writes_one_row_naming_the_user_and_the_record(audited_world):
    wrong, opened = [], set()
    staff_urls = [
        (name, path)
        for name, pattern in _walk(get_resolver().url_patterns)
        if name not in LOGIN_PAGES | NOT_PAGES
        and (path := _path(name, pattern, audited_world)) is not None
        and path.startswith(("/admin/", "/staff/", "/visits/", "/intake/staff/"))
    ]
    with time_machine.travel(NOW, tick=False):
        for persona in STAFF:
            client, user = _client(persona, audited_world), audited_world["users"][persona]
            for name, path in staff_urls:
                last = StaffAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                status = client.get(path).status_code
                rows = list(StaffAccess.objects.filter(pk__gt=last))
                record = _shows_patient_data(name)
                if status != 200 or record is None:
                    if rows:
                        wrong.append((name, persona, status, "recorded", len(rows)))
                    continue
                opened.add(name)
                kwargs = resolve(path).kwargs
                record_id = str(kwargs.get("object_id", kwargs.get("pk", "")))
                expected = (user.pk, name, path, record, record_id)
                got = [(r.user_id, r.page, r.path, r.record, r.record_id) for r in rows]
                if got != [expected]:
                    wrong.append((name, persona, got, expected))
                elif record_id and not apps.get_model(record).objects.filter(pk=record_id).exists():
                    wrong.append((name, persona, "names no record", record, record_id))
    assert not wrong, wrong
    must_open = {
        name
        for name, _ in staff_urls
        if name in PATIENT_DATA_PAGES or (_shows_patient_data(name) and _model_for(name)[1] in MUST_OPEN)
    }
    assert must_open - opened == set()


def test_the_podiatrists_eight_pages_of_the_issue_are_each_recorded(audited_world):
    """Patient list and page, appointment page, care-plan page and its admin, another podiatrist's
    today list, intake history, outgoing messages: as Dr. Pat Sole, one row each, in order."""
    appointment, intake = audited_world["appointment"], audited_world["intake"]
    patient, plan = appointment.patient, appointment.care_plans.get()
    heel = audited_world["clinic"].heel
    pages = [
        ("admin:booking_patient_changelist", None, ""),
        ("admin:booking_patient_change", patient.pk, ""),
        ("admin:booking_appointment_change", appointment.pk, ""),
        ("care_plans:send", appointment.pk, ""),
        ("admin:care_plans_careplan_change", plan.pk, ""),
        ("staff:today", None, f"podiatrist={heel.pk}"),  # another podiatrist's list
        ("admin:intake_intake_history", intake.pk, ""),
        ("admin:messaging_outgoingmessage_changelist", None, ""),
    ]
    client = _client("podiatrist", audited_world)
    with time_machine.travel(NOW, tick=False):
        StaffAccess.objects.all().delete()
        for name, pk, query in pages:
            url = reverse(name, args=[] if pk is None else [pk])
            assert client.get(f"{url}?{query}" if query else url).status_code == 200, name
    rows = StaffAccess.objects.order_by("pk")
    assert [(r.user, r.page, r.record_id, r.query) for r in rows] == [
        (audited_world["users"]["podiatrist"], name, "" if pk is None else str(pk), query)
        for name, pk, query in pages
    ]
    assert {r.at for r in rows} == {NOW}


@pytest.mark.parametrize(
    ("url_name", "param"),
    [
        ("admin:booking_patient_changelist", "q"),
        ("admin:booking_appointment_changelist", "q"),
        ("admin:intake_intake_changelist", "q"),
        ("admin:messaging_outgoingmessage_changelist", "q"),
        ("admin:waitlist_waitlistentry_changelist", "q"),
        ("admin:booking_appointment_book", "find"),  # the front desk's "Find the caller"
    ],
)
def test_a_search_records_its_term(audited_world, url_name, param):
    client = _client("front desk", audited_world)
    with time_machine.travel(NOW, tick=False):
        assert client.get(reverse(url_name), {param: "  Pat Example  "}).status_code == 200
    row = StaffAccess.objects.order_by("-pk").first()
    assert (row.user, row.page, row.search) == (audited_world["users"]["front desk"], url_name, "Pat Example")


def test_only_a_superuser_reads_the_log_and_nobody_adds_changes_or_deletes_an_entry(audited_world):
    entry = StaffAccess.objects.first()
    changelist = reverse("admin:audit_staffaccess_changelist")
    change = reverse("admin:audit_staffaccess_change", args=[entry.pk])
    for persona in ("front desk", "podiatrist"):
        client = _client(persona, audited_world)
        assert client.get(changelist).status_code == 403, persona
        assert client.get(change).status_code == 403, persona
        assert "audit" not in client.get(reverse("admin:index")).context["app_list"].__repr__()
    superuser = _client("superuser", audited_world)
    assert superuser.get(changelist).status_code == 200
    page = superuser.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert superuser.get(reverse("admin:audit_staffaccess_add")).status_code == 403
    assert superuser.get(reverse("admin:audit_staffaccess_delete", args=[entry.pk])).status_code == 403
    superuser.post(change, {"search": "changed"})
    superuser.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    entry_after = StaffAccess.objects.get(pk=entry.pk)
    assert (entry_after.search, entry_after.page) == (entry.search, entry.page)


def test_the_superuser_filters_the_log_by_user_and_day_and_exports_it_as_csv(audited_world):
    desk, podiatrist = audited_world["users"]["front desk"], audited_world["users"]["podiatrist"]
    StaffAccess.objects.all().delete()
    mine = StaffAccessFactory(user=desk, at=local(2027, 3, 1, 9, 5), search="=HYPERLINK(1)")
    StaffAccessFactory(user=podiatrist, at=local(2027, 3, 1, 10))
    StaffAccessFactory(user=desk, at=local(2027, 3, 2, 8))
    client = _client("superuser", audited_world)
    url = reverse("admin:audit_staffaccess_changelist")

    by_user = client.get(url, {"user__id__exact": desk.pk}).context["cl"].result_list
    assert {row.user for row in by_user} == {desk} and len(by_user) == 2
    # The date filter's own link for one Michigan day.
    one_day = {"at__gte": "2027-03-01 00:00:00-05:00", "at__lt": "2027-03-02 00:00:00-05:00"}
    assert len(client.get(url, one_day).context["cl"].result_list) == 2
    both = client.get(url, {**one_day, "user__id__exact": desk.pk}).context["cl"].result_list
    assert list(both) == [mine]
    page = client.get(url).content.decode()
    assert when(mine.at) in page  # "Mon Mar 1, 9:05 AM"

    response = client.post(url, {"action": "export_csv", "_selected_action": [mine.pk]})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0][:3] == ["When (Michigan time)", "At (UTC, ISO 8601)", "User"]
    assert lines[1][:4] == [
        "Mon Mar 1, 9:05 AM",
        "2027-03-01T14:05:00+00:00",
        desk.username,
        "intake:summary",
    ]
    assert lines[1][-1] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("persona", "url_name", "args"),
    [
        ("front desk", "admin:booking_patient_changelist", []),
        ("front desk", "admin:booking_appointment_change", ["appointment"]),
        ("podiatrist", "intake:summary", ["intake"]),
        ("podiatrist", "staff:today", []),
    ],
)
def test_recording_a_page_adds_exactly_one_query(audited_world, settings, persona, url_name, args):
    url = reverse(url_name, args=[audited_world[a].pk for a in args])

    def queries() -> int:
        client = _client(persona, audited_world)  # a new client loads the middleware as set now
        client.get(url)  # warm the session and content types
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with time_machine.travel(NOW, tick=False):
        recorded = queries()
        settings.MIDDLEWARE = [
            m for m in settings.MIDDLEWARE if m != "audit.middleware.StaffAccessMiddleware"
        ]
        unrecorded = queries()
    assert recorded - unrecorded == 1


@pytest.mark.django_db
def test_the_admin_index_lists_no_patient_from_the_recent_actions():
    """The index is a page without patient data (it is not audited): Django's "Recent actions" box,
    which names the records the user changed, is left out."""
    front_desk = front_desk_user()
    patient = PatientFactory(name="Rhiannon Recentaction")
    LogEntry.objects.create(
        user=front_desk,
        content_type=ContentType.objects.get_for_model(Patient),
        object_id=str(patient.pk),
        object_repr=str(patient),
        action_flag=CHANGE,
    )
    page = client_for(front_desk).get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Recentaction" not in page.content.decode()
