"""The staff-access audit: who looked at which patient's record, on which page, when, searching for what.

The lowest layer beside `roles`: any app declares its pages here, nothing here knows an app.

- A page outside the admin that shows a patient's identity or health data says so with
  `@shows_patient_data("intake.intake")` (the record's model and the URL argument naming it).
- A ModelAdmin whose pages show them inherits `PatientDataAdmin`: every page it serves (list,
  record, history, its own custom pages; not the empty add form) is audited.
- `audit.middleware.StaffAccessMiddleware` writes one `StaffAccess` row for each such page that
  answered 200 to a logged-in user: one INSERT, no other query.
"""
