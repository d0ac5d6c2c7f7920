"""The podiatrist's form for sending a care plan after a visit."""

from __future__ import annotations

from django import forms

from care_plans.models import CarePlanTemplate


class CarePlanForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=CarePlanTemplate.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Care plan",
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Personal note for the patient",
        help_text="Optional. Shown at the top of the plan.",
    )

    def __init__(
        self, *args: object, templates: list[CarePlanTemplate], suggested: set[int], **kwargs: object
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["template"]
        field.queryset = CarePlanTemplate.objects.filter(pk__in=[t.pk for t in templates])
        # Suggested plans first, each labelled as such; the order is the suggestion order.
        field.choices = [
            (t.pk, f"{t.title} (suggested)" if t.pk in suggested else t.title) for t in templates
        ]
