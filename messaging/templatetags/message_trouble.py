"""`{% message_trouble as trouble %}`: failed and stuck message counts for the admin index."""

from __future__ import annotations

from django import template

from messaging.trouble import message_trouble as counts

register = template.Library()


@register.simple_tag
def message_trouble() -> dict[str, int]:
    return counts()
