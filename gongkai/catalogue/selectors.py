"""Reading the catalogue: what the public may see, what staff work on, and what needs attention.

The public sees published items only (:func:`published_items`, :func:`public_item`); staff see
every item of the agencies where they hold a role (:func:`items_for`).  The warnings a desk
shows — a published 规章 or 行政规范性文件 without its 政策解读, and information published (or
still unpublished) later than 第二十六条's 20 working days — come from :func:`warnings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from gongkai.agencies.access import handling_agency_ids
from gongkai.agencies.models import Agency
from gongkai.calendar import CalendarUnknownError, WorkCalendar
from gongkai.calendar.deadline import PROACTIVE_DAYS
from gongkai.site.prepared import PreparedQuery
from gongkai.site.wording import long_date

from .models import NORMATIVE_KINDS, CatalogueNode, Item, ItemAttachment, State, Topic, validity_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

M = TypeVar("M", bound=Model)


def _topic_ids(topic: Topic | int) -> set[int]:
    root = topic if isinstance(topic, int) else topic.pk
    found, frontier = {root}, [root]
    while frontier:
        frontier = list(Topic.objects.filter(parent_id__in=frontier).exclude(pk__in=found)
                        .values_list("pk", flat=True))
        found.update(frontier)
    return found


def published_items(*, agency_ids: Iterable[int] | None = None, article20_item: int | None = None,
                    topic: Topic | int | None = None, year: int | None = None, validity: str | None = None,
                    on: date | None = None, node_id: int | None = None) -> QuerySet[Item]:
    """Published items, filtered: agencies (pass ``agency.descendant_ids()`` for a jurisdiction), a
    第二十条 item (1–15), a topic with the topics under it, the year of 发布日期, 有效性 on ``on``
    (default today; a :class:`~gongkai.catalogue.models.Validity` value), a catalogue node."""
    qs = Item.objects.filter(state=State.PUBLISHED)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    if article20_item is not None:
        qs = qs.filter(article20_item=article20_item)
    if topic is not None:
        qs = qs.filter(topic_id__in=_topic_ids(topic))
    if year is not None:
        qs = qs.filter(published_on__gte=date(year, 1, 1), published_on__lte=date(year, 12, 31))
    if validity:
        qs = qs.filter(validity_q(validity, on or timezone.localdate()))
    if node_id is not None:
        qs = qs.filter(node_id=node_id)
    return qs


# What the public item page shows, and nothing more: the item's own columns (in the model's
# order, which ``Model.from_db`` expects) and those of the rows it names.
_PAGE_ITEM_FIELDS = tuple(f.attname for f in Item._meta.concrete_fields if f.attname in {
    "id", "agency_id", "index_number", "title", "summary", "publisher_name", "written_on", "published_on",
    "document_number", "topic_id", "genre", "article20_item", "node_id", "kind", "effective_from", "expired_on",
    "repealed_on", "repeal_note", "interprets_id", "body", "state"})
_PAGE_RELATED = (
    "agency__code", "agency__name", "topic__name", "topic__parent_id", "topic__parent__name", "node__name",
    "interprets__index_number", "interprets__title", "interprets__state",
)

# Built by the ORM once per connection: Django's cost of building this query (five joins, two
# EXISTS) was larger than the database's cost of answering it, on every page view.
_PAGE_QUERY = PreparedQuery(
    lambda index_number: Item.objects.filter(state=State.PUBLISHED, index_number=index_number).order_by().annotate(
        has_attachments=Exists(ItemAttachment.objects.filter(item=OuterRef("pk"))),
        has_interpretations=Exists(Item.objects.filter(interprets=OuterRef("pk"), state=State.PUBLISHED))),
    _PAGE_ITEM_FIELDS + _PAGE_RELATED + ("has_attachments", "has_interpretations"))


class PageFlags(TypedDict):
    has_attachments: bool
    has_interpretations: bool


def _loaded(model: type[M], **values: Any) -> M:
    """``model`` as the ORM loads it from the database, with only ``values`` (the rest deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[n] for n in names])


def public_item(index_number: str) -> WithAnnotations[Item, PageFlags]:
    """A published item by its 索引号, with what its public page shows (404 for anything else:
    drafts and withdrawn items do not exist for the public).  ``has_attachments`` and
    ``has_interpretations`` say whether those lists need a query of their own (most items have neither).

    The item comes with its agency, topic (and the topic above it), catalogue node and the
    document it interprets, each with the columns the page shows, as ``select_related`` would."""
    row = _PAGE_QUERY.first(index_number)
    if row is None:
        raise Http404("没有这条信息")
    item = _loaded(Item, **{name: row[name] for name in _PAGE_ITEM_FIELDS})
    item.agency = _loaded(Agency, id=row["agency_id"], code=row["agency__code"], name=row["agency__name"])
    if row["topic_id"] is not None:
        topic = _loaded(Topic, id=row["topic_id"], name=row["topic__name"], parent_id=row["topic__parent_id"])
        if topic.parent_id is not None:
            topic.parent = _loaded(Topic, id=topic.parent_id, name=row["topic__parent__name"])
        item.topic = topic
    if row["node_id"] is not None:
        item.node = _loaded(CatalogueNode, id=row["node_id"], name=row["node__name"])
    if row["interprets_id"] is not None:
        item.interprets = _loaded(Item, id=row["interprets_id"], index_number=row["interprets__index_number"],
                                  title=row["interprets__title"], state=row["interprets__state"])
    page = cast("WithAnnotations[Item, PageFlags]", item)
    page.has_attachments = row["has_attachments"]
    page.has_interpretations = row["has_interpretations"]
    return page


