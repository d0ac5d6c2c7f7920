"""Which pages show patient data, as the apps declare them, and what one request of such a page saw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.contrib import admin
from django.urls import ResolverMatch

# The admin lists' search box, and the front desk's "Find the caller" on "Book for a patient".
SEARCH_PARAMS = ("q", "find")
# ModelAdmin pages that show no record: the empty add form.
UNAUDITED_ADMIN_VIEWS = frozenset({"add"})

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Seen:
    """A page that showed patient data: its URL name, the record's model and id ("" on a list)."""

    page: str
    record: str = ""
    record_id: str = ""


@dataclass(frozen=True)
class _Declared:
    record: str
    kwarg: str


def shows_patient_data(record: str = "", *, kwarg: str = "pk") -> Callable[[View], View]:
    """Mark a staff page outside the admin: `record` is the model ("intake.intake") whose id is the
    URL argument `kwarg`; leave it empty for a page of many records (the today list)."""

    def mark(view: View) -> View:
        view.audit_page = _Declared(record, kwarg)  # type: ignore[attr-defined]
        return view

    return mark


class PatientDataAdmin:
    """Mix into a ModelAdmin whose pages show patients' identity or health data: each of its pages
    (list, record, history, delete, and the pages its get_urls adds) is audited."""

    shows_patient_data: ClassVar[bool] = True


def seen(match: ResolverMatch) -> Seen | None:
    """What the resolved page shows, or None when it shows no patient data."""
    declared = getattr(match.func, "audit_page", None)
    if isinstance(declared, _Declared):
        return Seen(match.view_name, declared.record, _text(match.kwargs.get(declared.kwarg)))
    if "admin" not in match.namespaces:
        return None
    for prefix, model_admin in _audited_admins().items():
        if match.url_name and match.url_name.startswith(prefix):
            if match.url_name.removeprefix(prefix) in UNAUDITED_ADMIN_VIEWS:
                return None
            object_id = match.kwargs.get("object_id", match.kwargs.get("pk"))
            return Seen(match.view_name, model_admin.model._meta.label_lower, _text(object_id))
    return None


def _audited_admins() -> dict[str, admin.ModelAdmin[Any]]:
    """{"booking_patient_": its ModelAdmin} for the admins that declare patient data."""
    return {
        f"{model._meta.app_label}_{model._meta.model_name}_": model_admin
        for model, model_admin in admin.site._registry.items()
        if getattr(model_admin, "shows_patient_data", False)
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)[:64]
