"""The questionnaire in progress, kept in the patient's (database-backed) session after every step.

Back, a reload or a lost connection loses nothing: every page is rendered from here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from intake.steps import CONTACT_SLUG, Step, prune, steps_that_apply

SESSION_KEY = "intake_draft"
OUTCOME_KEY = "intake_id"


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

    def save(self) -> None:
        self.session[SESSION_KEY] = {
            "answers": self.answers,
            "contact": self.contact,
            "done": self.done,
            "emergency_seen": self.emergency_seen,
            "appointment_id": self.appointment_id,
        }

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def record_step(self, step: Step, step_answers: dict[str, Any]) -> None:
        """Store one step's answers (replacing that step's old ones) and drop what no longer applies."""
        kept = {key: value for key, value in self.answers.items() if key not in step.item_ids}
        self.answers = prune({**kept, **step_answers})
        self.mark_done(step.slug)

    def mark_done(self, slug: str) -> None:
        if slug not in self.done:
            self.done.append(slug)

    def slugs(self) -> list[str]:
        """Every page of the questionnaire in order for these answers; the contact step comes last."""
        return [step.slug for step in steps_that_apply(self.answers)] + [CONTACT_SLUG]

    def next_slug(self, after: str) -> str | None:
        slugs = self.slugs()
        if after not in slugs:
            return slugs[0]
        index = slugs.index(after)
        return slugs[index + 1] if index + 1 < len(slugs) else None

    def previous_slug(self, before: str) -> str | None:
        slugs = self.slugs()
        if before not in slugs:
            return None
        index = slugs.index(before)
        return slugs[index - 1] if index > 0 else None

    def first_unfinished(self) -> str | None:
        """The first page not answered yet (None: all done, go to "check your answers")."""
        for slug in self.slugs():
            if slug not in self.done:
                return slug
        return None
