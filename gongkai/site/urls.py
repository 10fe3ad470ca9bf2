"""Root URL configuration."""

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from gongkai.annual.urls import public_urlpatterns as public_annual


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers in front of many app servers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": connection.vendor})


urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("desk/", include("gongkai.cases.urls")),
    path("desk/catalogue/", include("gongkai.catalogue.urls")),
    path("desk/annual/", include("gongkai.annual.urls")),
    path("desk/supervision/", include("gongkai.supervision.urls")),
    path("reports/", include((public_annual, "public_annual"))),
]
