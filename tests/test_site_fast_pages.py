"""The parts that make the public item page fast: the query built once (gongkai.site.prepared),
the frame rendered once per language (gongkai.site.frame), and the Jinja2 content (gongkai.site.jinja).
Each must give what the slow way gives."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.template import engines
from django.test import Client, RequestFactory
from django.utils import translation
from jinja2 import TemplateSyntaxError

from gongkai.agencies.models import Role
from gongkai.catalogue import selectors, services
from gongkai.catalogue.models import CatalogueNode, Item, Topic
from gongkai.site import frame
from gongkai.site.prepared import PreparedQuery
from tests.casekit import agency, staff
from tests.catalogkit import draft, normative, published

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def items():
    office = agency("DYX", "大英县人民政府办公室")
    clerk, head = staff("clerk", office, Role.HANDLER), staff("head", office, Role.APPROVER)
    parent = Topic.objects.create(code="ZW", name="综合政务")
    topic = Topic.objects.create(code="ZW-1", name="政务公开", parent=parent)
    node = CatalogueNode.objects.create(agency=office, name="政策文件", code="ZC", article20_item=1)
    norm = normative(office, clerk, head, "大英县行政规范性文件管理办法", date(2025, 3, 1), date(2025, 3, 3),
                     "大府办发〔2025〕3号", node=node, topic=topic, genre="notice", summary="第一行\n第二行")
    services.repeal(norm, head, date(2025, 9, 1), "被<新办法>代替")
    reading = published(office, clerk, head, "《管理办法》政策解读", date(2025, 3, 4), interprets=norm)
    with_file = draft(office, clerk, "附有附件的通知", "<p>见附件。</p>")
    services.attach(with_file, clerk, SimpleUploadedFile("名单.pdf", b"%PDF-1.4 test", "application/pdf"))
    services.submit_for_review(with_file, clerk)
    services.publish(with_file, head, date(2025, 6, 1))
    plain = published(office, clerk, head, "工作动态", date(2025, 1, 2))
    return {"norm": norm, "reading": reading, "with_file": with_file, "plain": plain, "head": head}


PAGE_FIELDS = ("id", "agency_id", "index_number", "title", "summary", "publisher", "written_on", "published_on",
               "document_number", "topic_id", "genre", "article20_item", "node_id", "kind", "effective_from",
               "expired_on", "repealed_on", "repeal_note", "interprets_id", "body", "state")


def test_the_prepared_item_is_the_item_the_orm_loads(items) -> None:
    for name, expected_flags in (("norm", (False, True)), ("reading", (False, False)),
                                 ("with_file", (True, False)), ("plain", (False, False))):
        stored = Item.objects.select_related("agency", "topic__parent", "node", "interprets").get(
            pk=items[name].pk)
        page = selectors.public_item(stored.index_number)
        assert {f: getattr(page, f) for f in PAGE_FIELDS} == {f: getattr(stored, f) for f in PAGE_FIELDS}, name
        assert (page.agency.code, page.agency.name) == (stored.agency.code, stored.agency.name)
        assert str(page.topic) == str(stored.topic) and page.node == stored.node, name
        assert page.interprets == stored.interprets, name
        assert (page.has_attachments, page.has_interpretations) == expected_flags, name
    page = selectors.public_item(items["norm"].index_number)
    assert str(page.topic) == "综合政务/政务公开" and page.node.name == "政策文件"
    assert page.repealed_on == date(2025, 9, 1) and page.repeal_note == "被<新办法>代替"
    assert selectors.public_item(items["reading"].index_number).interprets.title == "大英县行政规范性文件管理办法"


def test_a_prepared_query_is_built_once_per_connection_and_answers_for_each_value(items) -> None:
    built: list[str] = []

    def build(value: str):
        built.append(value)
        return Item.objects.filter(index_number=value).order_by()

    query = PreparedQuery(build, ("title", "published_on"))
    assert query.first(items["plain"].index_number) == {"title": "工作动态", "published_on": date(2025, 1, 2)}
    assert query.first(items["norm"].index_number) == {"title": "大英县行政规范性文件管理办法",
                                                        "published_on": date(2025, 3, 3)}
    assert query.first("no such number") is None
    assert len(built) == 1 and len(query._compiled) == 1 and connections["default"] in query._compiled


@pytest.mark.parametrize("build", [
    lambda v: Item.objects.filter(index_number=v, title=v),
    lambda v: Item.objects.filter(index_number__contains=v),
    lambda v: Item.objects.all(),
], ids=["twice", "changed by its lookup", "unused"])
def test_a_prepared_query_must_use_its_value_once_as_it_is(build) -> None:
    with pytest.raises(ValueError, match="must use it once"):
        PreparedQuery(build, ("title",)).first("X")


def test_the_remembered_frame_is_the_frame_rendered_each_time(items, settings) -> None:
    path = f"/items/{items['norm'].index_number}/"
    for language in ("zh-hans", "en"):
        remembered = [Client(HTTP_ACCEPT_LANGUAGE=language).get(path).content for _ in range(2)]
        settings.DEBUG = True  # each time, from the template
        fresh = Client(HTTP_ACCEPT_LANGUAGE=language).get(path).content
        settings.DEBUG = False
        assert remembered[0] == remembered[1] == fresh, language
    assert {key[1] for key in frame._frames} >= {"zh-hans", "en"}


def test_staff_and_visitors_with_a_message_get_their_own_frame(items) -> None:
    path = f"/items/{items['plain'].index_number}/"
    signed_in = Client()
    signed_in.force_login(items["head"])
    assert "退出" in signed_in.get(path).content.decode()
    page = Client().get(path).content.decode()
    assert "退出" not in page and ">head<" not in page

    request = RequestFactory().get(path)
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "您的申请已提交")
    response = Client().get("/")  # any response, to encode the cookie
    storage.update(response)
    visitor = Client()
    visitor.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    assert '<li class="success">您的申请已提交</li>' in visitor.get(path).content.decode()
    assert "您的申请已提交" not in Client().get(path).content.decode()


def test_the_item_page_fills_messages_with_escaped_values(items) -> None:
    repealed = Client().get(f"/items/{items['norm'].index_number}/").content.decode()
    assert "<dd>2025年9月1日（被&lt;新办法&gt;代替）</dd>" in repealed
    assert "<p>第一行<br>第二行</p>" in repealed
    with_file = Client().get(f"/items/{items['with_file'].index_number}/").content.decode()
    assert "（13\xa0字节）" in with_file
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/items/{items['norm'].index_number}/").content.decode()
    assert "1 September 2025 (被&lt;新办法&gt;代替)" in english


def test_the_translate_tag_takes_quoted_text_only() -> None:
    jinja = engines["jinja2"]
    with translation.override("en"):
        assert jinja.from_string('{% translate "正文" context "heading of an item\'s text" %}').render() == "Full text"
    with pytest.raises(TemplateSyntaxError, match="quoted message"):
        jinja.from_string("{% translate message %}")


def test_on_postgresql_the_item_query_is_prepared_and_planned_once_per_connection(items, settings) -> None:
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server to prepare statements on")

    def runs() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements "
                           "WHERE statement LIKE %s", ['%"catalogue_item"."index_number" = $%'])
            return int(cursor.fetchone()[0])

    before = runs()
    for name in ("plain", "norm", "plain"):
        assert selectors.public_item(items[name].index_number).title == items[name].title
    assert runs() == before + 3
    connection.health_check_done = False  # a new request: CONN_HEALTH_CHECKS tests the connection first
    selectors.public_item(items["plain"].index_number)
    assert connection.health_check_enabled and connection.health_check_done
    assert runs() == before + 4
    settings.PREPARED_STATEMENTS = False  # behind a pooler that cannot keep them
    selectors.public_item(items["plain"].index_number)
    assert runs() == before + 4


@pytest.mark.django_db(transaction=True)
def test_the_item_query_is_its_own_health_check(items, monkeypatch) -> None:
    """A request's first query on a reused connection: no SELECT 1 before it while the connection
    is sound; when the server has dropped it, the page is still found, on a new connection."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no connection to lose")
    number, title = items["plain"].index_number, items["plain"].title
    assert selectors.public_item(number).title == title
    checks = []
    usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or usable())

    connection.health_check_done = False  # a new request
    assert selectors.public_item(number).title == title
    assert checks == [] and connection.health_check_done

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(host=settings_dict["HOST"], port=settings_dict["PORT"] or None, user=settings_dict["USER"],
                         dbname=settings_dict["NAME"], autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone() == (True,)  # (waits)
    connection.health_check_done = False  # the next request
    assert selectors.public_item(number).title == title
    assert checks == [1]  # the failed query asked once whether the connection was at fault
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_remembered_translation_is_of_the_language_it_is_remembered_for() -> None:
    from gongkai.site.jinja import translated

    with translation.override("zh-hans"):
        assert translated("信息属性", language="en") == "Item details"
        assert translated("信息属性") == "信息属性"
    with translation.override("en"):
        assert translated("信息属性") == "Item details"
        assert translated("信息属性", language="zh-hans") == "信息属性"
    from gongkai.site.jinja import _formatted

    with translation.override("zh-hans"):
        assert _formatted("en", date(2025, 9, 1), "DATE_FORMAT") == "1 September 2025"
        assert _formatted("zh-hans", date(2025, 9, 1), "DATE_FORMAT") == "2025年9月1日"
