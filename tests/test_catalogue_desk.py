"""The staff desk of the catalogue: scoped by agency, every action through the services, CSRF, uploads."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.catalogue.models import CatalogueNode, Item, ItemAttachment, State
from tests.casekit import agency, staff
from tests.catalogkit import draft, normative

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk():
    office = agency("DYX", "大英县人民政府办公室")
    other = agency("PZ", "蓬溪县人民政府办公室")
    clerk = staff("clerk", office, Role.HANDLER)
    head = staff("head", office, Role.APPROVER)
    outsider = staff("outsider", other, Role.HANDLER, Role.APPROVER)
    return {"office": office, "other": other, "clerk": clerk, "head": head, "outsider": outsider}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_draft_is_created_edited_submitted_published_withdrawn(desk) -> None:
    clerk, head = _client(desk["clerk"]), _client(desk["head"])
    node = CatalogueNode.objects.create(agency=desk["office"], name="通知公告")
    response = clerk.post("/desk/catalogue/new/", {
        "agency": desk["office"].pk, "title": "关于2025年春节放假的通知",
        "body": "<p>放假安排。</p><script>x()</script>", "kind": "other", "node": node.pk,
        "written_on": "2025-01-20"}, follow=True)
    item = Item.objects.get()
    assert response.redirect_chain[-1][0] == f"/desk/catalogue/{item.pk}/"
    assert "已保存草稿“关于2025年春节放假的通知”" in _messages(response)
    assert item.body == "<p>放假安排。</p>" and item.created_by == desk["clerk"]

    response = clerk.post(f"/desk/catalogue/{item.pk}/", {"title": "关于2025年春节放假安排的通知",
                                                         "body": "<p>放假安排。</p>", "kind": "other"}, follow=True)
    assert "已保存修改" in _messages(response)
    item.refresh_from_db()
    assert item.title == "关于2025年春节放假安排的通知" and item.node is None

    response = clerk.post(f"/desk/catalogue/{item.pk}/submit/", follow=True)
    assert "已提交审核" in _messages(response)
    response = clerk.post(f"/desk/catalogue/{item.pk}/publish/", follow=True)  # a handler may not publish
    assert any("没有审核人" in m and "不能审核发布信息" in m for m in _messages(response))
    assert Item.objects.get().state == State.IN_REVIEW

    response = head.post(f"/desk/catalogue/{item.pk}/publish/", follow=True)
    item.refresh_from_db()
    assert item.state == State.PUBLISHED and f"已发布，索引号 {item.index_number}" in _messages(response)
    assert Client().get(f"/items/{item.index_number}/").status_code == 200

    response = head.post(f"/desk/catalogue/{item.pk}/withdraw/", {"reason": ""}, follow=True)
    assert "请填写原因" in _messages(response)
    response = head.post(f"/desk/catalogue/{item.pk}/withdraw/", {"reason": "日期有误"}, follow=True)
    assert "已撤回" in _messages(response)
    item.refresh_from_db()
    assert item.state == State.WITHDRAWN
    assert item.events.get(action="withdraw").data["reason"] == "日期有误"
    assert Client().get(f"/items/{item.index_number}/").status_code == 404
    page = head.get(f"/desk/catalogue/{item.pk}/").content.decode()
    assert "撤回：日期有误" in page and "已撤回" in page


def test_a_reviewer_returns_with_a_reason_and_refusals_are_messages(desk) -> None:
    item = draft(desk["office"], desk["clerk"], "待退回的通知", body="")
    clerk, head = _client(desk["clerk"]), _client(desk["head"])
    response = clerk.post(f"/desk/catalogue/{item.pk}/submit/", follow=True)
    assert any("缺少正文或附件" in m for m in _messages(response))
    clerk.post(f"/desk/catalogue/{item.pk}/", {"title": "待退回的通知", "body": "<p>正文</p>", "kind": "other"})
    clerk.post(f"/desk/catalogue/{item.pk}/submit/")
    response = head.post(f"/desk/catalogue/{item.pk}/return/", {"reason": "请补充文号"}, follow=True)
    assert "已退回修改" in _messages(response)
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert head.get(f"/desk/catalogue/{item.pk}/publish/").status_code == 405
    assert head.post(f"/desk/catalogue/{item.pk}/nonsense/").status_code == 405


def test_the_list_shows_the_users_agencies_with_warnings_and_nothing_else(desk) -> None:
    normative(desk["office"], desk["clerk"], desk["head"], "大英县行政规范性文件管理办法", date(2025, 3, 1),
              date(2025, 3, 3), "大府办发〔2025〕3号")
    draft(desk["office"], desk["clerk"], "本机关草稿")
    theirs = draft(desk["other"], desk["outsider"], "蓬溪县的草稿")
    page = _client(desk["clerk"]).get("/desk/catalogue/").content.decode()
    assert "本机关草稿" in page and "大英县行政规范性文件管理办法" in page and "蓬溪县的草稿" not in page
    assert 'data-code="no-interpretation"' in page and "尚未发布政策解读" in page
    assert "本机关草稿" not in _client(desk["clerk"]).get("/desk/catalogue/", {"state": "published"}).content.decode()
    # another agency's item does not exist for this user, to read or to act on
    assert _client(desk["clerk"]).get(f"/desk/catalogue/{theirs.pk}/").status_code == 404
    assert _client(desk["head"]).post(f"/desk/catalogue/{theirs.pk}/submit/").status_code == 404
    # a new draft can only be for the user's own agencies
    response = _client(desk["clerk"]).post("/desk/catalogue/new/", {"agency": desk["other"].pk, "title": "越权",
                                                                    "kind": "other"})
    assert response.status_code == 400 and not Item.objects.filter(title="越权").exists()
    # anonymous visitors are sent to log in
    assert Client().get("/desk/catalogue/").status_code == 302


def test_staff_forms_need_the_csrf_token(desk) -> None:
    item = draft(desk["office"], desk["clerk"], "草稿")
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk["clerk"])
    assert client.post(f"/desk/catalogue/{item.pk}/submit/").status_code == 403
    assert client.post("/desk/catalogue/new/", {"agency": desk["office"].pk, "title": "x"}).status_code == 403
    page = client.get(f"/desk/catalogue/{item.pk}/")
    token = page.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post(f"/desk/catalogue/{item.pk}/submit/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW


def test_uploads_of_the_wrong_type_or_size_are_refused_with_a_message(desk, settings) -> None:
    settings.GONGKAI_CATALOGUE_MAX_ATTACHMENT_BYTES = 1024
    item = draft(desk["office"], desk["clerk"], "有附件的草稿")
    clerk = _client(desk["clerk"])
    url = f"/desk/catalogue/{item.pk}/attach/"
    response = clerk.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")},
                          follow=True)
    assert any("附件“run.exe”的类型不允许" in m for m in _messages(response))
    response = clerk.post(url, {"file": SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf")}, follow=True)
    assert any("扩展名与内容不符" in m for m in _messages(response))
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048, "application/pdf")
    response = clerk.post(url, {"file": big}, follow=True)
    assert any("超过" in m and "上限" in m for m in _messages(response))
    assert not ItemAttachment.objects.exists()

    response = clerk.post(url, {"file": SimpleUploadedFile("名单.pdf", b"%PDF-1.4 ok", "application/pdf")},
                          follow=True)
    assert "已上传附件“名单.pdf”" in _messages(response)
    attachment = ItemAttachment.objects.get()
    response = clerk.post(f"/desk/catalogue/{item.pk}/remove_attachment/", {"attachment": attachment.pk},
                          follow=True)
    assert "已删除附件“名单.pdf”" in _messages(response)
    assert not ItemAttachment.objects.exists()
