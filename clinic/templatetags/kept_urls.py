"""`{% url %}` as Django's, with the address of a name that takes no arguments worked out once per
process (a template builtin: it stands in for Django's tag in every template, the admin's too).

Django's tag reverses on every render: about 150 us of CPU each on this project's machines, and
every page has one or more with no arguments (the header's home link; the booking pages' own).
Such an address depends only on the name, the current app, the script prefix and the URLconf,
none of which change while the process runs; the key holds all four. With arguments, or with a
name that does not reverse, it is Django's tag unchanged.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_kept: dict[tuple[Any, ...], str] = {}


class KeptURLNode(URLNode):
    def render(self, context: Any) -> str:
        if self.args or self.kwargs:
            return str(super().render(context))
        view_name = self.view_name.resolve(context)
        try:  # the current app as Django's tag finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (view_name, current_app, get_script_prefix(), get_urlconf())
        url = _kept.get(key)
        if url is None:
            try:
                url = reverse(view_name, current_app=current_app)
            except NoReverseMatch:
                return str(super().render(context))  # raises, or sets the variable to "" (as Django's)
            _kept[key] = url
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Any, token: Any) -> KeptURLNode:
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
