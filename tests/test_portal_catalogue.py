"""The public catalogue pages: 公开目录, item lists, the item page, search, attachments, feed, sitemap."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.catalogue import services
from gongkai.catalogue.models import CatalogueNode, Topic
from tests.casekit import agency, staff
from tests.catalogkit import draft, normative, published

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.usefixtures("media")]

MARKUP_TITLE = '关于<script>alert("x")</script>规范性文件清理结果的公告'


@pytest.fixture
def county():
    office = agency("DYX", "大英县人民政府办公室")
    other = agency("PZ", "蓬溪县人民政府办公室")
    clerk, head = staff("clerk", office, Role.HANDLER), staff("head", office, Role.APPROVER)
    topic = Topic.objects.create(code="ZW", name="综合政务")
    policies = CatalogueNode.objects.create(agency=office, name="政策文件", code="ZC", article20_item=1)
    county_docs = CatalogueNode.objects.create(agency=office, name="县政府文件", parent=policies)
    norm = normative(office, clerk, head, "大英县行政规范性文件管理办法", date(2025, 3, 1), date(2025, 3, 3),
                     "大府办发〔2025〕3号", node=county_docs, topic=topic, genre="notice",
                     body='<p>第一条 为加强规范性文件管理。</p><script>steal()</script><p onclick="x()">第二条</p>')
    reading = published(office, clerk, head, "《大英县行政规范性文件管理办法》政策解读", date(2025, 3, 4),
                        "<p>解读正文：规范性文件的制定程序。</p>", interprets=norm)
    marked = published(office, clerk, head, MARKUP_TITLE, date(2025, 5, 1), "<p>清理规范性文件共十件。</p>",
                       article20_item=1)
    gone = published(office, clerk, head, "已撤回的规范性文件通知", date(2025, 4, 1), "<p>规范性文件。</p>")
    services.withdraw(gone, head, "发布有误", on=date(2025, 4, 2))
    with_file = draft(office, clerk, "附有附件的通知", "<p>见附件。</p>")
    services.attach(with_file, clerk, SimpleUploadedFile("名单.pdf", b"%PDF-1.4 test", "application/pdf"))
    services.submit_for_review(with_file, clerk)
    services.publish(with_file, head, date(2025, 6, 1))
    hidden = draft(office, clerk, "未发布的规范性文件草稿")
    head2 = staff("head2", other, Role.HANDLER, Role.APPROVER)
    published(other, head2, head2, "蓬溪县工作动态", date(2025, 2, 1))
    for i in range(23):
        published(office, clerk, head, f"第{i + 1}号工作动态", date(2025, 1, 1 + i), "<p>动态。</p>")
    return {"office": office, "norm": norm, "reading": reading, "marked": marked, "gone": gone,
            "with_file": with_file, "hidden": hidden, "policies": policies, "county_docs": county_docs,
            "topic": topic, "head": head, "clerk": clerk}


def _get(path: str, status: int = 200, **params: str) -> str:
    response = Client().get(path, params)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def _results(page: str) -> str:
    return page.split('<ol class="results">')[1].split("</ol>")[0]


def test_the_directory_counts_article20_items_and_the_catalogue_tree(county) -> None:
    home = _get("/")
    assert 'href="/catalogue/"' in home and 'href="/search/"' in home
    page = _get("/catalogue/")
    assert "大英县人民政府办公室" in page and "（27条）" in page  # 4 + 23 published, not the withdrawn
    page = _get("/catalogue/DYX/")
    # 第二十条（一）: the normative document (kind → item 1) and the marked notice
    assert '<a href="/items/?agency=DYX&amp;article20=1">（一）行政法规、规章和规范性文件</a></th><td>2</td>' in page
    assert f'/items/?agency=DYX&amp;node={county["county_docs"].pk}">县政府文件</a> <span class="count">（1条）' in page
    assert "政策文件</a> <span class=\"count\">（0条，含下级栏目共1条）" in page
    assert '<meta name="viewport"' in page and '<main id="content">' in page
    _get("/catalogue/NOPE/", 404)


def test_lists_filter_paginate_and_leave_out_withdrawn_and_drafts(county) -> None:
    page = _get("/items/", agency="DYX")
    assert "共 27 条，第 1/2 页" in page
    assert "已撤回的规范性文件通知" not in page and "未发布的规范性文件草稿" not in page
    assert "蓬溪县工作动态" not in page
    assert 'href="?agency=DYX&amp;page=2" rel="next"' in page
    second = _get("/items/", agency="DYX", page="2")
    assert "第1号工作动态" in second and "第 2/2 页" in second
    by_node = _get("/items/", agency="DYX", node=str(county["county_docs"].pk))
    assert "大英县行政规范性文件管理办法" in by_node and "共 1 条" in by_node
    by_item = _get("/items/", agency="DYX", article20="1")
    assert "共 2 条" in by_item
    by_topic = _get("/items/", topic="ZW")
    assert "共 1 条" in by_topic
    assert "共 0 条" in _get("/items/", agency="DYX", validity="repealed")
    _get("/items/", 400, year="abc")
    _get("/items/", 404, node="999999")


def test_titles_with_markup_are_escaped_everywhere(county) -> None:
    number = county["marked"].index_number
    escaped = "关于&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;规范性文件清理结果的公告"
    for text in (_get("/items/", agency="DYX"), _get(f"/items/{number}/"), _get("/search/", q="清理"),
                 _get("/feed/")):
        assert "<script>alert" not in text
        assert escaped in text or "&lt;script&gt;" in text


def test_the_item_page_shows_metadata_sanitised_body_attachments_and_interpretations(county) -> None:
    norm, reading = county["norm"], county["reading"]
    page = _get(f"/items/{norm.index_number}/")
    for label, value in (("索引号", norm.index_number), ("发布机构", "大英县人民政府办公室"),
                         ("成文日期", "2025年3月1日"), ("发布日期", "2025年3月3日"), ("文号", "大府办发〔2025〕3号"),
                         ("主题分类", "综合政务"), ("体裁", "通知"), ("有效性", "有效")):
        assert f"<dt>{label}</dt><dd" in page and value in page, label
    assert "<p>第一条 为加强规范性文件管理。</p>" in page
    assert "steal()" not in page and "onclick" not in page
    assert f'href="/items/{reading.index_number}/">《大英县行政规范性文件管理办法》政策解读</a>' in page
    back = _get(f"/items/{reading.index_number}/")
    assert f'本文是对<a href="/items/{norm.index_number}/">《大英县行政规范性文件管理办法》</a>的政策解读' in back

    attached = county["with_file"]
    page = _get(f"/items/{attached.index_number}/")
    pk = attached.attachments.get().pk
    assert f'href="/files/{pk}/"' in page and "名单.pdf" in page
    response = Client().get(f"/files/{pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"


def test_the_item_page_queries_only_what_it_shows(county, django_assert_num_queries) -> None:
    marked = county["marked"]
    with django_assert_num_queries(1):  # the item with its agency, topic, node, and whether it has lists
        _get(f"/items/{marked.index_number}/")
    with django_assert_num_queries(2):  # and its 政策解读
        _get(f"/items/{county['norm'].index_number}/")
    with django_assert_num_queries(2):  # and its attachments
        _get(f"/items/{county['with_file'].index_number}/")


def test_unknown_withdrawn_and_draft_items_are_404(county) -> None:
    _get("/items/DYX-2099-000001/", 404)
    _get(f"/items/{county['gone'].index_number}/", 404)
    _get(f"/items/{county['hidden'].pk}/", 404)
    draft_file = draft(county["office"], county["clerk"], "草稿附件")
    services.attach(draft_file, county["clerk"], SimpleUploadedFile("a.txt", b"hello", "text/plain"))
    _get(f"/files/{draft_file.attachments.get().pk}/", 404)


def test_search_highlights_filters_pages_and_never_shows_withdrawn_items(county) -> None:
    page = _get("/search/", q="规范性文件")
    assert "<mark>规范性</mark><mark>文件</mark>" in page
    assert "大英县" in page and "已撤回的规范性文件通知" not in page and "未发布的规范性文件草稿" not in page
    assert '<label for="id_q">关键词</label>' in page and 'role="search"' in page
    assert "政策解读" in _results(page)
    filtered = _results(_get("/search/", q="规范性文件", article20="1", agency="DYX", year="2025",
                             validity="effective"))
    assert f'href="/items/{county["norm"].index_number}/"' in filtered
    assert f'href="/items/{county["marked"].index_number}/"' in filtered
    assert "政策解读" not in filtered  # no 第二十条 item of its own
    assert "没有找到相关信息" in _get("/search/", q="规范性文件", year="2024")
    assert "没有找到相关信息" in _get("/search/", q="规范性文件", topic="ZW", article20="5")

    first = _get("/search/", q="动态")  # 23 here and 1 in 蓬溪县
    assert first.count('<li><h3><a href="/items/') == 20
    assert 'rel="next">下一页</a>' in first
    next_href = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    second = Client().get("/search/" + next_href).content.decode()
    assert second.count('<li><h3><a href="/items/') == 4 and 'rel="next"' not in second
    assert "回到第一页" in second
    _get("/search/", 400, q="动态", after="nonsense")


def test_the_feed_and_sitemap_list_published_items_only(county) -> None:
    feed = _get("/feed/")
    assert feed.startswith('<?xml') and 'xmlns="http://www.w3.org/2005/Atom"' in feed
    assert "大英县行政规范性文件管理办法" in feed and f"/items/{county['norm'].index_number}/" in feed
    assert "已撤回的规范性文件通知" not in feed and "未发布的规范性文件草稿" not in feed
    sitemap = _get("/sitemap.xml")
    assert f"/items/{county['norm'].index_number}/</loc>" in sitemap
    assert f"/items/{county['gone'].index_number}/" not in sitemap
    assert "/catalogue/DYX/</loc>" in sitemap


def test_the_item_page_finds_its_item_by_an_index_not_a_scan() -> None:
    """The public lookup by 索引号 reads one index entry.  (The unique constraint is a partial index,
    which SQLite does not use for this query: with 200,000 items every item page took over a second.)"""
    from django.db import connection
    from django.http import Http404
    from django.test.utils import CaptureQueriesContext

    from gongkai.catalogue import selectors

    with CaptureQueriesContext(connection) as queries, pytest.raises(Http404):
        selectors.public_item("000014348/2026-00001")  # the query the item page runs
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING INDEX catalogue_item_index_number" in plan, plan
        else:  # PostgreSQL would read a table this small whole: ask it not to, to see which index it has
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "catalogue_item_index_number" in plan, plan


def test_an_items_interpretations_are_found_by_an_index_not_a_scan() -> None:
    """The item page's 政策解读 query reads the interpretations' index entries, in their order
    (without it, SQLite walked every published item newest first: 0.1 item pages a second at
    1,000,000 items)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.catalogue import selectors
    from gongkai.catalogue.models import Item

    with CaptureQueriesContext(connection) as queries:
        list(selectors.interpretations_of(Item(pk=1)))
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics; the scan was SQLite's")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX catalogue_item_interpretations" in plan, plan
