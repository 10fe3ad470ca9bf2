"""The admin configures topics, catalogue nodes and settings; items and yearly figures are read-only there."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.catalogue.models import YearlyFigure
from tests.casekit import agency, staff
from tests.catalogkit import published

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_configuration_pages_and_a_read_only_item() -> None:
    a = agency("DYX", "大英县人民政府办公室")
    item = published(a, staff("clerk", a, Role.HANDLER), staff("head", a, Role.APPROVER), "通知", date(2025, 3, 4))
    figure = YearlyFigure.objects.create(agency=a, year=2025, licensing_decisions=3)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root")
    client = Client()
    client.force_login(admin)
    for name in ("topic", "cataloguenode", "agencycataloguesettings"):
        assert client.get(f"/admin/catalogue/{name}/").status_code == 200, name
        assert client.get(f"/admin/catalogue/{name}/add/").status_code == 200, name
    # yearly figures are entered on the desk, which logs every change: the admin only shows them
    assert client.get("/admin/catalogue/yearlyfigure/").status_code == 200
    assert client.get("/admin/catalogue/yearlyfigure/add/").status_code == 403
    assert client.get(f"/admin/catalogue/yearlyfigure/{figure.pk}/change/").status_code == 200
    response = client.post(f"/admin/catalogue/yearlyfigure/{figure.pk}/change/",
                           {"agency": a.pk, "year": 2025, "licensing_decisions": 99})
    assert response.status_code == 403
    assert client.post(f"/admin/catalogue/yearlyfigure/{figure.pk}/delete/", {"post": "yes"}).status_code == 403
    figure.refresh_from_db()
    assert figure.licensing_decisions == 3
    assert client.get("/admin/catalogue/item/").status_code == 200
    assert client.get("/admin/catalogue/item/add/").status_code == 403
    page = client.get(f"/admin/catalogue/item/{item.pk}/change/")
    assert page.status_code == 200
    assert "DYX-2025-000001" in page.content.decode()
    response = client.post("/admin/catalogue/topic/add/", {"code": "ZW", "name": "综合政务", "position": 0})
    assert response.status_code == 302
