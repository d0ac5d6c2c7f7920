"""How people read dates and times here, in every template and admin page: "Mon Nov 30, 9:00 AM".

Django applies these wherever it shows a date or time without an explicit format (admin lists,
read-only fields, the admin history, `{{ value }}` in templates), always after converting to
TIME_ZONE (America/Detroit), so no page shows UTC or a mixture of styles.
"""

DATETIME_FORMAT = "D M j, g:i A"
SHORT_DATETIME_FORMAT = "D M j, g:i A"
DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A"
MONTH_DAY_FORMAT = "M j"
