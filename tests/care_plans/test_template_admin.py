"""The care-plan templates list in the admin: its editable cells are named for a screen reader."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_editable_cell_of_the_templates_list_has_an_accessible_name(client, default_care_plans):
    client.force_login(User.objects.create_superuser("ada", "ada@clinic.example", "pw-admin"))
    html = client.get(reverse("admin:care_plans_careplantemplate_changelist")).content.decode()
    table = html[html.index('id="result_list"') : html.index("</table>", html.index('id="result_list"'))]
    cells = re.findall(
        r'<input type="(?:checkbox|number)" name="form-\d+-(?:is_active|position)"[^>]*>', table
    )
    assert len(cells) == 2 * 10  # the ten default plans, two editable columns each
    assert all('aria-label="' in cell for cell in cells), cells[:2]
    assert 'aria-label="Is active: Plantar heel pain"' in table
