"""The staff desk: inbox, registration, the case page with its clock and timeline, the actions.

Views parse and validate; :mod:`.workflow` changes cases; :mod:`.selectors` fetches them within
the user's agencies.  A refused action comes back as a message saying why, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST

from gongkai.agencies.access import handling_agency_ids
from gongkai.agencies.models import Agency
from gongkai.site.wording import clauses

from . import clock, forms, letters, selectors, workflow
from .models import Case, State
from .workflow import WorkflowError


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_for(request.user)
    state = request.GET.get("state", "open")
    if state == "open":
        cases = cases.exclude(state=State.CLOSED)
    elif state in State.values:
        cases = cases.filter(state=state)
    if request.GET.get("mine"):
        cases = cases.filter(handler_id=request.user.pk)
    cases = selectors.search(cases, request.GET.get("q", ""))
    page = Paginator(cases.order_by("received_on", "id"), 50).get_page(request.GET.get("page"))
    calendar = clock.work_calendar()
    today = timezone.localdate()
    rows = [(case, selectors.case_clock(case, calendar, today)) for case in page]
    if request.GET.get("due") == "soon":
        rows = [r for r in rows if r[1].urgent or r[1].overdue]
    return render(request, "cases/inbox.html", {
        "rows": rows, "page": page, "states": State.choices, "state": state, "q": request.GET.get("q", ""),
    })


@login_required
def register(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.filter(pk__in=handling_agency_ids(request.user))
    form = forms.RegisterForm(request.POST or None)
    form.fields["agency"] = djforms.ModelChoiceField(queryset=agencies, label=gettext("受理机关"),
                                                     initial=agencies.first())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        received_on = data.pop("received_on")
        try:
            case = workflow.register(agency, request.user, received_on=received_on, **data)  # type: ignore[arg-type]
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("已登记，受理编号 %(number)s") % {"number": case.tracking_number})
            if case.possible_duplicate_of_id:
                messages.warning(request, gettext("可能是重复申请：与 %(earlier)s 相同或相近，请承办人判断") % {
                    "earlier": case.possible_duplicate_of})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/register.html", {"form": form})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    due = clock.answer_due(case) if case.received_on and case.state != State.CLOSED else None
    return render(request, "cases/detail.html", {
        "case": case, "due": due, "derivation": selectors.derivation(due) if due else [],
        "events": selectors.history(case),
        "attachments": case.attachments.all(), "actions": _available_actions(case),
        "action_label": workflow.action_label, "letters": _available_letters(case),
    })


def _available_letters(case: Case) -> list[tuple[str, str]]:
    from .models import LetterTemplate

    kinds = []
    if case.received_on:
        kinds.append(LetterTemplate.Kind.RECEIPT)
    if hasattr(case, "correction"):
        kinds.append(LetterTemplate.Kind.CORRECTION)
    if hasattr(case, "extension"):
        kinds.append(LetterTemplate.Kind.EXTENSION)
    if case.consultations.exists():
        kinds.append(LetterTemplate.Kind.CONSULTATION)
    if case.outcome:
        kinds.append(LetterTemplate.Kind.ANSWER)
    return [(k.value, str(k.label)) for k in kinds]


# action → (form class, call)
ACTIONS: dict[str, tuple[type[djforms.Form], Callable[[Case, Any, dict[str, Any]], Any]]] = {
    "confirm_receipt": (forms.OnForm, lambda c, u, d: workflow.confirm_receipt(c, u, d["on"])),
    "answer_on_the_spot": (forms.SpotForm, lambda c, u, d: workflow.answer_on_the_spot(
        c, u, d["outcome"], d["grounds"])),
    "decide": (forms.DecideForm, lambda c, u, d: workflow.decide(c, u, d["outcome"], d["decided_on"], d["grounds"])),
    "request_correction": (forms.CorrectionForm, lambda c, u, d: workflow.request_correction(
        c, u, d["requested_on"], d["items"], d["deadline"])),
    "receive_correction": (forms.OnForm, lambda c, u, d: workflow.receive_correction(c, u, d["on"])),
    "correction_lapsed": (forms.OnForm, lambda c, u, d: workflow.correction_lapsed(c, u, d["on"])),
    "start_consultation": (forms.ConsultationForm, lambda c, u, d: workflow.start_consultation(
        c, u, d["kind"], d["party"], d["sent_on"])),
    "consultation_reply": (forms.ReplyForm, lambda c, u, d: workflow.consultation_reply(
        c, u, d["consultation"], d["replied_on"], d["reply"])),
    "extend": (forms.ExtendForm, lambda c, u, d: workflow.extend(
        c, u, d["working_days"], d["approved_on"], d["reason"])),
    "send_fee_notice": (forms.FeeForm, lambda c, u, d: workflow.send_fee_notice(
        c, u, d["amount_yuan"], d["basis"], d["sent_on"])),
    "fee_paid": (forms.OnForm, lambda c, u, d: workflow.fee_paid(c, u, d["on"])),
    "fee_lapsed": (forms.OnForm, lambda c, u, d: workflow.fee_lapsed(c, u, d["on"])),
    "attach": (forms.AttachmentForm, lambda c, u, d: workflow.attach(c, u, d["file"])),
    "assign": (forms.AssignForm, lambda c, u, d: workflow.assign(c, u, d["handler"])),
    "set_reasonable_period": (forms.ReasonablePeriodForm, lambda c, u, d: workflow.set_reasonable_period(
        c, u, d["due_on"], d["notified_on"], d["reason"])),
}


def _form(action: str, case: Case, data: Any = None, files: Any = None) -> djforms.Form:
    form_class = ACTIONS[action][0]
    if form_class in (forms.ReplyForm, forms.AssignForm):
        return form_class(data, files, case=case, prefix=action)  # type: ignore[call-arg]
    return form_class(data, files, prefix=action)


def _available_actions(case: Case) -> list[tuple[str, str, djforms.Form]]:
    return [(name, workflow.action_label(name), _form(name, case)) for name in ACTIONS
            if case.state in workflow.TRANSITIONS[name].sources]


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if action not in ACTIONS:
        return HttpResponseNotAllowed(["POST"])
    form = _form(action, case, request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            name = form.fields[field].label if field in form.fields else ""
            said = clauses(str(e) for e in errors)
            messages.error(request, gettext("%(action)s：%(field)s %(errors)s") % {
                "action": workflow.action_label(action), "field": name, "errors": said})
        return redirect("cases:detail", pk=case.pk)
    try:
        ACTIONS[action][1](case, request.user, form.cleaned_data)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("已%(action)s") % {"action": workflow.action_label(action)})
    return redirect("cases:detail", pk=case.pk)


@login_required
def letter(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """A letter of the case as .docx or PDF."""
    case = selectors.case_for(request.user, pk)
    try:
        composed = letters.compose(case, kind)
    except letters.LetterError as exc:
        messages.error(request, str(exc))
        return redirect("cases:detail", pk=case.pk)
    if fmt == "pdf":
        data, content_type = letters.to_pdf(composed), "application/pdf"
    else:
        data = letters.to_docx(composed)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=content_type)
    filename = quote(f"{case.tracking_number}-{composed.title}.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """Reviews and lawsuits of the user's agencies: record one, record its result (report 第四部分)."""
    from .models import Appeal

    agency_ids = handling_agency_ids(request.user)
    form = forms.AppealForm(request.POST or None)
    form.fields["agency"].queryset = Agency.objects.filter(pk__in=agency_ids)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["tracking_number"].strip():
            case = selectors.cases_for(request.user).filter(
                tracking_number=data["tracking_number"].strip().upper()).first()
            if case is None:
                form.add_error("tracking_number", gettext("您的机关没有这个受理编号的申请"))
        if not form.errors:
            try:
                workflow.record_appeal(data["agency"], request.user, data["route"], data["filed_on"],  # type: ignore[arg-type]
                                       case=case, reference=data["reference"])
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, pgettext("an appeal recorded", "已登记"))
                return redirect("cases:appeals")
    listed = Appeal.objects.filter(agency_id__in=agency_ids).select_related("agency", "case")[:200]
    return render(request, "cases/appeals.html", {
        "form": form, "appeals": [(a, forms.AppealResultForm(prefix=f"a{a.pk}")) for a in listed]})


@login_required
@require_POST
def appeal_result(request: HttpRequest, pk: int) -> HttpResponse:
    from django.http import Http404

    from .models import Appeal

    appeal = Appeal.objects.filter(pk=pk, agency_id__in=handling_agency_ids(request.user)).first()
    if appeal is None:
        raise Http404(gettext("没有这件复议诉讼，或您无权查看"))
    form = forms.AppealResultForm(request.POST, prefix=f"a{pk}")
    if form.is_valid():
        try:
            workflow.decide_appeal(appeal, request.user, form.cleaned_data["result"],  # type: ignore[arg-type]
                                   form.cleaned_data["decided_on"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("已登记结果"))
    else:
        messages.error(request, gettext("请选择结果并填写审结日期"))
    return redirect("cases:appeals")
