"""The staff desk of the catalogue: the items of the user's agencies, drafting, the actions (废止
included), and the yearly figures of the annual report's 第二部分.

Views parse and validate; :mod:`.services` changes items and :mod:`.figures` the yearly figures
(and refuse, with a message saying why); :mod:`.selectors` fetches items within the user's
agencies, so another agency's item — or another agency's figures — is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.agencies.access import handling_agency_ids, has_role
from gongkai.agencies.models import Agency
from gongkai.site.wording import clauses

from . import figures, selectors, services
from .forms import AttachmentForm, FiguresForm, FiguresImportForm, ItemForm, ReasonForm, RepealForm
from .importing import ImportFileError
from .models import Item, State, YearlyFigure
from .services import EDITORS, REVIEWERS, CatalogueError


def _user(request: HttpRequest) -> Any:
    return request.user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    items = selectors.items_for(request.user)
    state = request.GET.get("state", "")
    if state in State.values:
        items = items.filter(state=state)
    page = Paginator(items.defer("body", "body_text").order_by("-updated_at", "-id"), 50) \
        .get_page(request.GET.get("page"))
    return render(request, "catalogue/index.html", {
        "page": page, "states": State.choices, "state": state,
        "warnings": selectors.warnings(handling_agency_ids(request.user)),
    })


def _editing_agencies(request: HttpRequest) -> list[Agency]:
    return [a for a in Agency.objects.filter(pk__in=handling_agency_ids(request.user))
            if has_role(request.user, a, *EDITORS)]


@login_required
def create(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST or None, agencies=_editing_agencies(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_draft(form.cleaned_data["agency"], _user(request), **form.service_fields())
        except CatalogueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("已保存草稿“%(title)s”") % {"title": item.title})
            return redirect("catalogue:detail", pk=item.pk)
    return render(request, "catalogue/form.html", {"form": form, "item": None},
                  status=400 if form.errors else 200)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The item: its metadata, the edit form while a draft, the actions its state allows, its log."""
    item = selectors.item_for(request.user, pk)
    form = ItemForm(request.POST or None, instance=item) if item.state == State.DRAFT else None
    if request.method == "POST":
        if form is None:
            messages.error(request, gettext("“%(title)s”当前状态为“%(state)s”，不能修改") % {
                "title": item.title, "state": item.get_state_display()})
            return redirect("catalogue:detail", pk=item.pk)
        if form.is_valid():
            try:
                services.edit_draft(selectors.item_for(request.user, pk), _user(request), **form.service_fields())
            except CatalogueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, gettext("已保存修改"))
                return redirect("catalogue:detail", pk=item.pk)
        item = selectors.item_for(request.user, pk)  # the form changed its instance; show the stored one
    return _detail_page(request, item, form=form, status=400 if form is not None and form.errors else 200)


def _detail_page(request: HttpRequest, item: Item, *, form: ItemForm | None = None,
                 repeal_form: RepealForm | None = None, status: int = 200) -> HttpResponse:
    reviewer = has_role(request.user, item.agency_id, *REVIEWERS)
    editor = has_role(request.user, item.agency_id, *EDITORS)
    today = timezone.localdate()
    return render(request, "catalogue/detail.html", {
        "item": item, "form": form, "reviewer": reviewer, "editor": editor,
        "validity": item.validity_on(today).label if item.is_normative and item.state == State.PUBLISHED else "",
        "can_repeal": (reviewer and item.state == State.PUBLISHED and item.is_normative and item.repealed_on is None),
        "events": [(services.action_label(e.action), e) for e in item.events.select_related("actor")],
        "attachments": item.attachments.all(), "reason_form": ReasonForm(), "attachment_form": AttachmentForm(),
        "repeal_form": repeal_form or RepealForm(item=item, initial={"repealed_on": f"{today:%Y-%m-%d}"}),
    }, status=status)


