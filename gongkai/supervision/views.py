from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.agencies.models import Membership, Role

from .dashboard import rows, to_xlsx, trends


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The jurisdictions the user supervises, one table each."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        year = today.year - 1
    roots = [m.agency for m in Membership.objects.filter(user_id=int(request.user.pk or 0), role=Role.SUPERVISOR)
             .select_related("agency")]
    tables = [(root, rows(root, year, today), trends(root, year)) for root in roots]
    if request.GET.get("format") == "xlsx":
        data = to_xlsx([r for _, t, _ in tables for r in t], year)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename=supervision-{year}.xlsx"
        return response
    return render(request, "supervision/dashboard.html", {"tables": tables, "year": year, "today": today})
