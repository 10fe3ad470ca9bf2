"""Public pages of the proactive-disclosure catalogue (主动公开): 公开目录, item lists, the item page,
search, attachments, the Atom feed and the sitemap.

Everything here reads through :mod:`gongkai.catalogue.selectors` and :mod:`gongkai.catalogue.search`,
which show published items only: a draft or withdrawn item does not exist for the public (404).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Choices, Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Agency
from gongkai.catalogue import search as catalogue_search
from gongkai.catalogue import selectors
from gongkai.catalogue.models import Article20Item, CatalogueNode, Genre, Item, ItemAttachment, State
from gongkai.site.frame import framed

from .forms import CatalogueFilterForm

PER_PAGE = 20


def directory(request: HttpRequest) -> HttpResponse:
    """公开目录: every agency with the number of its published items."""
    counts = dict(selectors.published_items().values_list("agency_id").annotate(n=Count("id")).order_by())
    agencies = [(a, counts.get(a.pk, 0)) for a in Agency.objects.filter(is_active=True)]
    return render(request, "portal/catalogue/directory.html", {"agencies": agencies})


def _tree(nodes: list[CatalogueNode], counts: dict[int, int]) -> list[dict[str, Any]]:
    children: dict[int | None, list[CatalogueNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)

    def build(parent: int | None, depth: int) -> list[dict[str, Any]]:
        if depth > 20:
            return []
        out = []
        for n in children.get(parent, []):
            sub = build(n.pk, depth + 1)
            out.append({"node": n, "count": counts.get(n.pk, 0), "children": sub,
                        "total": counts.get(n.pk, 0) + sum(c["total"] for c in sub)})
        return out
    return build(None, 0)


def agency_directory(request: HttpRequest, code: str) -> HttpResponse:
    """One agency's 政府信息公开目录: the 第二十条 items and its own catalogue tree, with counts."""
    agency = get_object_or_404(Agency, code=code, is_active=True)
    items = selectors.published_items(agency_ids=[agency.pk])
    by_item = Counter(dict(items.filter(article20_item__isnull=False).values_list("article20_item")
                           .annotate(n=Count("id")).order_by()))
    by_node = dict(items.filter(node__isnull=False).values_list("node_id").annotate(n=Count("id")).order_by())
    nodes = list(CatalogueNode.objects.filter(agency=agency).order_by("position", "id"))
    return render(request, "portal/catalogue/agency.html", {
        "agency": agency, "total": items.count(), "tree": _tree(nodes, by_node),
        "article20": [(value, label, by_item.get(value, 0)) for value, label in Article20Item.choices],
    })


def _filters(form: CatalogueFilterForm) -> dict[str, Any]:
    data = form.cleaned_data
    agency = data.get("agency")
    return {"agency_ids": [agency.pk] if agency is not None else None, "article20_item": data.get("article20"),
            "topic": data.get("topic"), "year": data.get("year"), "validity": data.get("validity") or None}


def item_list(request: HttpRequest) -> HttpResponse:
    """Published items, newest first, filtered like the search page (and by catalogue node), paginated."""
    form = CatalogueFilterForm(request.GET or None)
    node: CatalogueNode | None = None
    if form.is_bound and not form.is_valid():
        return render(request, "portal/catalogue/list.html", {"form": form, "page": None}, status=400)
    filters = _filters(form) if form.is_bound else {}
    node_id = request.GET.get("node", "")
    if node_id:
        if not node_id.isdigit():
            raise Http404("没有这个栏目")
        node = get_object_or_404(CatalogueNode.objects.select_related("agency"), pk=int(node_id))
    items: QuerySet[Item] = selectors.published_items(**filters, node_id=node.pk if node else None)
    items = items.select_related("agency", "topic").defer("body").order_by("-published_on", "-id")
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/catalogue/list.html", {"form": form, "page": page, "node": node})


