"""The catalogue's services: the item workflow, 索引号, the event log, sanitising, attachments, warnings."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from gongkai.agencies.models import Role
from gongkai.catalogue import checks, search, selectors, services
from gongkai.catalogue.models import (
    AgencyCatalogueSettings,
    CatalogueNode,
    Item,
    ItemEvent,
    State,
    Validity,
)
from gongkai.catalogue.services import CatalogueError
from tests.casekit import agency, staff
from tests.catalogkit import draft, normative, published

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def office():
    a = agency("DYX", "大英县人民政府办公室")
    return a, staff("clerk", a, Role.HANDLER), staff("head", a, Role.APPROVER)


def test_index_numbers_run_per_agency_and_year_and_are_given_at_first_publication(office) -> None:
    a, clerk, head = office
    other = agency("SNS", "遂宁市某局")
    other_clerk, other_head = staff("oc", other, Role.HANDLER), staff("oh", other, Role.APPROVER)
    first = draft(a, clerk, "第一条")
    assert (first.index_number, first.published_on) == ("", None)
    services.submit_for_review(first, clerk)
    assert first.index_number == ""  # not at submission: only at publication
    services.publish(first, head, date(2025, 3, 4))
    numbers = [first.index_number]
    numbers += [published(a, clerk, head, f"第{n}条", date(2025, 5, n)).index_number for n in (2, 3)]
    numbers.append(published(a, clerk, head, "次年第一条", date(2026, 1, 5)).index_number)
    numbers.append(published(other, other_clerk, other_head, "别的机关", date(2025, 3, 4)).index_number)
    assert numbers == ["DYX-2025-000001", "DYX-2025-000002", "DYX-2025-000003", "DYX-2026-000001",
                       "SNS-2025-000001"]
    assert (first.state, first.published_on) == (State.PUBLISHED, date(2025, 3, 4))


def test_only_a_reviewer_publishes_and_a_refusal_uses_no_number(office) -> None:
    a, clerk, head = office
    item = draft(a, clerk, "关于某事项的通知")
    with pytest.raises(CatalogueError, match="当前状态为“草稿”，不能审核发布（只有“待审核”的信息可以）"):
        services.publish(item, head, date(2025, 3, 4))
    services.submit_for_review(item, clerk)
    with pytest.raises(CatalogueError, match="您在本机关没有审核人（工作机构负责人）岗位，不能审核发布信息"):
        services.publish(item, clerk, date(2025, 3, 4))
    stranger = staff("stranger", agency("XX", "别处"), Role.APPROVER)
    with pytest.raises(CatalogueError, match="没有审核人"):
        services.publish(item, stranger, date(2025, 3, 4))
    item.refresh_from_db()
    assert (item.state, item.index_number) == (State.IN_REVIEW, "")
    services.publish(item, head, date(2025, 3, 4))
    assert item.index_number == "DYX-2025-000001"
    with pytest.raises(CatalogueError, match="晚于今天"):
        services.publish(draft(a, clerk, "未来"), head, date(2999, 1, 1))


def test_a_published_number_is_never_changed_nor_reused(office) -> None:
    a, clerk, head = office
    item = published(a, clerk, head, "原文", date(2025, 3, 4))
    services.withdraw(item, head, "附件有误", date(2025, 3, 5))
    assert (item.state, item.index_number, item.withdrawn_on) == (State.WITHDRAWN, "DYX-2025-000001", date(2025, 3, 5))
    later = published(a, clerk, head, "另一条", date(2025, 3, 6))
    assert later.index_number == "DYX-2025-000002"  # the withdrawn item's number is not reused
    services.revise(item, clerk)
    services.edit_draft(item, clerk, body="<p>改正后的正文</p>")
    services.submit_for_review(item, clerk)
    services.publish(item, head, date(2025, 4, 1))
    assert (item.index_number, item.published_on, item.withdrawn_on) == ("DYX-2025-000001", date(2025, 3, 4), None)
    item.index_number = "DYX-2025-999999"
    with pytest.raises(ValidationError, match="索引号 DYX-2025-000001 已经发布"):
        item.save()
    with pytest.raises(CatalogueError, match="不能直接修改：index_number"):
        services.create_draft(a, clerk, title="x", index_number="A-1")


def test_the_pattern_is_per_deployment_with_region_category_and_date(office, settings) -> None:
    a, clerk, head = office
    county = agency("DY", "大英县人民政府")
    a.parent = county
    a.save()
    AgencyCatalogueSettings.objects.create(agency=county, region_code="510923")
    node = CatalogueNode.objects.create(agency=a, name="政策文件", code="ZC", article20_item=1)
    settings.GONGKAI_INDEX_NUMBER_PATTERN = "{region_code}-{agency_code}-{category_code}-{date:%Y%m%d}-{seq:04d}"
    item = published(a, clerk, head, "政策文件一", date(2025, 3, 4), node=node)
    assert item.index_number == "510923-DYX-ZC-20250304-0001"
    assert item.article20_item == 1  # taken from the node
    no_node = draft(a, clerk, "没有栏目")
    services.submit_for_review(no_node, clerk)
    with pytest.raises(CatalogueError, match="索引号格式需要信息类别代码"):
        services.publish(no_node, head, date(2025, 3, 4))
    assert Item.objects.get(pk=no_node.pk).state == State.IN_REVIEW

    settings.GONGKAI_INDEX_NUMBER_PATTERN = "{agency_code}/{seq:05d}"  # no year: one run for all years
    assert [published(a, clerk, head, t, d).index_number for t, d in (("甲", date(2024, 12, 30)),
                                                                      ("乙", date(2025, 1, 2)))] == [
        "DYX/00001", "DYX/00002"]
    settings.GONGKAI_INDEX_NUMBER_PATTERN = "{year}-{seq}"
    assert [m.id for m in checks.index_number_pattern()] == ["catalogue.E001"]
    assert "必须包含 {agency_code}" in checks.index_number_pattern()[0].msg
    settings.GONGKAI_INDEX_NUMBER_PATTERN = "{agency_code}-{month}-{seq}"
    assert "未知的部分 ['month']" in checks.index_number_pattern()[0].msg


def test_numbers_taken_by_imported_items_are_skipped(office) -> None:
    a, clerk, head = office
    Item.objects.create(agency=a, title="旧系统导入", index_number="DYX-2025-000002", state=State.PUBLISHED,
                        published_on=date(2025, 1, 2))
    numbers = [published(a, clerk, head, f"第{n}条", date(2025, 3, 4)).index_number for n in range(2)]
    assert numbers == ["DYX-2025-000001", "DYX-2025-000003"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_get_distinct_consecutive_numbers() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves several connections at once (PostgreSQL)")
    a = agency("DYX", "大英县人民政府办公室")
    clerk, head = staff("clerk", a, Role.HANDLER), staff("head", a, Role.APPROVER)
    items = []
    for n in range(8):
        item = draft(a, clerk, f"并发{n}")
        services.submit_for_review(item, clerk)
        items.append(item)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(batch: list[Item]) -> None:
        try:
            barrier.wait()
            for item in batch:
                services.publish(item, head, date(2025, 3, 4))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(items[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        numbers = sorted(Item.objects.values_list("index_number", flat=True))
        assert numbers == [f"DYX-2025-{n:06d}" for n in range(1, 9)]
    finally:
        search.backend().clear()


def test_every_change_is_logged_and_the_log_is_append_only(office) -> None:
    a, clerk, head = office
    item = draft(a, clerk, "初稿", written_on=date(2025, 3, 1))
    services.edit_draft(item, clerk, title="定稿", written_on=date(2025, 3, 2), summary="概述")
    services.submit_for_review(item, clerk)
    services.return_to_draft(item, head, "请补充内容概述的依据")
    services.submit_for_review(item, clerk)
    services.publish(item, head, date(2025, 3, 4))
    services.withdraw(item, head, "重复发布", date(2025, 3, 6))
    events = list(item.events.all())
    assert [(e.action, e.state_before, e.state_after, e.actor.username) for e in events] == [
        ("create", "", "draft", "clerk"),
        ("edit", "draft", "draft", "clerk"),
        ("submit", "draft", "in_review", "clerk"),
        ("return", "in_review", "draft", "head"),
        ("submit", "draft", "in_review", "clerk"),
        ("publish", "in_review", "published", "head"),
        ("withdraw", "published", "withdrawn", "head"),
    ]
    assert events[1].data == {"changes": {"title": ["初稿", "定稿"], "written_on": ["2025-03-01", "2025-03-02"],
                                          "summary": ["", "概述"]}}
    assert events[3].data == {"reason": "请补充内容概述的依据"}
    assert events[5].data == {"index_number": "DYX-2025-000001", "published_on": "2025-03-04",
                              "first_publication": True}
    with pytest.raises(ValidationError, match="append-only"):
        events[0].save()
    with pytest.raises(ValidationError, match="append-only"):
        events[0].delete()
    assert ItemEvent.objects.count() == 7


def test_drafts_are_checked_before_review(office) -> None:
    a, clerk, head = office
    doc = draft(a, clerk, "关于印发某办法的通知", kind="normative_document")
    with pytest.raises(CatalogueError, match="缺少文号、印发日期，补全后才能提交审核或发布"):
        services.submit_for_review(doc, clerk)
    empty = draft(a, clerk, "空白", body="<script>x()</script>")
    with pytest.raises(CatalogueError, match="缺少正文或附件"):
        services.submit_for_review(empty, clerk)
    with pytest.raises(CatalogueError, match="发布日期（2025年03月09日）早于成文日期（2025年03月10日）"):
        item = draft(a, clerk, "倒填", written_on=date(2025, 3, 10))
        services.submit_for_review(item, clerk)
        services.publish(item, head, date(2025, 3, 9))
    node = CatalogueNode.objects.create(agency=agency("QT", "其他机关"), name="别人的栏目")
    with pytest.raises(CatalogueError, match="目录栏目：目录栏目必须是本机关的栏目"):
        draft(a, clerk, "错栏目", node=node)
    with pytest.raises(CatalogueError, match="没有登记员、承办人、审核人（工作机构负责人）、管理员岗位"):
        draft(a, staff("outsider", agency("YY", "外单位"), Role.HANDLER), "越权")


def test_the_body_is_sanitised_on_every_save(office) -> None:
    a, clerk, _ = office
    item = draft(a, clerk, "通知", body=(
        '<p onclick="steal()" style="text-align:center;position:fixed">城乡居民基本医<span>疗保险</span></p>'
        '<script>alert(1)</script><style>p{display:none}</style>'
        '<p><a href="javascript:alert(1)">链接</a><img src="https://x.gov.cn/a.png" onerror="alert(1)"></p>'))
    assert item.body == ('<p style="text-align:center">城乡居民基本医<span>疗保险</span></p>'
                         '<p><a rel="noopener noreferrer">链接</a><img src="https://x.gov.cn/a.png"></p>')
    assert item.body_text == "城乡居民基本医疗保险\n链接"
    Item.objects.filter(pk=item.pk).update(body="")  # even a direct save is sanitised
    item.refresh_from_db()
    item.body = '<b onmouseover="x()">粗体</b><iframe src="https://evil"></iframe>'
    item.save()
    assert Item.objects.get(pk=item.pk).body == "<b>粗体</b>"


def test_attachments_are_checked_and_stored_through_the_storage(office, settings, tmp_path) -> None:
    a, clerk, head = office
    settings.MEDIA_ROOT = tmp_path
    item = draft(a, clerk, "附件测试", body="")
    pdf = services.attach(item, clerk, SimpleUploadedFile("方案.pdf", b"%PDF-1.7\n...", "application/pdf"))
    assert (pdf.name, pdf.size, pdf.content_type) == ("方案.pdf", 12, "application/pdf")
    assert pdf.file.name == f"catalogue/DYX/{item.pk}/方案.pdf"
    assert (tmp_path / pdf.file.name).read_bytes() == b"%PDF-1.7\n..."
    with pytest.raises(CatalogueError, match=r"附件“病毒\.exe”的类型不允许"):
        services.attach(item, clerk, SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", "application/pdf"))
    with pytest.raises(CatalogueError, match=r"附件“假\.pdf”的内容不是pdf文件（扩展名与内容不符）"):
        services.attach(item, clerk, SimpleUploadedFile("假.pdf", b"<html>", "application/pdf"))
    settings.GONGKAI_CATALOGUE_MAX_ATTACHMENT_BYTES = 1024 * 1024
    with pytest.raises(CatalogueError, match=r"大小为2\.0MB，超过1MB的上限"):
        services.attach(item, clerk, SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * (2 * 1048576 - 5)))
    assert [x.name for x in item.attachments.all()] == ["方案.pdf"]
    services.submit_for_review(item, clerk)  # an attachment is enough without a body
    services.publish(item, head, date(2025, 3, 4))
    with pytest.raises(CatalogueError, match="当前状态为“已发布”，不能添加附件"):
        services.attach(item, clerk, SimpleUploadedFile("再.pdf", b"%PDF-1.7"))
    assert [e.action for e in item.events.all()] == ["create", "attach", "submit", "publish"]


def test_repeal_changes_validity_from_the_day_and_only_for_normative_documents(office) -> None:
    a, clerk, head = office
    doc = normative(a, clerk, head, "某县行政规范性文件管理办法", date(2024, 5, 1), date(2024, 5, 6),
                    "大府规〔2024〕1号", effective_from=date(2024, 6, 1))
    assert [doc.validity_on(d) for d in (date(2024, 5, 20), date(2024, 6, 1))] == [
        Validity.NOT_YET_EFFECTIVE, Validity.EFFECTIVE]
    services.repeal(doc, head, date(2025, 7, 1), "大府规〔2025〕3号")
    assert (doc.repealed_on, doc.repeal_note, doc.state) == (date(2025, 7, 1), "大府规〔2025〕3号", State.PUBLISHED)
    assert [doc.validity_on(d) for d in (date(2025, 6, 30), date(2025, 7, 1))] == [Validity.EFFECTIVE,
                                                                                  Validity.REPEALED]
    with pytest.raises(CatalogueError, match="已于2025年07月01日废止"):
        services.repeal(doc, head, date(2025, 8, 1))
    news = published(a, clerk, head, "工作动态", date(2025, 3, 4))
    with pytest.raises(CatalogueError, match="只有规章和行政规范性文件可以废止"):
        services.repeal(news, head, date(2025, 7, 1))
    with pytest.raises(CatalogueError, match="没有审核人"):
        services.repeal(doc, clerk, date(2025, 7, 1))
    assert doc.events.last().data == {"repealed_on": "2025-07-01", "note": "大府规〔2025〕3号"}


def test_normative_documents_without_interpretation_are_warned_about(office) -> None:
    a, clerk, head = office
    doc = normative(a, clerk, head, "关于印发某补贴办法的通知", date(2025, 3, 1), date(2025, 3, 4), "大府规〔2025〕1号")
    published(a, clerk, head, "工作动态", date(2025, 3, 4))  # not a normative document: no warning
    found = selectors.warnings([a.pk], today=date(2025, 3, 5))
    assert [(w.code, w.item.pk, w.message) for w in found] == [
        ("no-interpretation", doc.pk, "行政规范性文件“关于印发某补贴办法的通知”（DYX-2025-000001）尚未发布政策解读")]
    reading = draft(a, clerk, "《某补贴办法》政策解读", interprets=doc)
    assert list(selectors.without_interpretation([a.pk])) == [doc]  # a draft interpretation does not count
    services.submit_for_review(reading, clerk)
    services.publish(reading, head, date(2025, 3, 5))
    assert list(selectors.without_interpretation([a.pk])) == []
    assert list(selectors.interpretations_of(doc)) == [reading]
    with pytest.raises(CatalogueError, match="被解读的应当是文件本身"):
        draft(a, clerk, "解读的解读", interprets=reading)


def test_the_twenty_working_day_rule_of_article_26(office) -> None:
    a, clerk, head = office
    # formed Monday 3 March 2025: 20 working days later is Monday 31 March
    late = published(a, clerk, head, "晚发布", date(2025, 4, 2), formed_or_changed_on=date(2025, 3, 3))
    published(a, clerk, head, "按时发布", date(2025, 3, 31), formed_or_changed_on=date(2025, 3, 3))
    waiting = draft(a, clerk, "待发布", formed_or_changed_on=date(2025, 3, 10))  # 清明 4 April: due Tuesday 8 April
    overdue = draft(a, clerk, "已逾期", formed_or_changed_on=date(2025, 2, 10))  # due Monday 10 March
    assert selectors.publication_due(waiting) == (date(2025, 4, 8), False)
    found = [(w.code, w.item.pk, w.message) for w in selectors.warnings([a.pk], today=date(2025, 4, 2))]
    assert found == [
        ("overdue", overdue.pk, "“已逾期”应于2025年03月10日前公开（第二十六条），已逾期"),
        ("published-late", late.pk,
         "“晚发布”应于2025年03月31日前公开（第二十六条），实际2025年04月02日发布，晚了2个工作日"),
        ("due-soon", waiting.pk, "“待发布”应于2025年04月08日前公开（第二十六条）"),
    ]
