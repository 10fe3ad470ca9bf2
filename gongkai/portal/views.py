"""Public pages: home, 公开指南, the online request form, and status lookup."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Agency
from gongkai.cases import clock, online
from gongkai.cases.models import Case, State

from .forms import LookupForm, RequestForm

# What an applicant may see of their request's history (not who handled it, nor internal steps), with the
# names of the steps as in gongkai.cases.workflow, translated.
_PUBLIC_ACTIONS = {
    "register": gettext_lazy("登记"), "confirm_receipt": gettext_lazy("确认收到"),
    "answer_on_the_spot": gettext_lazy("当场答复"), "request_correction": gettext_lazy("告知补正"),
    "receive_correction": gettext_lazy("收到补正"), "correction_lapsed": gettext_lazy("逾期未补正"),
    "start_consultation": gettext_lazy("征求意见"), "consultation_reply": gettext_lazy("收到意见"),
    "extend": gettext_lazy("延期答复"), "send_fee_notice": gettext_lazy("发出收费通知"),
    "fee_paid": gettext_lazy("缴费"), "fee_lapsed": gettext_lazy("逾期未缴费"), "decide": gettext_lazy("答复"),
}


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
                number = done.case.tracking_number
                send_mail(_("[政府信息公开申请] 受理编号 %(number)s") % {"number": number},
                          _("您向%(agency)s提出的政府信息公开申请已提交。\n受理编号：%(number)s\n查询码：%(code)s\n"
                            "工作人员确认收到后，答复期限自确认之日起计算（《条例》第三十一条）。")
                          % {"agency": agency.name, "number": number, "code": done.query_code},
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
            form.add_error(None, _("受理编号或查询码不对，请核对后再试"))
        elif case.received_on and case.state != State.CLOSED:
            due = clock.answer_due(case)
    events = [(_PUBLIC_ACTIONS[a], at) for a, at in case.events.order_by("at").values_list("action", "at")
              if a in _PUBLIC_ACTIONS] if case else []
    return render(request, "portal/lookup.html", {"form": form, "case": case, "due": due, "events": events})
