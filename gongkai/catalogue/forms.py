"""Staff forms of the catalogue desk: the draft's editable fields and the actions' reasons."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.agencies.models import Agency

from .models import CatalogueNode, Item, State
from .services import EDITABLE_FIELDS

# The editable fields in the model's order (the form shows them in this order).
FIELDS = [f.name for f in Item._meta.fields if f.name in EDITABLE_FIELDS]
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.ModelForm):  # type: ignore[type-arg]
    """A draft's metadata and body.  For a new draft, also the agency (one where the user edits)."""

    agency = forms.ModelChoiceField(label="公开机关", queryset=Agency.objects.none())

    class Meta:
        model = Item
        fields = FIELDS
        widgets = {
            **{name: _DATE for name in ("written_on", "issued_on", "amended_on", "effective_from", "expired_on",
                                        "repealed_on", "formed_or_changed_on")},
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args: Any, agencies: list[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["agency"]
            agency_ids = [self.instance.agency_id]
        else:
            chosen = agencies or []
            agency_field = self.fields["agency"]
            assert isinstance(agency_field, forms.ModelChoiceField)
            agency_field.queryset = Agency.objects.filter(pk__in=[a.pk for a in chosen])
            if len(chosen) == 1:
                agency_field.initial = chosen[0].pk
            agency_ids = [a.pk for a in chosen]
        node = self.fields["node"]
        assert isinstance(node, forms.ModelChoiceField)
        node.queryset = CatalogueNode.objects.filter(agency_id__in=agency_ids).select_related("parent")
        interprets = self.fields["interprets"]
        assert isinstance(interprets, forms.ModelChoiceField)
        interprets.queryset = (Item.objects.filter(agency_id__in=agency_ids, state=State.PUBLISHED,
                                                   interprets__isnull=True)
                               .exclude(pk=self.instance.pk or 0).order_by("-published_on", "-id"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency = data.get("agency") if "agency" in self.fields else None
        if agency is not None:  # the model's own checks (node of the same agency) need it
            self.instance.agency = agency
        return data

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in EDITABLE_FIELDS}


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件文件")
