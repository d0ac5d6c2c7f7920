"""The one way a patient record is found or created from what someone typed (a booking, a questionnaire).

Public forms are anonymous: anyone can type anyone's email. So what they type never changes an
existing patient record (only staff edit it, in the admin); it is kept as given on the booking or
the intake instead.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils import timezone

from booking.models import Patient

# ON CONFLICT DO UPDATE with a no-op assignment: one statement that returns the existing row
# unchanged, locked until the transaction ends (it serialises one patient's bookings, so two tabs
# cannot both pass the one-future-exam rule), or the new row.
_FIND_OR_CREATE = """
    INSERT INTO {table} (name, email, phone, date_of_birth, created_at)
    VALUES (%s, %s, %s, %s, %s)
    ON CONFLICT (email) DO UPDATE SET email = {table}.email
    RETURNING id, name, email, phone, date_of_birth, created_at
"""


def find_or_create_patient(
    *, name: str, email: str, phone: str = "", date_of_birth: date | None = None
) -> Patient:
    """The patient with this email (locked for the transaction), or a new one from these details.

    An existing record is returned as staff left it: nothing typed here overwrites it.
    """
    ops = connection.ops
    params = [
        name.strip(),
        email.strip().lower(),
        phone.strip(),
        ops.adapt_datefield_value(date_of_birth),
        ops.adapt_datetimefield_value(timezone.now()),
    ]
    sql = _FIND_OR_CREATE.format(table=ops.quote_name(Patient._meta.db_table))
    return next(iter(Patient.objects.raw(sql, params)))
