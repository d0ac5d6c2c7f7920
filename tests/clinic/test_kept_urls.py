"""clinic/templatetags/kept_urls.py: {% url %} gives what Django's gives, reversing a name with no
arguments once per process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, RequestContext, engines
from django.template.base import Template
from django.template.engine import Engine
from django.test import RequestFactory
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix

from clinic.templatetags import kept_urls

DJANGOS = Engine(libraries={}, builtins=[])  # Django's own {% url %}, no builtins of ours
OURS = engines["django"].engine
TEMPLATES = Path(settings.BASE_DIR) / "templates"
NO_ARGUMENTS = re.compile(r"{% url ('[^']+'|\"[^\"]+\")( as \w+)? %}")


def _names_in_templates() -> list[str]:
    found = {
        m.group(1) for path in TEMPLATES.rglob("*.html") for m in NO_ARGUMENTS.finditer(path.read_text())
    }
    return sorted(found)


def _render(engine: Engine, source: str, context: Context) -> str:
    return Template(source, engine=engine).render(context)


@pytest.fixture(autouse=True)
def _fresh():
    kept_urls._kept.clear()
    yield
    kept_urls._kept.clear()


@pytest.mark.parametrize("path", ["/book/times/", "/admin/booking/appointment/day/"])
def test_every_name_the_templates_reverse_without_arguments_gives_djangos_address(path, admin_user):
    names = _names_in_templates()
    assert len(names) > 10, names
    request = RequestFactory().get(path)
    request.user = admin_user
    if path.startswith("/admin/"):
        request.current_app = "admin"  # as the admin's views set it
    for name in names:
        source = f"{{% url {name} %}}|{{% url {name} as there %}}{{{{ there }}}}"
        mine = _render(OURS, source, RequestContext(request))
        again = _render(OURS, source, RequestContext(request))
        assert (
            mine == again == _render(DJANGOS, source.replace("{% url", "{% url"), RequestContext(request))
        ), name


def test_a_name_is_reversed_once_and_a_name_with_arguments_every_time(monkeypatch):
    calls = []
    real = kept_urls.reverse

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(kept_urls, "reverse", counting)
    for _ in range(3):
        assert _render(OURS, "{% url 'booking:details' %}", Context()) == "/book/details/"
    assert calls == ["booking:details"]
    with_argument = "{% url 'admin:booking_appointment_change' 5 %}"
    assert _render(OURS, with_argument, Context()) == _render(DJANGOS, with_argument, Context())


def test_a_name_that_does_not_reverse_fails_as_djangos_does():
    with pytest.raises(NoReverseMatch):
        _render(OURS, "{% url 'no-such-page' %}", Context())
    assert _render(OURS, "{% url 'no-such-page' as there %}[{{ there }}]", Context()) == "[]"


def test_the_script_prefix_is_part_of_the_key():
    try:
        assert _render(OURS, "{% url 'home' %}", Context()) == "/"
        set_script_prefix("/clinic/")
        assert _render(OURS, "{% url 'home' %}", Context()) == "/clinic/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")


def test_it_stands_in_for_djangos_tag_in_every_template():
    node = engines["django"].from_string("{% url 'home' %}").template.nodelist[0]
    assert isinstance(node, kept_urls.KeptURLNode)