def interpretations_of(item: Item) -> QuerySet[Item]:
    """The published 政策解读 of ``item``, newest first (what a list of them shows)."""
    return (item.interpretations.filter(state=State.PUBLISHED).order_by("-published_on", "-id")
            .only("id", "interprets_id", "index_number", "title", "published_on"))


def items_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Item]:
    """Every item, in any state, of the agencies where ``user`` holds a role (the staff desk)."""
    return Item.objects.filter(agency_id__in=handling_agency_ids(user)).select_related("agency", "topic", "node")


def item_for(user: AbstractBaseUser | AnonymousUser, pk: int) -> Item:
    try:
        return items_for(user).get(pk=pk)
    except Item.DoesNotExist:
        raise Http404("没有这条信息，或您无权查看") from None


# -- warnings -------------------------------------------------------------------------------------

def without_interpretation(agency_ids: Iterable[int]) -> QuerySet[Item]:
    """Published 规章 and 行政规范性文件 (not repealed) that no published 政策解读 interprets."""
    today = timezone.localdate()
    has_interpretation = Item.objects.filter(interprets=OuterRef("pk"), state=State.PUBLISHED)
    return (Item.objects.filter(agency_id__in=list(agency_ids), state=State.PUBLISHED, kind__in=NORMATIVE_KINDS)
            .exclude(validity_q("repealed", today))
            .exclude(Exists(has_interpretation))
            .order_by("-published_on", "-id"))


def publication_due(item: Item, calendar: WorkCalendar | None = None) -> tuple[date, bool] | None:
    """The last day to publish ``item`` under 第二十六条 (20 working days after it was formed or
    changed), and whether that date is provisional (a year whose holidays are not known yet);
    None when the formation date is not recorded."""
    if item.formed_or_changed_on is None:
        return None
    cal = calendar or _calendar()
    return cal.provisional_add_workdays(item.formed_or_changed_on, PROACTIVE_DAYS)


def _calendar() -> WorkCalendar:
    from gongkai.cases.clock import work_calendar  # the database's imported holiday schedules

    return work_calendar()


@dataclass(frozen=True)
class Warning:
    item: Item
    code: str  # "no-interpretation", "published-late", "overdue", "due-soon"
    message: str


def warnings(agency_ids: Iterable[int], today: date | None = None, calendar: WorkCalendar | None = None,
             soon: int = 3) -> list[Warning]:
    """What a desk should show for these agencies:

    * ``no-interpretation``: a published 规章 or 行政规范性文件 with no published 政策解读;
    * ``published-late``: published after its 第二十六条 date (recorded for the record);
    * ``overdue`` / ``due-soon``: not published yet, and past its date or within ``soon`` working
      days of it.
    """
    ids = list(agency_ids)
    day = today or timezone.localdate()
    cal = calendar or _calendar()
    found = [Warning(i, "no-interpretation", gettext("%(kind)s“%(title)s”（%(number)s）尚未发布政策解读") % {
                 "kind": i.get_kind_display(), "title": i.title, "number": i.index_number})
             for i in without_interpretation(ids)]
    dated = (Item.objects.filter(agency_id__in=ids, formed_or_changed_on__isnull=False)
             .exclude(state=State.WITHDRAWN).order_by("formed_or_changed_on", "id"))
    for item in dated:
        due = publication_due(item, cal)
        assert due is not None
        last, provisional = due
        words = {"title": item.title, "due": long_date(last)}
        if provisional:
            words["due"] = gettext("%(day)s（节假日安排未确认）") % {"day": words["due"]}
        if item.state == State.PUBLISHED:
            assert item.published_on is not None
            if item.published_on > last:
                words["published"] = long_date(item.published_on)
                try:
                    late = cal.workdays_between(last, item.published_on)
                except CalendarUnknownError:
                    message = gettext("“%(title)s”应于%(due)s前公开（第二十六条），实际%(published)s发布") % words
                else:
                    message = ngettext("“%(title)s”应于%(due)s前公开（第二十六条），实际%(published)s发布，"
                                       "晚了%(n)s个工作日",
                                       "“%(title)s”应于%(due)s前公开（第二十六条），实际%(published)s发布，"
                                       "晚了%(n)s个工作日", late) % {**words, "n": late}
                found.append(Warning(item, "published-late", message))
        elif day > last:
            found.append(Warning(item, "overdue",
                                 gettext("“%(title)s”应于%(due)s前公开（第二十六条），已逾期") % words))
        elif cal.provisional_add_workdays(day, soon)[0] >= last:
            found.append(Warning(item, "due-soon", gettext("“%(title)s”应于%(due)s前公开（第二十六条）") % words))
    return found
