"""Chinese full-text search: known hits for known queries, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.agencies.models import Membership, Role
from gongkai.catalogue import search, services
from gongkai.catalogue.models import Item, Topic
from gongkai.catalogue.search import CursorError
from tests.casekit import agency, staff
from tests.catalogkit import draft, normative, published

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _titles(query: str, **filters) -> list[str]:
    return [h.item.title for h in search.search(query, limit=100, **filters).hits]


@pytest.fixture
def county():
    gov = agency("DY", "大英县人民政府")
    office = agency("DYX", "大英县人民政府办公室", parent=gov)
    health = agency("DYW", "大英县卫生健康局", parent=gov)
    clerk, head = staff("clerk", office, Role.HANDLER), staff("head", office, Role.APPROVER)
    for a in (gov, health):
        Membership.objects.create(user=clerk, agency=a, role=Role.HANDLER)
        Membership.objects.create(user=head, agency=a, role=Role.APPROVER)
    social = Topic.objects.create(code="SH", name="社会保障")
    medical = Topic.objects.create(code="SH-YB", name="医疗保障", parent=social)
    other_topic = Topic.objects.create(code="ZW", name="综合政务")
    items = {
        # the title has 医疗保险; the body has 城乡居民 and 缴费 far apart
        "title": published(health, clerk, head, "关于做好2025年城乡居民医疗保险参保工作的通知", date(2025, 3, 10),
                           "<p>各乡镇人民政府：</p><p>现就城乡居民参保有关事项通知如下。</p>"
                           "<p>一、集中缴费期为2025年1月1日至3月31日。</p>",
                           article20_item=11, topic=medical),
        # 医疗保险 only in the body, cut by a <span> from Word and by a wrapped line
        "body": published(gov, clerk, head, "大英县困难群众救助工作方案", date(2025, 6, 1),
                          "<p>对特困人员参加城乡居民基本医<span>疗保</span>险给予全额资助，"
                          "个人缴费部分由财政\n补贴。</p>",
                          article20_item=11, topic=social),
        # 医疗 and 保险 both present, but never as one word: the four-character query still finds it
        "apart": published(office, clerk, head, "关于印发养老保险经办规程的通知", date(2025, 5, 5),
                           "<p>本规程所称医疗救助对象，参加养老保险的，按规定执行。</p>", topic=other_topic),
        # 中华人民共和国 inside the longer word 中华人民共和国政府; 研究生 not in 研究生命
        "law": published(office, clerk, head, "政府信息公开工作年度报告", date(2024, 1, 20),
                         "<p>根据《中华人民共和国政府信息公开条例》编制。本单位研究生命科学项目1个。</p>",
                         article20_item=15, topic=other_topic),
        "tax": published(office, clerk, head, "减税降费政策汇编", date(2024, 2, 1),
                         "<p>税务部门办理。</p>", topic=other_topic),
        "rule": normative(gov, clerk, head, "大英县城乡居民医疗保险实施办法", date(2023, 5, 1), date(2023, 5, 8),
                          "大府规〔2023〕2号", topic=medical),
    }
    services.repeal(items["rule"], head, date(2025, 1, 1))
    withdrawn = published(office, clerk, head, "城乡居民医疗保险答问（已撤回）", date(2025, 7, 1))
    services.withdraw(withdrawn, head, "内容有误", date(2025, 7, 2))
    draft(office, clerk, "城乡居民医疗保险草稿")  # never published
    return {"gov": gov, "office": office, "health": health, "clerk": clerk, "head": head, "withdrawn": withdrawn,
            **items}


def test_a_word_is_found_whole_in_titles_and_bodies_and_titles_rank_first(county) -> None:
    page = search.search("医疗保险")
    # title matches first (newest first), then body matches (newest first); withdrawn and drafts never
    assert [h.item.title for h in page.hits] == [
        "关于做好2025年城乡居民医疗保险参保工作的通知",  # title, 2025-03-10
        "大英县城乡居民医疗保险实施办法",  # title, 2023-05-08
        "大英县困难群众救助工作方案",  # body (基本医<span>疗保</span>险), 2025-06-01
        "关于印发养老保险经办规程的通知",  # body has 医疗 and 保险 apart, 2025-05-05
    ]
    assert [h.in_title for h in page.hits] == [True, True, False, False]
    assert page.next_cursor is None


def test_every_query_word_must_match_wherever_it_is(county) -> None:
    # 城乡居民 and 缴费 are far apart in the first body, and in different sentences of the second
    assert _titles("城乡居民 缴费") == ["大英县困难群众救助工作方案", "关于做好2025年城乡居民医疗保险参保工作的通知"]
    assert _titles("城乡居民缴费") == _titles("城乡居民 缴费")  # the query is cut the same way
    assert _titles("缴费 救助 特困") == ["大英县困难群众救助工作方案"]
    assert _titles("财政补贴") == ["大英县困难群众救助工作方案"]  # a line wrapped inside 财政补贴
    assert _titles("医疗保险 减税") == []


def test_long_and_short_words_and_no_match_across_word_boundaries(county) -> None:
    assert _titles("中华人民共和国") == ["政府信息公开工作年度报告"]
    assert _titles("研究生") == []  # 研究/生命 in the text: a substring search would wrongly match
    assert _titles("生命科学") == ["政府信息公开工作年度报告"]
    assert _titles("税") == ["减税降费政策汇编"]  # one character: 减税 in the title, 税务 in the body
    assert _titles("ＸＹＺ不存在的词") == []
    assert _titles("，。！") == [h.item.title for h in search.search("").hits]  # no words: everything listed


def test_withdrawn_items_leave_the_index_and_come_back_when_published_again(county) -> None:
    withdrawn, clerk, head = county["withdrawn"], county["clerk"], county["head"]
    assert "城乡居民医疗保险答问（已撤回）" not in _titles("答问")
    services.revise(withdrawn, clerk)
    services.edit_draft(withdrawn, clerk, title="城乡居民医疗保险答问")
    services.submit_for_review(withdrawn, clerk)
    assert _titles("答问") == []  # submitted is not published
    services.publish(withdrawn, head)
    assert _titles("答问") == ["城乡居民医疗保险答问"]
    services.withdraw(withdrawn, head, "再次撤回")
    assert _titles("答问") == []


def test_filters_agency_item_topic_year_and_validity(county) -> None:
    gov, health = county["gov"], county["health"]
    assert _titles("医疗保险", agency_ids=[health.pk]) == ["关于做好2025年城乡居民医疗保险参保工作的通知"]
    assert _titles("医疗保险", agency_ids=gov.descendant_ids()) == _titles("医疗保险")
    assert _titles("医疗保险", article20_item=11) == ["关于做好2025年城乡居民医疗保险参保工作的通知",
                                                      "大英县困难群众救助工作方案"]
    social = Topic.objects.get(code="SH")
    assert _titles("医疗保险", topic=social) == ["关于做好2025年城乡居民医疗保险参保工作的通知",
                                                 "大英县城乡居民医疗保险实施办法", "大英县困难群众救助工作方案"]
    assert _titles("医疗保险", topic=Topic.objects.get(code="SH-YB").pk) == [
        "关于做好2025年城乡居民医疗保险参保工作的通知", "大英县城乡居民医疗保险实施办法"]
    assert _titles("医疗保险", year=2023) == ["大英县城乡居民医疗保险实施办法"]
    assert _titles("实施办法", validity="effective") == []
    assert _titles("实施办法", validity="repealed") == ["大英县城乡居民医疗保险实施办法"]
    assert _titles("实施办法", validity="effective", on=date(2024, 12, 31)) == ["大英县城乡居民医疗保险实施办法"]


def test_highlighted_title_and_snippet_are_escaped_with_marks(county) -> None:
    head, clerk, office = county["head"], county["clerk"], county["office"]
    published(office, clerk, head, "关于<试行>医疗保险办法的说明", date(2025, 8, 1),
              "<p>" + "前言" * 60 + "。&lt;script&gt;城乡居民医疗保险&amp;大病保险，详见附件。</p>")
    hits = {h.item.title: h for h in search.search("医疗保险").hits}
    hit = hits["关于<试行>医疗保险办法的说明"]
    assert hit.title_html == "关于&lt;试行&gt;<mark>医疗保险</mark>办法的说明"
    # 148 characters: the last 120, the first hit (at 133) inside; the whole word found, so only it is marked
    assert hit.snippet_html == (
        "…" + "前言" * 46 + "。&lt;script&gt;城乡居民<mark>医疗保险</mark>&amp;大病保险，详见附件。")
    # a body match without the whole word marks the parts it found
    assert hits["关于印发养老保险经办规程的通知"].snippet_html == (
        "本规程所称<mark>医疗</mark>救助对象，参加养老<mark>保险</mark>的，按规定执行。")
    assert hits["关于印发养老保险经办规程的通知"].title_html == "关于印发养老<mark>保险</mark>经办规程的通知"


def test_keyset_pages_deep_in_the_results(county) -> None:
    office, clerk, head = county["office"], county["clerk"], county["head"]
    for n in range(23):
        day = date(2025, 1, 1 + n % 20)  # several items share a day: the id breaks the tie
        published(office, clerk, head, f"第{n}期医保简报", day, "<p>医疗保险政策宣传。</p>")
    everything = search.search("医疗保险", limit=100, count=True)
    assert everything.total == 27
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = search.search("医疗保险", limit=4, after=cursor)
        seen += [h.item.pk for h in page.hits]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 7
    assert seen == [h.item.pk for h in everything.hits]
    assert len(set(seen)) == 27
    with pytest.raises(CursorError):
        search.search("医疗保险", after="1.2025-13-01.4")
    with pytest.raises(CursorError):
        search.search("医疗保险", after="nonsense")


def test_a_word_the_dictionary_does_not_know_is_found_only_as_typed(county) -> None:
    """The index holds 河, 长 and 制 apart (jieba does not know 河长制), so it finds the third item too;
    the search keeps the texts that hold 河长制 itself, and marks it whole."""
    office, gov, clerk, head = county["office"], county["gov"], county["clerk"], county["head"]
    in_title = published(office, clerk, head, "关于全面推行河长制的实施意见", date(2025, 4, 1), "<p>各级河长负责。</p>")
    in_body = published(gov, clerk, head, "水利工作要点", date(2025, 4, 2), "<p>落实河长制、湖长制。</p>")
    published(office, clerk, head, "黄河流域长期规划编制办法", date(2025, 4, 3), "<p>制度建设。</p>")
    page = search.search("河长制", count=True)
    assert [h.item.pk for h in page.hits] == [in_title.pk, in_body.pk]
    assert page.total == 2
    assert page.hits[0].title_html == "关于全面推行<mark>河长制</mark>的实施意见"
    assert "<mark>河长制</mark>" in page.hits[1].snippet_html
    assert _titles("水利 河长制") == ["水利工作要点"]
    assert _titles("河长制", year=2024) == []


def test_a_page_costs_the_same_queries_however_deep(county) -> None:
    with CaptureQueriesContext(connection) as first:
        page = search.search("医疗保险", limit=2)
    with CaptureQueriesContext(connection) as second:
        page = search.search("医疗保险", limit=2, after=page.next_cursor)
    assert [h.item.title for h in page.hits] == ["大英县困难群众救助工作方案", "关于印发养老保险经办规程的通知"]
    # a deeper page costs no more: it starts from its cursor, and nothing counts what went before
    assert len(second) <= len(first)
    if connection.vendor == "sqlite":  # the title tier, the other tier, the items
        assert len(second) == 3
    with CaptureQueriesContext(connection) as counted:
        assert search.search("医疗保险", count=True).total == 4
    assert len(counted) == len(first) + 1  # and the count


def test_the_index_is_rebuilt_from_the_published_items(county) -> None:
    before = _titles("医疗保险")
    search.backend().clear()
    assert _titles("医疗保险") == []
    assert search.rebuild_index() == Item.objects.filter(state="published").count() == 6
    assert _titles("医疗保险") == before
    search.backend().clear()
    out = io.StringIO()
    call_command("catalogue_reindex", stdout=out)
    assert out.getvalue() == "已索引6条已发布信息 / indexed 6 published items\n"
    assert _titles("医疗保险") == before


def test_the_index_rows_are_put_in_date_order_on_request(county) -> None:
    """``catalogue_reindex --date-order``: PostgreSQL rewrites its index table in 发布日期 order (after a
    bulk import of past years a search would read a table page per row); SQLite's keys are in date
    order already.  Searching finds the same afterwards."""
    before = _titles("医疗保险")
    search.backend().clear()  # written newest first, as an import of past years might
    for item in Item.objects.filter(state="published").order_by("-published_on", "-id"):
        search.index_item(item)

    def stored() -> list[date]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT published_on FROM catalogue_fts ORDER BY ctid")
            return [day for (day,) in cursor.fetchall()]

    if connection.vendor != "sqlite":
        assert stored() != sorted(stored())
    out = io.StringIO()
    call_command("catalogue_reindex", "--date-order", stdout=out)
    if connection.vendor == "sqlite":
        assert out.getvalue() == "SQLite: nothing to do (its index keys are in date order already)\n"
    else:
        assert out.getvalue().startswith("PostgreSQL: index rows rewritten in date order")
        assert stored() == sorted(stored()) and len(stored()) == 6
    assert _titles("医疗保险") == before
