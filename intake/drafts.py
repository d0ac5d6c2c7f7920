"""The questionnaire in progress, kept in the patient's (database-backed) session after every step.

Back, a reload or a lost connection loses nothing: every page is rendered from here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from intake.steps import CONTACT_SLUG, STEPS, Step, prune, steps_that_apply

SESSION_KEY = "intake_draft"
OUTCOME_KEY = "intake_id"
ALL_SLUGS = [step.slug for step in STEPS] + [CONTACT_SLUG]


class Draft:
    """Answers, contact details and flags of one patient's unfinished questionnaire."""

    def __init__(self, session: SessionBase) -> None:
        self.session = session
        data = session.get(SESSION_KEY) or {}
        self.answers: dict[str, Any] = dict(data.get("answers", {}))
        self.contact: dict[str, Any] = dict(data.get("contact", {}))
        self.done: list[str] = list(data.get("done", []))
        self.emergency_seen: bool = bool(data.get("emergency_seen", False))
        self.appointment_id: int | None = data.get("appointment_id")
        # "us" (feet, inches, pounds) or "metric"; the answers are stored in cm and kg either way.
        self.units: str = data.get("units", "us")
        # What the patient typed in US units (a pound is finer than the kilogram stored).
        self.typed: dict[str, Any] = dict(data.get("typed", {}))
        # What was typed on a page that did not validate yet: a reload shows it again.
        self.pending: dict[str, dict[str, list[str]]] = dict(data.get("pending", {}))

    def save(self) -> None:
        self.session[SESSION_KEY] = {
            "answers": self.answers,
            "contact": self.contact,
            "done": self.done,
            "emergency_seen": self.emergency_seen,
            "appointment_id": self.appointment_id,
            "units": self.units,
            "typed": self.typed,
            "pending": self.pending,
        }

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def record_step(self, step: Step, step_answers: dict[str, Any]) -> None:
        """Store one step's answers (replacing that step's old ones) and drop what no longer applies."""
        kept = {key: value for key, value in self.answers.items() if key not in step.item_ids}
        self.answers = prune({**kept, **step_answers})
        self.mark_done(step.slug)

    def keep_pending(self, slug: str, data: Any) -> None:
        """Remember what was typed on a page that did not validate (a QueryDict), for a reload."""
        self.pending[slug] = {
            key: data.getlist(key) for key in data if key not in {"csrfmiddlewaretoken", "units"}
        }

    def pending_initial(self, slug: str, multiple: set[str]) -> dict[str, Any] | None:
        """The pending values of a page as form initial data (lists only for multiple choice)."""
        raw = self.pending.get(slug)
        if raw is None:
            return None
        return {
            key: values if key in multiple else (values[-1] if values else "") for key, values in raw.items()
        }

    def mark_done(self, slug: str) -> None:
        if slug not in self.done:
            self.done.append(slug)

    def slugs(self) -> list[str]:
        """Every page of the questionnaire in order for these answers; the contact step comes last."""
        return [step.slug for step in steps_that_apply(self.answers)] + [CONTACT_SLUG]

    def next_slug(self, after: str) -> str | None:
        """The page after `after` for these answers (`after` itself may no longer apply)."""
        applicable = set(self.slugs())
        order = ALL_SLUGS
        start = order.index(after) + 1 if after in order else 0
        return next((slug for slug in order[start:] if slug in applicable), None)

    def previous_slug(self, before: str) -> str | None:
        applicable = set(self.slugs())
        order = ALL_SLUGS
        end = order.index(before) if before in order else 0
        return next((slug for slug in reversed(order[:end]) if slug in applicable), None)

    def first_unfinished(self) -> str | None:
        """The first page not answered yet (None: all done, go to "check your answers")."""
        for slug in self.slugs():
            if slug not in self.done:
                return slug
        return None
