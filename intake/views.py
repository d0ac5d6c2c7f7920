"""The patient's questionnaire, its outcome page, the booked-first link, and the pre-visit summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import MultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from audit.pages import shows_patient_data
from booking.links import appointment_for_token
from booking.models import Appointment, Site
from intake import readable, services, triage, units
from intake.drafts import OUTCOME_KEY, Draft
from intake.forms import EITHER_SITE, ContactForm, StepForm
from intake.models import Intake
from intake.safety import emergency_so_far
from intake.selectors import intake_for_summary
from intake.steps import CONTACT_SLUG, STEPS_BY_SLUG, visible_items
from intake.triage import Urgency
from ratelimits import limit

PUBLIC_FORMS = "intake.public-forms"


def _progress(draft: Draft, slug: str) -> dict[str, int]:
    slugs = draft.slugs()
    return {"number": slugs.index(slug) + 1 if slug in slugs else 1, "total": len(slugs)}


def _step_url(slug: str) -> str:
    if slug == CONTACT_SLUG:
        return reverse("intake:contact")
    return reverse("intake:step", args=[slug])


def _after_step(draft: Draft, slug: str, request: HttpRequest) -> str:
    if request.GET.get("return") == "check":
        unfinished = draft.first_unfinished()
        return _step_url(unfinished) if unfinished else reverse("intake:check")
    following = draft.next_slug(slug)
    return _step_url(following) if following else reverse("intake:check")


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """What the questionnaire is, how long it takes, and where to go in an emergency."""
    draft = Draft(request.session)
    return render(
        request,
        "intake/start.html",
        {
            "first_url": _step_url(draft.slugs()[0]),
            "resume_url": _step_url(draft.first_unfinished() or CONTACT_SLUG) if draft.done else None,
            "appointment_linked": draft.appointment_id is not None,
        },
    )


@require_http_methods(["GET", "POST"])
@limit(group=PUBLIC_FORMS, rate_setting="PUBLIC_FORM_RATE", method="POST")
def step(request: HttpRequest, slug: str) -> HttpResponse:
    """One page of questions; answers go into the session after every step."""
    questions = STEPS_BY_SLUG.get(slug)
    if questions is None:
        raise Http404("No such step")
    draft = Draft(request.session)
    forms_args: dict[str, Any] = {
        "step": questions,
        "prior_answers": draft.answers,
        "unit_system": draft.units,
    }
    if request.method == "POST" and request.POST.get("units") in {units.US, units.METRIC}:
        return _switch_units(request, draft, slug, request.POST["units"])
    if request.method == "POST":
        form = StepForm(request.POST, **forms_args)
        if form.is_valid():
            draft.record_step(questions, form.step_answers())
            draft.typed.update(form.typed())
            draft.pending.pop(slug, None)
            if questions.is_safety and not draft.emergency_seen and emergency_so_far(draft.answers).fired:
                draft.emergency_seen = True
                draft.save()
                return redirect(reverse("intake:emergency") + f"?next={draft.next_slug(slug) or ''}")
            draft.save()
            return redirect(_after_step(draft, slug, request))
        draft.keep_pending(slug, request.POST)
        draft.save()
    else:
        if not visible_items(questions, draft.answers):
            following = draft.next_slug(slug)
            return redirect(_step_url(following) if following else reverse("intake:check"))
        initial = {key: value for key, value in draft.answers.items() if key in questions.item_ids}
        form = StepForm(initial=initial, typed=draft.typed, **forms_args)
        pending = draft.pending_initial(slug, _multiple_choice(form))
        if pending is not None:  # typed before a reload, not yet valid: show it again
            form = StepForm(initial=pending, **forms_args)
    previous = draft.previous_slug(slug)
    return render(
        request,
        "intake/step.html",
        {
            "form": form,
            "step": questions,
            "progress": _progress(draft, slug),
            "back_url": _step_url(previous) if previous else reverse("intake:start"),
            "return_to_check": request.GET.get("return") == "check",
            "region_labels": readable.region_labels(),
        },
    )


def _multiple_choice(form: StepForm) -> set[str]:
    return {name for name, field in form.fields.items() if isinstance(field, MultipleChoiceField)}


def _switch_units(request: HttpRequest, draft: Draft, slug: str, unit_system: str) -> HttpResponse:
    """The metric switch: keep what was typed on the page (converted), show it in the other units."""
    draft.keep_pending(slug, request.POST)
    pending = draft.pending[slug]
    converted = units.convert_typed(
        {key: values[-1] for key, values in pending.items() if values}, unit_system
    )
    pending.update({key: [value] for key, value in converted.items()})
    draft.units = unit_system
    draft.save()
    return redirect(request.get_full_path())


@require_http_methods(["GET", "POST"])
@limit(group=PUBLIC_FORMS, rate_setting="PUBLIC_FORM_RATE", method="POST")
def contact(request: HttpRequest) -> HttpResponse:
    """Name, date of birth, email, phone, preferred site and consent to be contacted."""
    draft = Draft(request.session)
    age = draft.answers.get("A01")
    if request.method == "POST":
        form = ContactForm(request.POST, age=age)
        if form.is_valid():
            data = form.cleaned_data
            draft.contact = {**data, "date_of_birth": data["date_of_birth"].isoformat()}
            draft.mark_done(CONTACT_SLUG)
            draft.pending.pop(CONTACT_SLUG, None)
            draft.save()
            unfinished = draft.first_unfinished()
            return redirect(_step_url(unfinished) if unfinished else reverse("intake:check"))
        draft.keep_pending(CONTACT_SLUG, request.POST)
        draft.save()
    else:
        pending = draft.pending_initial(CONTACT_SLUG, set())
        form = ContactForm(initial=pending if pending is not None else draft.contact, age=age)
    previous = draft.previous_slug(CONTACT_SLUG)
    return render(
        request,
        "intake/contact.html",
        {
            "form": form,
            "progress": _progress(draft, CONTACT_SLUG),
            "back_url": _step_url(previous) if previous else reverse("intake:start"),
        },
    )


@require_GET
def emergency(request: HttpRequest) -> HttpResponse:
    """The interruption after an emergency answer: what to do now, and the option to go on for the record."""
    draft = Draft(request.session)
    following = request.GET.get("next", "")
    if following not in STEPS_BY_SLUG and following != CONTACT_SLUG:
        following = draft.first_unfinished() or ""
    continue_url = _step_url(following) if following else reverse("intake:check")
    call_911 = emergency_so_far(draft.answers).call_911
    return render(request, "intake/emergency.html", {"continue_url": continue_url, "call_911": call_911})


def _check_rows(draft: Draft) -> list[dict[str, Any]]:
    rows = []
    for slug in draft.slugs():
        if slug == CONTACT_SLUG:
            continue
        questions = STEPS_BY_SLUG[slug]
        answers = [
            {
                "item": item,
                "text": _answer_text(item.id, draft.answers[item.id], draft.units)
                if item.id in draft.answers
                else "Not answered",
            }
            for item, _ in visible_items(questions, draft.answers)
            # A follow-up never asked (its question above was answered "no") is no row at all.
            if item.id in draft.answers or (not item.required and triage.applies(item, draft.answers))
        ]
        rows.append({"step": questions, "url": _step_url(slug), "answers": answers})
    return rows


def _answer_text(item_id: str, value: Any, unit_system: str) -> str:
    """An answer as the patient gave it: height and weight in the units they used."""
    if item_id == "A04H" and isinstance(value, int):
        return units.describe_height(value, unit_system)
    if item_id == "A04W" and isinstance(value, int):
        return units.describe_weight(value, unit_system)
    return readable.describe(item_id, value)


def _long_date(iso: str) -> str:
    """'May 12, 1960' from the draft's ISO date ('' when none)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return ""
    return f"{day:%B} {day.day}, {day.year}"


