"""Public pages: home, 公开指南, the online request form, and status lookup."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.agencies.models import Agency
from gongkai.cases import clock, online
from gongkai.cases.models import Case, State
from gongkai.cases.workflow import action_label

from .forms import LookupForm, RequestForm

# What an applicant may see of their request's history (not who handled it, nor internal steps).
_PUBLIC_ACTIONS = {"register", "confirm_receipt", "answer_on_the_spot", "request_correction", "receive_correction",
                   "correction_lapsed", "start_consultation", "consultation_reply", "extend", "send_fee_notice",
                   "fee_paid", "fee_lapsed", "decide"}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"agencies": Agency.objects.filter(is_active=True)})


def guide(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开指南 (第十二条): the office, how to ask, the deadlines."""
    agency = get_object_or_404(Agency, code=code, is_active=True)
    return render(request, "portal/guide.html", {"agency": agency})


def _client_address(request: HttpRequest) -> str:
    # Behind a proxy set GONGKAI_TRUST_X_FORWARDED_FOR=1 so that the client's address is used.
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def apply(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        try:
            done = online.submit(agency, _client_address(request), **data)
        except online.TooManySubmissions as exc:
            form.add_error(None, str(exc))
        else:
            request.session["submitted"] = {"tracking_number": done.case.tracking_number, "code": done.query_code}
            if done.case.email:
                send_mail(f"[政府信息公开申请] 受理编号 {done.case.tracking_number}",
                          f"您向{agency.name}提出的政府信息公开申请已提交。\n受理编号：{done.case.tracking_number}\n"
                          f"查询码：{done.query_code}\n工作人员确认收到后，答复期限自确认之日起计算（《条例》第三十一条）。",
                          settings.DEFAULT_FROM_EMAIL, [done.case.email])
            return redirect("portal:submitted")
    return render(request, "portal/apply.html", {"form": form}, status=400 if form.errors else 200)


def submitted(request: HttpRequest) -> HttpResponse:
    data = request.session.pop("submitted", None)
    if data is None:
        return redirect("portal:lookup")
    return render(request, "portal/submitted.html", data)


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    case: Case | None = None
    due = None
    if request.method == "POST" and form.is_valid():
        case = online.lookup(form.cleaned_data["tracking_number"], form.cleaned_data["query_code"])
        if case is None:
            form.add_error(None, "受理编号或查询码不对，请核对后再试")
        elif case.received_on and case.state != State.CLOSED:
            due = clock.answer_due(case)
    events = [(action_label(a), at) for a, at in case.events.order_by("at").values_list("action", "at")
              if a in _PUBLIC_ACTIONS] if case else []
    return render(request, "portal/lookup.html", {"form": form, "case": case, "due": due, "events": events})
