"""Staff forms of the catalogue desk: the draft's editable fields, the actions' reasons, repeal,
and the yearly figures (entered one agency-year at a time, or imported from a file)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from . import figures
from .importing import parse_date
from .models import CatalogueNode, Item, State, YearlyFigure
from .services import EDITABLE_FIELDS

# The editable fields in the model's order (the form shows them in this order).
FIELDS = [f.name for f in Item._meta.fields if f.name in EDITABLE_FIELDS]
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.ModelForm):  # type: ignore[type-arg]
    """A draft's metadata and body.  For a new draft, also the agency (one where the user edits)."""

    agency = forms.ModelChoiceField(label=_("公开机关"), queryset=Agency.objects.none())

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
    reason = forms.CharField(label=_("原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件文件"))


class RepealForm(forms.Form):
    """废止 of a published 规章 or 行政规范性文件: the day it was repealed and on what authority."""

    repealed_on = forms.CharField(
        label=_("废止日期"), max_length=20, widget=_DATE,
        error_messages={"required": _("请填写废止日期（废止决定施行之日），例如 2025-07-01")})
    note = forms.CharField(
        label=_("废止依据"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("废止决定的名称和文号，例如：大英县人民政府关于废止部分行政规范性文件的决定（大府规〔2025〕3号）"),
        error_messages={"required": _("请填写废止依据（废止决定的名称和文号），以便公众查询"),
                        "max_length": _("废止依据最多%(limit_value)d个字（现在%(show_value)d个字），请精简")})

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item

    def clean_repealed_on(self) -> date:
        text = self.cleaned_data["repealed_on"]
        try:
            day = parse_date(text)
        except ValueError:
            raise forms.ValidationError(
                gettext("废止日期“%(text)s”不是有效日期；请按 2025-07-01（年-月-日）的格式填写") % {"text": text},
                code="invalid") from None
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(
                gettext("废止日期（%(day)s）晚于今天（%(today)s）；请填写已经到来的实际废止日期，"
                        "废止日期在以后的，请到那天再登记") % {"day": f"{day:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"},
                code="future")
        issued = self.item.issued_on
        if issued is not None and day < issued:
            raise forms.ValidationError(
                gettext("废止日期（%(day)s）早于印发日期（%(issued)s）；请检查废止日期") %
                {"day": f"{day:%Y-%m-%d}", "issued": f"{issued:%Y-%m-%d}"}, code="before_issue")
        return day


# -- yearly figures -------------------------------------------------------------------------------

class FigureField(forms.CharField):
    """One yearly figure: blank for not entered, else checked by :func:`figures.parse_value`."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        amount = name in figures.AMOUNT_FIELDS
        super().__init__(
            label=figures.label(name), required=False, max_length=40,
            help_text=(_("单位：万元，最多6位小数（精确到0.01元）；没有统计的留空") if amount else
                       _("没有统计的留空；没有发生的填0")),
            widget=forms.TextInput(attrs={"inputmode": "decimal" if amount else "numeric", "size": 16}),
            **kwargs)
        self.name = name

    def clean(self, value: Any) -> int | Decimal | None:
        text = super().clean(value)
        try:
            return figures.parse_value(self.name, text)
        except figures.FigureValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class FiguresForm(forms.Form):
    """One agency-year's figures: only those its report format uses, grouped by the report's tables."""

    def __init__(self, *args: Any, year: int, figure: YearlyFigure | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        for name in figures.fields_for_year(year):
            initial = figures.display(getattr(figure, name)) if figure is not None else ""
            self.fields[name] = FigureField(name, initial=initial)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(g.title), [self[name] for name in g.fields]) for g in figures.groups_for_year(self.year)]


MAX_IMPORT_BYTES = 10 * 1024 * 1024


class FiguresImportForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("机关"), queryset=Agency.objects.none(),
                                    error_messages={"required": _("请选择机关"),
                                                    "invalid_choice": _("您不能导入这个机关的统计数，请重新选择")})
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"),
                           error_messages={"required": _("请选择要导入的文件"), "empty": _("文件是空的")})

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        if len(agencies) == 1:
            field.initial = agencies[0].pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                gettext("文件过大（超过%(mb)sMB）；年度统计数的文件不会这么大，请检查是否选错了文件") %
                {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
        return upload
