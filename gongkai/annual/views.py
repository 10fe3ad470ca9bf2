"""Staff screens for the annual report (build, edit, gate, publish) and the public archive."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.agencies.access import handling_agency_ids
from gongkai.agencies.models import Agency
from gongkai.report.formats import SECTIONS
from gongkai.report.render import render as render_report

from . import services
from .models import AnnualReport

_CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class BuildForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("机关"), queryset=Agency.objects.none())
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2019, max_value=2100)
    include_subordinates = forms.BooleanField(label=gettext_lazy("汇总下级机关"), required=False)


class CellForm(forms.Form):
    cell = forms.CharField(label=gettext_lazy("单元格"), widget=forms.HiddenInput)
    value = forms.CharField(label=gettext_lazy("数字"), max_length=30)


class NarrativeForm(forms.Form):
    section = forms.ChoiceField(label=gettext_lazy("部分"),
                                choices=[(s.key, f"{s.number}、{s.aliases[0]}") for s in SECTIONS])
    text = forms.CharField(label=gettext_lazy("正文"), widget=forms.Textarea(attrs={"rows": 6}))


def _reports_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    return AnnualReport.objects.filter(agency_id__in=handling_agency_ids(request.user)).select_related("agency")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = BuildForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    form.fields["agency"].queryset = Agency.objects.filter(pk__in=handling_agency_ids(request.user))  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            draft = services.create_draft(data["agency"], data["year"], request.user,  # type: ignore[arg-type]
                                          data["include_subordinates"])
        except services.AnnualError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已生成 %(report)s") % {"report": draft})
            return redirect("annual:detail", pk=draft.pk)
    return render(request, "annual/index.html", {"form": form, "reports": _reports_for(request)[:100]})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    stored = get_object_or_404(_reports_for(request), pk=pk)
    report = stored.report
    cells = []
    for table in report.definition.tables:
        for row in table.data_rows:
            for col in table.columns:
                key = (table.key, row.key, col.key)
                cells.append(("/".join(key), f"{table.label} / {row.label} / {col.label}", report.cells.get(key)))
    gate = services.gate(stored)
    t3 = report.definition.table("t3_requests")
    t3_rows = [(row, [(col, report.cells.get((t3.key, row.key, col.key))) for col in t3.columns])
               for row in t3.data_rows]
    return render(request, "annual/detail.html", {
        "stored": stored, "report": report, "gate": gate, "cells": cells, "t3": t3, "t3_rows": t3_rows,
        "narrative_form": NarrativeForm(), "sections": [(s.key, s.aliases[0], report.narrative.get(s.key, ""))
                                                        for s in SECTIONS],
    })


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    stored = get_object_or_404(_reports_for(request), pk=pk)
    try:
        if "cell" in request.POST:
            form = CellForm(request.POST)
            if form.is_valid():
                table, row, column = form.cleaned_data["cell"].split("/")
                services.set_cell(stored, request.user, table, row, column, form.cleaned_data["value"])  # type: ignore[arg-type]
                messages.success(request, _("已修改"))
        else:
            nform = NarrativeForm(request.POST)
            if nform.is_valid():
                services.set_narrative(stored, request.user, nform.cleaned_data["section"],  # type: ignore[arg-type]
                                       nform.cleaned_data["text"])
                messages.success(request, _("已保存正文"))
    except (services.AnnualError, KeyError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("annual:detail", pk=stored.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    stored = get_object_or_404(_reports_for(request), pk=pk)
    try:
        services.publish(stored, request.user)  # type: ignore[arg-type]
    except services.AnnualError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布"))
    return redirect("annual:detail", pk=stored.pk)


@login_required
def preview(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    stored = get_object_or_404(_reports_for(request), pk=pk)
    return _document(stored, fmt)


def _document(stored: AnnualReport, fmt: str) -> HttpResponse:
    if fmt not in _CONTENT_TYPES:
        raise Http404("没有这种格式")
    response = HttpResponse(render_report(stored.report, fmt), content_type=_CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = (f"attachment; filename={stored.agency.code}-{stored.year}-v{stored.version}"
                                           f".{fmt}")
    return response


@login_required
def drill(request: HttpRequest, pk: int, row: str, column: str) -> HttpResponse:
    """From a figure of 第三部分 to the agencies and cases behind it (cases only where the user works)."""
    from django.db.models import Count

    from gongkai.annual.build import agency_ids
    from gongkai.cases.yearend import cases_behind

    stored = get_object_or_404(_reports_for(request), pk=pk)
    try:
        cases = cases_behind(agency_ids(stored.agency, stored.include_subordinates), stored.year, row, column)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    by_agency = cases.values("agency__code", "agency__name").annotate(n=Count("id")).order_by("agency__code")
    visible = cases.filter(agency_id__in=handling_agency_ids(request.user)).select_related("agency") \
        .order_by("agency__code", "tracking_number")
    return render(request, "annual/drill.html", {"stored": stored, "row": row, "column": column,
                                                 "by_agency": by_agency, "cases": visible[:500]})


# -- the public archive --------------------------------------------------------------------------

_PUBLIC = (AnnualReport.State.PUBLISHED,)


def archive(request: HttpRequest) -> HttpResponse:
    reports = AnnualReport.objects.filter(state__in=_PUBLIC).select_related("agency").order_by(
        "agency__code", "-year", "-version")
    return render(request, "annual/archive.html", {"reports": reports})


def public_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    stored = get_object_or_404(AnnualReport, pk=pk, state__in=_PUBLIC)
    return _document(stored, fmt)
