"""The staff desk of the catalogue: the items of the user's agencies, drafting, and the actions.

Views parse and validate; :mod:`.services` changes items (and refuses, with a message saying why);
:mod:`.selectors` fetches them within the user's agencies, so another agency's item is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from gongkai.agencies.access import handling_agency_ids, has_role
from gongkai.agencies.models import Agency

from . import selectors, services
from .forms import AttachmentForm, ItemForm, ReasonForm
from .models import Item, State
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
            messages.success(request, f"已保存草稿“{item.title}”")
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
            messages.error(request, f"“{item.title}”当前状态为“{item.get_state_display()}”，不能修改")
            return redirect("catalogue:detail", pk=item.pk)
        if form.is_valid():
            try:
                services.edit_draft(selectors.item_for(request.user, pk), _user(request), **form.service_fields())
            except CatalogueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已保存修改")
                return redirect("catalogue:detail", pk=item.pk)
        item = selectors.item_for(request.user, pk)  # the form changed its instance; show the stored one
    reviewer = has_role(request.user, item.agency_id, *REVIEWERS)
    editor = has_role(request.user, item.agency_id, *EDITORS)
    return render(request, "catalogue/detail.html", {
        "item": item, "form": form, "reviewer": reviewer, "editor": editor,
        "events": [(services.action_label(e.action), e) for e in item.events.select_related("actor")],
        "attachments": item.attachments.all(), "reason_form": ReasonForm(), "attachment_form": AttachmentForm(),
    }, status=400 if form is not None and form.errors else 200)


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise CatalogueError("请填写原因")
    return str(form.cleaned_data["reason"])


def _attach(request: HttpRequest, item: Item) -> str:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        raise CatalogueError("请选择要上传的附件文件")
    attachment = services.attach(item, _user(request), form.cleaned_data["file"])
    return f"已上传附件“{attachment.name}”"


def _remove_attachment(request: HttpRequest, item: Item) -> str:
    found = item.attachments.filter(pk=request.POST.get("attachment") or 0).first()
    if found is None:
        raise CatalogueError("没有这个附件")
    services.remove_attachment(found, _user(request))
    return f"已删除附件“{found.name}”"


ACTIONS: dict[str, Callable[[HttpRequest, Item], str]] = {
    "submit": lambda r, i: (services.submit_for_review(i, _user(r)), "已提交审核")[1],
    "return": lambda r, i: (services.return_to_draft(i, _user(r), _reason(r)), "已退回修改")[1],
    "publish": lambda r, i: f"已发布，索引号 {services.publish(i, _user(r)).index_number}",
    "withdraw": lambda r, i: (services.withdraw(i, _user(r), _reason(r)), "已撤回")[1],
    "revise": lambda r, i: (services.revise(i, _user(r)), "已转为草稿，可以修改后重新提交")[1],
    "attach": _attach,
    "remove_attachment": _remove_attachment,
}


@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = selectors.item_for(request.user, pk)
    if request.method != "POST" or action not in ACTIONS:
        return HttpResponseNotAllowed(["POST"])
    try:
        done = ACTIONS[action](request, item)
    except CatalogueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("catalogue:detail", pk=item.pk)