class InvalidForm(CatalogueError):
    """An action's form did not validate: the item's page is shown again with the form, its errors
    next to its fields and what was typed kept (rather than a message and an empty form)."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__("；".join(str(m) for errors in form.errors.values() for m in errors))
        self.form = form


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise CatalogueError(gettext("请填写原因"))
    return str(form.cleaned_data["reason"])


def _attach(request: HttpRequest, item: Item) -> str:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        raise CatalogueError(gettext("请选择要上传的附件文件"))
    attachment = services.attach(item, _user(request), form.cleaned_data["file"])
    return gettext("已上传附件“%(name)s”") % {"name": attachment.name}


def _remove_attachment(request: HttpRequest, item: Item) -> str:
    found = item.attachments.filter(pk=request.POST.get("attachment") or 0).first()
    if found is None:
        raise CatalogueError(gettext("没有这个附件"))
    services.remove_attachment(found, _user(request))
    return gettext("已删除附件“%(name)s”") % {"name": found.name}


def _repeal(request: HttpRequest, item: Item) -> str:
    """废止 a published 规章 or 行政规范性文件.  Its 有效性 is part of what the catalogue discloses (条例
    第二十条第（一）项), a repeal is a change to be disclosed within 20 working days (第二十六条), and
    the annual report counts it in 本年废止件数 — so the date must be real (not later than today,
    not before the document was issued) and the authority (废止依据) stated.  The role and state are
    checked before the form, so that someone who cannot repeal is told so rather than about dates."""
    services.check_allowed(item, _user(request), "repeal")
    form = RepealForm(request.POST, item=item)
    if not form.is_valid():
        raise InvalidForm(form)
    on = form.cleaned_data["repealed_on"]
    services.repeal(item, _user(request), on, form.cleaned_data["note"])
    return gettext("已废止“%(title)s”：自%(day)s起有效性为“废止”") % {"title": item.title, "day": f"{on:%Y-%m-%d}"}


def _publish(request: HttpRequest, item: Item) -> str:
    number = services.publish(item, _user(request)).index_number
    return gettext("已发布，索引号 %(number)s") % {"number": number}


ACTIONS: dict[str, Callable[[HttpRequest, Item], str]] = {
    "submit": lambda r, i: (services.submit_for_review(i, _user(r)), gettext("已提交审核"))[1],
    "return": lambda r, i: (services.return_to_draft(i, _user(r), _reason(r)), gettext("已退回修改"))[1],
    "publish": _publish,
    "withdraw": lambda r, i: (services.withdraw(i, _user(r), _reason(r)), gettext("已撤回"))[1],
    "revise": lambda r, i: (services.revise(i, _user(r)), gettext("已转为草稿，可以修改后重新提交"))[1],
    "attach": _attach,
    "remove_attachment": _remove_attachment,
    "repeal": _repeal,
}


@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = selectors.item_for(request.user, pk)
    if request.method != "POST" or action not in ACTIONS:
        return HttpResponseNotAllowed(["POST"])
    try:
        done = ACTIONS[action](request, item)
    except InvalidForm as exc:
        repeal_form = exc.form if isinstance(exc.form, RepealForm) else None
        return _detail_page(request, item, repeal_form=repeal_form, status=400)
    except CatalogueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("catalogue:detail", pk=item.pk)


# -- yearly figures -------------------------------------------------------------------------------

@login_required
def figures_index(request: HttpRequest) -> HttpResponse:
    """The yearly figures of the user's agencies, year by year, and the import form."""
    agencies = figures.agencies_for(request.user)
    return _figures_page(request, agencies, FiguresImportForm(agencies=agencies))


def _figures_page(request: HttpRequest, agencies: list[Agency], import_form: FiguresImportForm,
                  report: figures.FiguresImport | None = None, status: int = 200) -> HttpResponse:
    return render(request, "catalogue/figures.html", {
        "agencies": [(a, figures.year_rows(a)) for a in agencies], "import_form": import_form, "report": report,
    }, status=status)


@login_required
def figures_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Enter or change one agency-year's figures; only those the year's report format uses are shown."""
    agency = figures.agency_for(request.user, code)
    try:
        figures.check_year(year)
    except figures.FiguresError as exc:
        raise Http404(str(exc)) from None
    figure = YearlyFigure.objects.filter(agency=agency, year=year).first()
    form = FiguresForm(request.POST if request.method == "POST" else None, year=year, figure=figure)
    if request.method == "POST" and form.is_valid():
        try:
            change = figures.save_figures(agency, year, _user(request), form.cleaned_data)
        except CatalogueError as exc:
            messages.error(request, str(exc))
        else:
            if change.changes:
                messages.success(request, gettext("已保存%(agency)s%(year)s年度统计数（修改%(n)s项）") % {
                    "agency": agency.name, "year": year, "n": len(change.changes)})
            elif change.figure is None:
                messages.info(request, gettext("没有填写任何数字，未保存"))
            else:
                messages.info(request, gettext("数字没有变化，未保存"))
            return redirect("catalogue:figures_edit", code=agency.code, year=year)
    events = list(figure.events.select_related("actor")) if figure is not None else []
    return render(request, "catalogue/figures_form.html", {
        "agency": agency, "year": year, "format": figures.format_label(year), "form": form,
        "events": [(figures.ACTION_LABELS.get(e.action, e.action), _changes_text(e.changes), e) for e in events],
    }, status=400 if form.errors else 200)


def _changes_text(changes: dict[str, list[Any]]) -> str:
    """A logged change of the figures in a line: 行政处罚处理决定数量 5 → 未填写；… (English: …; …)."""
    blank = gettext("未填写")
    # In the order of the form: PostgreSQL's jsonb keeps its own order of the keys, not the log's.
    order = {name: i for i, name in enumerate(figures.FIELDS)}
    ordered = sorted(changes.items(), key=lambda change: order.get(change[0], len(order)))
    return clauses(f"{figures.label(name)} {blank if old is None else old} → {blank if new is None else new}"
                   for name, (old, new) in ordered)


@login_required
def figures_import(request: HttpRequest) -> HttpResponse:
    """Import a .csv or .xlsx of one agency's figures; the page reports every row not imported and why."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    agencies = figures.agencies_for(request.user)
    form = FiguresImportForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return _figures_page(request, agencies, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        report = figures.import_figures(form.cleaned_data["agency"], _user(request), upload.read(),
                                        upload.name or "")
    except ImportFileError as exc:
        form.add_error("file", str(exc))
        return _figures_page(request, agencies, form, status=400)
    except CatalogueError as exc:
        form.add_error(None, str(exc))
        return _figures_page(request, agencies, form, status=400)
    return _figures_page(request, agencies, FiguresImportForm(agencies=agencies), report)


@login_required
def figures_template(request: HttpRequest) -> HttpResponse:
    """An empty import file with every column (UTF-8 with BOM, so that Excel shows the Chinese)."""
    response = HttpResponse(figures.template_csv(), content_type="text/csv; charset=utf-8")
    name = quote("年度统计数.csv")
    response["Content-Disposition"] = f"attachment; filename=\"figures.csv\"; filename*=UTF-8''{name}"
    return response