def _site_for(slug: str) -> Site | None:
    if not slug or slug == EITHER_SITE:
        return None
    return Site.objects.filter(slug=slug).first()


@require_http_methods(["GET", "POST"])
@limit(group=PUBLIC_FORMS, rate_setting="PUBLIC_FORM_RATE", method="POST")
def check(request: HttpRequest) -> HttpResponse:
    """ "Check your answers" with a change link per answer; POST sends the questionnaire."""
    draft = Draft(request.session)
    if not draft.done:
        if request.session.get(OUTCOME_KEY):
            return redirect("intake:outcome")
        return redirect("intake:start")
    unfinished = draft.first_unfinished()
    problems: list[dict[str, str | None]] = []
    if request.method == "POST" and unfinished is None:
        try:
            intake = _submit(draft)
        except triage.InvalidAnswers as error:
            problems = _plain_problems(error.problems)
        except ValidationError as error:
            problems = [{"text": message, "url": reverse("intake:contact")} for message in error.messages]
        else:
            draft.clear()
            request.session[OUTCOME_KEY] = intake.pk
            return redirect("intake:outcome")
    elif request.method == "POST" and unfinished is not None:
        return redirect(_step_url(unfinished))
    site = _site_for(draft.contact.get("preferred_site", ""))
    return render(
        request,
        "intake/check.html",
        {
            "rows": _check_rows(draft),
            "contact": draft.contact,
            "date_of_birth": _long_date(draft.contact.get("date_of_birth", "")),
            "site_name": site.name if site else "Either site",
            "unfinished_url": _step_url(unfinished) if unfinished else None,
            "problems": problems,
        },
    )


