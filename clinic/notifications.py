"""What the booking and intake services tell the messaging layer.

The services call these inside their own transaction, so the outgoing-message ledger is
written atomically with the change that causes it (see the notifications issue).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from booking.models import Appointment
    from intake.models import Intake


def appointment_booked(appointment: Appointment) -> None:
    """Record the confirmation and the reminders of a new booking."""


def appointment_rescheduled(appointment: Appointment, *, old_start: datetime) -> None:
    """Record the reschedule notice and the reminders of the new time."""


def appointment_cancelled(appointment: Appointment) -> None:
    """Record the cancellation notice; reminders of a cancelled visit never go."""


def intake_submitted(intake: Intake) -> None:
    """Record the staff alert for an emergency or urgent outcome."""