def _label(choices: type[Choices], value: Any) -> str:
    """What ``get_FOO_display()`` shows, without its cost: Django builds a dict of every choice, and
    translates every label, on each call (0.1 ms a page for 体裁 and 第二十条事项)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return "" if value is None else str(value)


def item_detail(request: HttpRequest, index_number: str) -> HttpResponse:
    """The item page: metadata, the sanitised body, attachments, and 政策解读 both ways."""
    item = selectors.public_item(index_number)
    interprets = item.interprets if item.interprets is not None and item.interprets.state == State.PUBLISHED \
        else None
    content = render_to_string("portal/catalogue/item.html", {
        "item": item, "validity": item.validity_on(timezone.localdate()),
        "genre": _label(Genre, item.genre), "article20_item": _label(Article20Item, item.article20_item),
        "interpretations": selectors.interpretations_of(item) if item.has_interpretations else (),
        "interprets": interprets,
        "attachments": item.attachments.only("id", "item_id", "name", "size") if item.has_attachments else (),
    }, request, using="jinja2")
    return framed(request, "portal/catalogue/framed.html", item.title, mark_safe(content))


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment of a published item (through the storage API; nothing of a draft is served)."""
    found = get_object_or_404(ItemAttachment.objects.select_related("item"), pk=pk, item__state=State.PUBLISHED)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    response = FileResponse(handle, content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def search(request: HttpRequest) -> HttpResponse:
    """全文检索: words anywhere in title, summary or body; filters; next page by cursor."""
    form = CatalogueFilterForm(request.GET or None)
    results = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                results = catalogue_search.search(form.cleaned_data.get("q") or "", **_filters(form),
                                                  after=request.GET.get("after") or None)
            except catalogue_search.CursorError:
                form.add_error(None, _("翻页参数无效，请重新检索"))
                status = 400
        else:
            status = 400
    return render(request, "portal/catalogue/search.html", {"form": form, "results": results,
                                                            "first_page": not request.GET.get("after")},
                  status=status)


# -- feed and sitemap -----------------------------------------------------------------------------

def _recent() -> QuerySet[Item]:
    return selectors.published_items().select_related("agency").defer("body").order_by("-published_on", "-id")


class LatestItemsFeed(Feed):  # type: ignore[type-arg]
    """Atom feed of the newest published items."""

    feed_type = Atom1Feed
    title = gettext_lazy("政府信息公开 · 最新主动公开信息")
    subtitle = gettext_lazy("各机关最新发布的主动公开政府信息")

    def link(self) -> str:
        return reverse("portal:items")

    def items(self) -> list[Item]:
        return list(_recent()[:30])

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        text = item.summary or item.body_text
        return text[:200] + ("…" if len(text) > 200 else "")

    def item_link(self, item: Item) -> str:
        return reverse("portal:item", args=[item.index_number])

    def item_guid(self, item: Item) -> str:
        return item.index_number

    def item_author_name(self, item: Item) -> str:
        return item.publisher

    def item_pubdate(self, item: Item) -> dt.datetime | None:
        if item.published_on is None:
            return None
        return timezone.make_aware(dt.datetime.combine(item.published_on, dt.time()))

    def item_updateddate(self, item: Item) -> dt.datetime:
        return item.updated_at


class ItemSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"
    limit = 5000

    def items(self) -> QuerySet[Item]:
        return selectors.published_items().only("index_number", "updated_at").order_by("id")

    def location(self, item: Item) -> str:
        return reverse("portal:item", args=[item.index_number])

    def lastmod(self, item: Item) -> dt.datetime:
        return item.updated_at


class PageSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"

    def items(self) -> list[str]:
        return [reverse("portal:home"), reverse("portal:directory"), reverse("portal:items"),
                *(reverse("portal:agency_directory", args=[c])
                  for c in Agency.objects.filter(is_active=True).values_list("code", flat=True))]

    def location(self, item: str) -> str:
        return item


SITEMAPS = {"pages": PageSitemap, "items": ItemSitemap}