def _plain_problems(problems: tuple[triage.Problem, ...]) -> list[dict[str, str | None]]:
    """The engine's problems as plain words, each with a link to its question when it has one."""
    plain: list[dict[str, str | None]] = []
    for problem in problems:
        item = triage.ITEMS_BY_ID.get(problem.item_id) if problem.item_id else None
        step_slug = next((s.slug for s in STEPS_BY_SLUG.values() if problem.item_id in s.item_ids), None)
        if item is None or step_slug is None:
            plain.append({"text": problem.message, "url": None})
            continue
        verb = "Answer" if problem.kind is triage.ProblemKind.REQUIRED else "Check your answer to"
        url = f"{_step_url(step_slug)}?return=check#div_id_{item.id}"
        plain.append({"text": f"{verb}: {item.question}", "url": url})
    return plain


def _submit(draft: Draft) -> Intake:
    contact = draft.contact
    appointment = None
    if draft.appointment_id is not None:
        appointment = Appointment.objects.filter(pk=draft.appointment_id).first()
    return services.submit_intake(
        answers=draft.answers,
        name=contact["name"],
        email=contact["email"],
        phone=contact.get("phone", ""),
        date_of_birth=dt.date.fromisoformat(contact["date_of_birth"])
        if contact.get("date_of_birth")
        else None,
        preferred_site=_site_for(contact.get("preferred_site", "")),
        consent=bool(contact.get("consent")),
        appointment=appointment,
    )


@require_GET
def outcome(request: HttpRequest) -> HttpResponse:
    """The triage outcome of this session's own intake, in plain words, with the next step."""
    intake_id = request.session.get(OUTCOME_KEY)
    intake = (
        Intake.objects.select_related("preferred_site").filter(pk=intake_id).first() if intake_id else None
    )
    if intake is None:
        return redirect("intake:start")
    next_url = None
    if intake.urgency == Urgency.URGENT:
        next_url = reverse("booking:urgent")
    elif intake.urgency in {Urgency.SOON, Urgency.ROUTINE}:
        next_url = reverse("booking:start")
    advice = intake.assessment.get("advice", {})
    return render(
        request,
        "intake/outcome.html",
        {
            "intake": intake,
            "advice": advice,
            "says_not_a_diagnosis": any("not a diagnosis" in line for line in advice.get("what_to_do", [])),
            "next_url": next_url,
            "has_appointment": intake.appointments.exists(),
        },
    )


@require_GET
@limit(group=PUBLIC_FORMS, rate_setting="PUBLIC_FORM_RATE", method="GET")
def for_appointment(request: HttpRequest, token: str) -> HttpResponse:
    """A patient who booked first: link the questionnaire they are about to fill to that appointment."""
    appointment = appointment_for_token(token)
    if appointment is None or appointment.status != Appointment.Status.BOOKED:
        raise Http404("This link is not valid any more")
    draft = Draft(request.session)
    draft.appointment_id = appointment.pk
    if not draft.contact:
        patient = appointment.patient
        draft.contact = {
            "name": patient.name,
            "email": patient.email,
            "phone": patient.phone,
            "date_of_birth": patient.date_of_birth.isoformat() if patient.date_of_birth else "",
            "preferred_site": appointment.site.slug,
        }
    draft.save()
    return redirect("intake:start")


def _intake_for_staff(request: HttpRequest, pk: int) -> Intake:
    """The intake, for a staff user allowed to view intakes; 403 for anyone else, 404 if none."""
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.has_perm("intake.view_intake")):
        raise PermissionDenied
    intake = intake_for_summary(pk)
    if intake is None:
        raise Http404("No such intake")
    return intake


@shows_patient_data("intake.intake")
@require_GET
@login_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The podiatrist's one-screen pre-visit summary (each view is audited)."""
    intake = _intake_for_staff(request, pk)
    assessment = intake.assessment
    return render(
        request,
        "intake/summary.html",
        {
            "intake": intake,
            "assessment": assessment,
            "panels": readable.summary_panels(intake.answers),
            "key_facts": readable.key_facts(intake.answers),
            "marked": readable.marked_regions(intake.answers),
            "region_labels": readable.region_labels(),
        },
    )
