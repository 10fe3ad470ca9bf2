"""The staff desk of the catalogue: scoped by agency, every action through the services, CSRF, uploads, 废止."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue import services
from gongkai.catalogue.models import CatalogueNode, Item, ItemAttachment, ItemEvent, State
from tests.casekit import agency, logged_in, messages_of, staff
from tests.catalogkit import draft, normative, published

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def desk():
    office = agency("DYX", "大英县人民政府办公室")
    other = agency("PZ", "蓬溪县人民政府办公室")
    clerk = staff("clerk", office, Role.HANDLER)
    head = staff("head", office, Role.APPROVER)
    outsider = staff("outsider", other, Role.HANDLER, Role.APPROVER)
    return {"office": office, "other": other, "clerk": clerk, "head": head, "outsider": outsider}


def test_a_draft_is_created_edited_submitted_published_withdrawn(desk) -> None:
    clerk, head = logged_in(desk["clerk"]), logged_in(desk["head"])
    node = CatalogueNode.objects.create(agency=desk["office"], name="通知公告")
    response = clerk.post("/desk/catalogue/new/", {
        "agency": desk["office"].pk, "title": "关于2025年春节放假的通知",
        "body": "<p>放假安排。</p><script>x()</script>", "kind": "other", "node": node.pk,
        "written_on": "2025-01-20"}, follow=True)
    item = Item.objects.get()
    assert response.redirect_chain[-1][0] == f"/desk/catalogue/{item.pk}/"
    assert "已保存草稿“关于2025年春节放假的通知”" in messages_of(response)
    assert item.body == "<p>放假安排。</p>" and item.created_by == desk["clerk"]

    response = clerk.post(f"/desk/catalogue/{item.pk}/", {"title": "关于2025年春节放假安排的通知",
                                                         "body": "<p>放假安排。</p>", "kind": "other"}, follow=True)
    assert "已保存修改" in messages_of(response)
    item.refresh_from_db()
    assert item.title == "关于2025年春节放假安排的通知" and item.node is None

    response = clerk.post(f"/desk/catalogue/{item.pk}/submit/", follow=True)
    assert "已提交审核" in messages_of(response)
    response = clerk.post(f"/desk/catalogue/{item.pk}/publish/", follow=True)  # a handler may not publish
    assert any("没有审核人" in m and "不能审核发布信息" in m for m in messages_of(response))
    assert Item.objects.get().state == State.IN_REVIEW

    response = head.post(f"/desk/catalogue/{item.pk}/publish/", follow=True)
    item.refresh_from_db()
    assert item.state == State.PUBLISHED and f"已发布，索引号 {item.index_number}" in messages_of(response)
    assert Client().get(f"/items/{item.index_number}/").status_code == 200

    response = head.post(f"/desk/catalogue/{item.pk}/withdraw/", {"reason": ""}, follow=True)
    assert "请填写原因" in messages_of(response)
    response = head.post(f"/desk/catalogue/{item.pk}/withdraw/", {"reason": "日期有误"}, follow=True)
    assert "已撤回" in messages_of(response)
    item.refresh_from_db()
    assert item.state == State.WITHDRAWN
    assert item.events.get(action="withdraw").data["reason"] == "日期有误"
    assert Client().get(f"/items/{item.index_number}/").status_code == 404
    page = head.get(f"/desk/catalogue/{item.pk}/").content.decode()
    assert "撤回：日期有误" in page and "已撤回" in page


def test_a_reviewer_returns_with_a_reason_and_refusals_aremessages_of(desk) -> None:
    item = draft(desk["office"], desk["clerk"], "待退回的通知", body="")
    clerk, head = logged_in(desk["clerk"]), logged_in(desk["head"])
    response = clerk.post(f"/desk/catalogue/{item.pk}/submit/", follow=True)
    assert any("缺少正文或附件" in m for m in messages_of(response))
    clerk.post(f"/desk/catalogue/{item.pk}/", {"title": "待退回的通知", "body": "<p>正文</p>", "kind": "other"})
    clerk.post(f"/desk/catalogue/{item.pk}/submit/")
    response = head.post(f"/desk/catalogue/{item.pk}/return/", {"reason": "请补充文号"}, follow=True)
    assert "已退回修改" in messages_of(response)
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert head.get(f"/desk/catalogue/{item.pk}/publish/").status_code == 405
    assert head.post(f"/desk/catalogue/{item.pk}/nonsense/").status_code == 405


def test_the_list_shows_the_users_agencies_with_warnings_and_nothing_else(desk) -> None:
    normative(desk["office"], desk["clerk"], desk["head"], "大英县行政规范性文件管理办法", date(2025, 3, 1),
              date(2025, 3, 3), "大府办发〔2025〕3号")
    draft(desk["office"], desk["clerk"], "本机关草稿")
    theirs = draft(desk["other"], desk["outsider"], "蓬溪县的草稿")
    page = logged_in(desk["clerk"]).get("/desk/catalogue/").content.decode()
    assert "本机关草稿" in page and "大英县行政规范性文件管理办法" in page and "蓬溪县的草稿" not in page
    assert 'data-code="no-interpretation"' in page and "尚未发布政策解读" in page
    assert "本机关草稿" not in logged_in(desk["clerk"]).get("/desk/catalogue/", {"state": "published"}).content.decode()
    # another agency's item does not exist for this user, to read or to act on
    assert logged_in(desk["clerk"]).get(f"/desk/catalogue/{theirs.pk}/").status_code == 404
    assert logged_in(desk["head"]).post(f"/desk/catalogue/{theirs.pk}/submit/").status_code == 404
    # a new draft can only be for the user's own agencies
    response = logged_in(desk["clerk"]).post("/desk/catalogue/new/", {"agency": desk["other"].pk, "title": "越权",
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
    clerk = logged_in(desk["clerk"])
    url = f"/desk/catalogue/{item.pk}/attach/"
    response = clerk.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")},
                          follow=True)
    assert any("附件“run.exe”的类型不允许" in m for m in messages_of(response))
    response = clerk.post(url, {"file": SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf")}, follow=True)
    assert any("扩展名与内容不符" in m for m in messages_of(response))
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048, "application/pdf")
    response = clerk.post(url, {"file": big}, follow=True)
    assert any("超过" in m and "上限" in m for m in messages_of(response))
    assert not ItemAttachment.objects.exists()

    response = clerk.post(url, {"file": SimpleUploadedFile("名单.pdf", b"%PDF-1.4 ok", "application/pdf")},
                          follow=True)
    assert "已上传附件“名单.pdf”" in messages_of(response)
    attachment = ItemAttachment.objects.get()
    response = clerk.post(f"/desk/catalogue/{item.pk}/remove_attachment/", {"attachment": attachment.pk},
                          follow=True)
    assert "已删除附件“名单.pdf”" in messages_of(response)
    assert not ItemAttachment.objects.exists()


# -- 废止 from the desk ----------------------------------------------------------------------------

def _normative(desk) -> Item:
    return normative(desk["office"], desk["clerk"], desk["head"], "大英县城乡居民医疗救助办法", date(2024, 5, 1),
                     date(2024, 5, 6), "大府规〔2024〕1号")


def test_a_reviewer_repeals_a_normative_document_from_the_desk(desk) -> None:
    doc = _normative(desk)
    head = logged_in(desk["head"])
    page = head.get(f"/desk/catalogue/{doc.pk}/").content.decode()
    assert f'action="/desk/catalogue/{doc.pk}/repeal/"' in page and 'name="note"' in page
    assert '<dd id="validity">有效</dd>' in page
    response = head.post(f"/desk/catalogue/{doc.pk}/repeal/", {"repealed_on": "2025-07-01",
                                                              "note": " 大府规〔2025〕3号 "}, follow=True)
    assert messages_of(response) == ["已废止“大英县城乡居民医疗救助办法”：自2025-07-01起有效性为“废止”"]
    doc.refresh_from_db()
    assert (doc.repealed_on, doc.repeal_note, doc.state) == (date(2025, 7, 1), "大府规〔2025〕3号", State.PUBLISHED)
    assert doc.validity_on(date(2025, 6, 30)) == "effective" and doc.validity_on(date(2025, 7, 1)) == "repealed"
    event = doc.events.last()
    assert (event.action, event.actor, event.state_before, event.state_after, event.data) == (
        "repeal", desk["head"], State.PUBLISHED, State.PUBLISHED,
        {"repealed_on": "2025-07-01", "note": "大府规〔2025〕3号"})
    page = response.content.decode()
    assert '<dd id="validity">废止</dd>' in page and "<dd>2025-07-01</dd>" in page
    assert "废止：2025-07-01（大府规〔2025〕3号）" in page  # the log
    assert f'action="/desk/catalogue/{doc.pk}/repeal/"' not in page  # repealed once only
    response = head.post(f"/desk/catalogue/{doc.pk}/repeal/", {"repealed_on": "2025-08-01", "note": "再次"},
                         follow=True)
    assert messages_of(response) == ["“大英县城乡居民医疗救助办法”已于2025年07月01日废止"]
    assert doc.events.filter(action="repeal").count() == 1


def test_an_editor_without_the_reviewer_role_cannot_repeal(desk) -> None:
    doc = _normative(desk)
    clerk = logged_in(desk["clerk"])
    assert "/repeal/" not in clerk.get(f"/desk/catalogue/{doc.pk}/").content.decode()
    for data in ({"repealed_on": "2025-07-01", "note": "大府规〔2025〕3号"}, {"repealed_on": "乱写"}):
        response = clerk.post(f"/desk/catalogue/{doc.pk}/repeal/", data, follow=True)
        assert messages_of(response) == [
            "您在本机关没有审核人（工作机构负责人）岗位，不能废止信息；请联系管理员分配岗位"]
    # another agency's reviewer: the item does not exist for them
    assert logged_in(desk["outsider"]).post(f"/desk/catalogue/{doc.pk}/repeal/", {
        "repealed_on": "2025-07-01", "note": "x"}).status_code == 404
    doc.refresh_from_db()
    assert (doc.repealed_on, doc.repeal_note) == (None, "")
    assert not doc.events.filter(action="repeal").exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"repealed_on": "2025-13-45", "note": "大府规〔2025〕3号"},
     "废止日期“2025-13-45”不是有效日期；请按 2025-07-01（年-月-日）的格式填写"),
    ({"repealed_on": "明天", "note": "大府规〔2025〕3号"},
     "废止日期“明天”不是有效日期；请按 2025-07-01（年-月-日）的格式填写"),
    ({"repealed_on": "", "note": "大府规〔2025〕3号"}, "请填写废止日期（废止决定施行之日），例如 2025-07-01"),
    ({"repealed_on": "2025-07-01", "note": "   "}, "请填写废止依据（废止决定的名称和文号），以便公众查询"),
    ({"repealed_on": "2025-07-01"}, "请填写废止依据（废止决定的名称和文号），以便公众查询"),
    ({"repealed_on": "2024-04-30", "note": "大府规〔2025〕3号"},
     "废止日期（2024-04-30）早于印发日期（2024-05-01）；请检查废止日期"),
])
def test_a_wrong_repeal_form_shows_why_and_changes_nothing(desk, data, message) -> None:
    doc = _normative(desk)
    response = logged_in(desk["head"]).post(f"/desk/catalogue/{doc.pk}/repeal/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    if data.get("note", "").strip():
        assert data["note"] in page  # what was typed is kept
    doc.refresh_from_db()
    assert (doc.repealed_on, doc.repeal_note) == (None, "")
    assert not doc.events.filter(action="repeal").exists()


def test_a_repeal_date_after_today_is_refused(desk) -> None:
    doc = _normative(desk)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    response = logged_in(desk["head"]).post(f"/desk/catalogue/{doc.pk}/repeal/", {
        "repealed_on": f"{tomorrow:%Y-%m-%d}", "note": "大府规〔2026〕9号"})
    assert response.status_code == 400
    assert (f"废止日期（{tomorrow:%Y-%m-%d}）晚于今天（{today:%Y-%m-%d}）；请填写已经到来的实际废止日期，"
            "废止日期在以后的，请到那天再登记") in response.content.decode()
    with pytest.raises(services.CatalogueError, match=r"废止日期.*晚于今天"):  # the service refuses it too
        services.repeal(doc, desk["head"], tomorrow, "大府规〔2026〕9号")
    doc.refresh_from_db()
    assert doc.repealed_on is None and not doc.events.filter(action="repeal").exists()


def test_only_normative_documents_can_be_repealed(desk) -> None:
    news = published(desk["office"], desk["clerk"], desk["head"], "2025年第一季度工作动态", date(2025, 4, 2))
    head = logged_in(desk["head"])
    page = head.get(f"/desk/catalogue/{news.pk}/").content.decode()
    assert "/repeal/" not in page and 'id="validity"' not in page
    response = head.post(f"/desk/catalogue/{news.pk}/repeal/", {"repealed_on": "2025-07-01", "note": "不再适用"},
                         follow=True)
    assert messages_of(response) == ["只有规章和行政规范性文件可以废止；其他信息不再适用时请撤回"]
    in_review = draft(desk["office"], desk["clerk"], "待审核的办法", kind="normative_document",
                      issued_on=date(2025, 1, 2), document_number="大府规〔2025〕1号")
    services.submit_for_review(in_review, desk["clerk"])
    response = head.post(f"/desk/catalogue/{in_review.pk}/repeal/", {"repealed_on": "2025-07-01", "note": "x"},
                         follow=True)
    assert messages_of(response) == ["“待审核的办法”当前状态为“待审核”，不能废止（只有“已发布”的信息可以）"]
    assert "/repeal/" not in response.content.decode()
    news.refresh_from_db()
    in_review.refresh_from_db()
    assert news.repealed_on is None and in_review.repealed_on is None
    assert not ItemEvent.objects.filter(action="repeal").exists()
