"""Every change to the catalogue: the only writer of items, attachments and their event log.

The life of an item: 草稿 (draft) → 待审核 (submitted) → 已发布 (published by a reviewer, who
holds :attr:`Role.APPROVER`; the 索引号 and 发布日期 are given then) → 已撤回 (withdrawn), and from
there back to a draft to correct and publish again under the same 索引号.  A reviewer may also
send a submitted item back to its draft.  A published 规章 or 行政规范性文件 can be repealed
(废止): it stays in the catalogue with its 有效性 changed.

Each action checks the actor's role in the item's agency and the item's state, refuses what is
not allowed with a message saying why, changes the item in one transaction (its row locked),
appends an :class:`ItemEvent` (who, when, before, after, what changed) and brings the search
index in step (:mod:`gongkai.catalogue.search`) in the same transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.site.wording import clauses, long_date, series

from . import numbering, search
from .models import (
    NORMATIVE_KINDS,
    AgencyCatalogueSettings,
    Item,
    ItemAttachment,
    ItemEvent,
    State,
)

EDITORS = (Role.REGISTRAR, Role.HANDLER, Role.APPROVER, Role.ADMINISTRATOR)
REVIEWERS = (Role.APPROVER,)

# What a draft's author may set; 索引号, 状态, 发布日期 and 撤回日期 belong to the actions below.
EDITABLE_FIELDS = frozenset({
    "title", "summary", "publisher_name", "written_on", "document_number", "topic", "genre", "article20_item",
    "node", "kind", "issued_on", "amended_on", "effective_from", "expired_on", "repealed_on", "repeal_note",
    "interprets", "formed_or_changed_on", "body",
})


class CatalogueError(Exception):
    """An action the rules do not allow now; the message says why and what to do."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise  # the action's name: its button, its entry in the log
    doing: str | Promise  # what a role lacking it cannot do (…岗位，不能审核发布信息)
    sources: tuple[str, ...]
    target: str | None
    roles: tuple[str, ...]


# The action's name (its button, its entry in the log), and what someone without its role cannot do.
TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("edit", pgettext_lazy("catalogue action", "修改"), pgettext_lazy("what a role allows", "修改信息"),
               (State.DRAFT,), None, EDITORS),
    Transition("attach", pgettext_lazy("catalogue action", "添加附件"),
               pgettext_lazy("what a role allows", "添加附件信息"), (State.DRAFT,), None, EDITORS),
    Transition("remove_attachment", pgettext_lazy("catalogue action", "删除附件"),
               pgettext_lazy("what a role allows", "删除附件信息"), (State.DRAFT,), None, EDITORS),
    Transition("submit", pgettext_lazy("catalogue action", "提交审核"),
               pgettext_lazy("what a role allows", "提交审核信息"), (State.DRAFT,), State.IN_REVIEW, EDITORS),
    Transition("return", pgettext_lazy("catalogue action", "退回修改"),
               pgettext_lazy("what a role allows", "退回修改信息"), (State.IN_REVIEW,), State.DRAFT, REVIEWERS),
    Transition("publish", pgettext_lazy("catalogue action", "审核发布"),
               pgettext_lazy("what a role allows", "审核发布信息"), (State.IN_REVIEW,), State.PUBLISHED, REVIEWERS),
    Transition("withdraw", pgettext_lazy("catalogue action", "撤回"), pgettext_lazy("what a role allows", "撤回信息"),
               (State.PUBLISHED,), State.WITHDRAWN, REVIEWERS),
    Transition("revise", pgettext_lazy("catalogue action", "重新编辑"),
               pgettext_lazy("what a role allows", "重新编辑信息"), (State.WITHDRAWN,), State.DRAFT, EDITORS),
    Transition("repeal", pgettext_lazy("catalogue action", "废止"), pgettext_lazy("what a role allows", "废止信息"),
               (State.PUBLISHED,), None, REVIEWERS),
)}
_LABELS: dict[str, str | Promise] = {"create": pgettext_lazy("catalogue action", "起草"),
                                     "import": pgettext_lazy("catalogue action", "批量导入"),
                                     **{a: t.label for a, t in TRANSITIONS.items()}}


def action_label(action: str) -> str:
    return str(_LABELS.get(action, action))


# -- helpers --------------------------------------------------------------------------------------

def _require_role(actor: User, agency: Agency | int, roles: tuple[str, ...], what: str | Promise) -> None:
    """Refuse unless ``actor`` holds one of ``roles`` in ``agency``; ``what`` is what they cannot do
    (a verb phrase: 起草信息, in English "draft items")."""
    if not has_role(actor, agency, *roles):
        raise CatalogueError(gettext("您在本机关没有%(roles)s岗位，不能%(what)s；请联系管理员分配岗位") % {
            "roles": series(Role(r).label for r in roles), "what": what})


def _state_error(item: Item, action: str) -> CatalogueError:
    t = TRANSITIONS[action]
    return CatalogueError(gettext("“%(title)s”当前状态为“%(state)s”，不能%(action)s（只有“%(allowed)s”的信息可以）") % {
        "title": item.title, "state": State(item.state).label, "action": t.label,
        "allowed": series(State(s).label for s in t.sources)})


def _not_future(d: date, what: str | Promise) -> None:
    """Refuse a date later than today; ``what`` is the date's name (发布日期)."""
    if d > timezone.localdate():
        raise CatalogueError(gettext("%(what)s（%(day)s）晚于今天；请填写实际的日期") % {
            "what": what, "day": long_date(d)})


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        labels = {f.name: str(f.verbose_name) for f in Item._meta.fields}
        return clauses(gettext("%(field)s：%(errors)s") % {
            "field": labels.get(k, k), "errors": series(m for e in v for m in e.messages)}
            for k, v in exc.error_dict.items())
    return clauses(exc.messages)


def _full_clean(item: Item) -> None:
    try:
        item.full_clean()
    except ValidationError as exc:
        raise CatalogueError(_validation_message(exc)) from exc


def _apply_fields(item: Item, fields: dict[str, Any]) -> dict[str, list[Any]]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise CatalogueError(gettext("不能直接修改：%(fields)s") % {"fields": series(sorted(unknown))})
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        model_field = Item._meta.get_field(name)
        assert isinstance(model_field, models.Field)
        attname = model_field.attname
        before = getattr(item, attname)
        setattr(item, name, value)
        after = getattr(item, attname)
        if before != after:
            changes[name] = [_jsonable(before), _jsonable(after)]
    if "node" in fields and item.node is not None and item.article20_item is None:
        item.article20_item = item.node.article20_item
    if item.kind in NORMATIVE_KINDS and item.article20_item is None:
        item.article20_item = 1
    if "body" in changes:  # the HTML is long; the log keeps that it changed, not the text twice
        changes["body"] = ["…", "…"]
    return changes


def _log(item: Item, actor: User | None, action: str, before: str, data: dict[str, Any]) -> None:
    ItemEvent.objects.create(item=item, actor=actor if actor is not None and actor.is_authenticated else None,
                             action=action, state_before=before, state_after=item.state,
                             data={k: _jsonable(v) for k, v in data.items()})


def check_allowed(item: Item, actor: User, action: str) -> None:
    """Refuse (:class:`CatalogueError`) when ``actor`` may not do ``action`` to ``item`` now: the role
    and state checks of the action itself.  A view asks first so that it does not validate a form
    for someone who cannot use it; the action checks again on the locked row."""
    t = TRANSITIONS[action]
    _require_role(actor, item.agency_id, t.roles, t.doing)
    if item.state not in t.sources:
        raise _state_error(item, action)
    if action == "repeal":
        if not item.is_normative:
            raise CatalogueError(gettext("只有规章和行政规范性文件可以废止；其他信息不再适用时请撤回"))
        if item.repealed_on is not None:
            raise CatalogueError(gettext("“%(title)s”已于%(day)s废止") % {
                "title": item.title, "day": long_date(item.repealed_on)})


def _run(item: Item, actor: User, action: str, change: Callable[[Item], dict[str, Any]]) -> Item:
    """Lock the item, check role and state, apply ``change`` (returns the event's data), validate,
    save, log and re-index — atomically."""
    t = TRANSITIONS[action]
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        check_allowed(locked, actor, action)
        before = locked.state
        data = change(locked)
        if t.target is not None:
            locked.state = t.target
        _full_clean(locked)
        locked.save()
        _log(locked, actor, action, before, data)
        search.index_item(locked)
    item.refresh_from_db()
    return item


# -- drafting -------------------------------------------------------------------------------------

def create_draft(agency: Agency, actor: User, **fields: Any) -> Item:
    """A new draft of ``agency``'s catalogue; ``fields`` from :data:`EDITABLE_FIELDS`."""
    _require_role(actor, agency, EDITORS, pgettext_lazy("what a role allows", "起草信息"))
    with transaction.atomic():
        item = Item(agency=agency, created_by=actor if actor.is_authenticated else None)
        changes = _apply_fields(item, fields)
        _full_clean(item)
        item.save()
        _log(item, actor, "create", "", {"fields": sorted(changes)})
    return item


def edit_draft(item: Item, actor: User, **fields: Any) -> Item:
    """Change a draft's metadata or body; the event records each changed field, before and after."""
    return _run(item, actor, "edit", lambda i: {"changes": _apply_fields(i, fields)})


def submit_for_review(item: Item, actor: User) -> Item:
    def change(i: Item) -> dict[str, Any]:
        _ready_to_publish(i)
        return {}
    return _run(item, actor, "submit", change)


def return_to_draft(item: Item, actor: User, reason: str) -> Item:
    """A reviewer sends a submitted item back to its author, saying what to correct."""
    if not reason.strip():
        raise CatalogueError(gettext("退回修改时请写明需要修改的内容"))
    return _run(item, actor, "return", lambda i: {"reason": reason.strip()})


def _ready_to_publish(item: Item) -> None:
    missing = []
    if not item.title.strip():
        missing.append(pgettext_lazy("missing before publication", "名称"))
    if not item.body_text.strip() and not item.attachments.exists():
        missing.append(pgettext_lazy("missing before publication", "正文或附件"))
    if item.is_normative:
        if not item.document_number.strip():
            missing.append(pgettext_lazy("missing before publication", "文号"))
        if item.issued_on is None:
            missing.append(pgettext_lazy("missing before publication", "印发日期"))
    if missing:
        raise CatalogueError(gettext("“%(title)s”缺少%(missing)s，补全后才能提交审核或发布") % {
            "title": item.title or gettext("（无名称）"), "missing": series(missing)})


# -- publishing -----------------------------------------------------------------------------------

def region_code(agency: Agency) -> str:
    """The agency's 行政区划代码 for 索引号: its own, else the nearest agency above it with one,
    else the setting ``GONGKAI_REGION_CODE``."""
    node: Agency | None = agency
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        code = AgencyCatalogueSettings.objects.filter(agency=node).values_list("region_code", flat=True).first()
        if code:
            return code
        node = node.parent
    return getattr(settings, "GONGKAI_REGION_CODE", None) or os.environ.get("GONGKAI_REGION_CODE", "")


def assign_index_number(item: Item, on: date) -> str:
    """The item's 索引号: kept if it has one (never renumbered), else the next number (inside the
    caller's transaction)."""
    if item.index_number:
        return item.index_number
    try:
        return numbering.next_number(item.agency_id, agency_code=item.agency.code, on=on,
                                     region_code=region_code(item.agency),
                                     category_code=item.node.code if item.node is not None else "")
    except numbering.NumberingError as exc:
        raise CatalogueError(str(exc)) from exc


def publish(item: Item, actor: User, on: date | None = None) -> Item:
    """A reviewer publishes a submitted item: it gets its 索引号 and 发布日期 (``on``, default today;
    an item published before keeps both) and enters the search index."""
    day = on or timezone.localdate()
    _not_future(day, gettext_lazy("发布日期"))

    def change(i: Item) -> dict[str, Any]:
        _ready_to_publish(i)
        if i.published_on is None:
            if i.written_on is not None and day < i.written_on:
                raise CatalogueError(gettext("发布日期（%(day)s）早于成文日期（%(written)s）") % {
                    "day": long_date(day), "written": long_date(i.written_on)})
            i.published_on = day
        first = not i.index_number
        i.index_number = assign_index_number(i, i.published_on)
        i.withdrawn_on = None
        return {"index_number": i.index_number, "published_on": i.published_on, "first_publication": first}
    return _run(item, actor, "publish", change)


def withdraw(item: Item, actor: User, reason: str, on: date | None = None) -> Item:
    """Take a published item out of the catalogue (it leaves the search index; its 索引号 stays its own)."""
    if not reason.strip():
        raise CatalogueError(gettext("撤回信息时请写明原因"))
    day = on or timezone.localdate()
    _not_future(day, gettext_lazy("撤回日期"))

    def change(i: Item) -> dict[str, Any]:
        assert i.published_on is not None
        if day < i.published_on:
            raise CatalogueError(gettext("撤回日期（%(day)s）早于发布日期（%(published)s）") % {
                "day": long_date(day), "published": long_date(i.published_on)})
        i.withdrawn_on = day
        return {"reason": reason.strip(), "withdrawn_on": day}
    return _run(item, actor, "withdraw", change)


def revise(item: Item, actor: User) -> Item:
    """A withdrawn item back to a draft, to correct and publish again under the same 索引号."""
    return _run(item, actor, "revise", lambda i: {"index_number": i.index_number})


def repeal(item: Item, actor: User, on: date, note: str = "") -> Item:
    """废止 a published 规章 or 行政规范性文件 from ``on``: its 有效性 becomes 废止 from that day,
    and the report counts it in the year's 本年废止件数.  ``on`` may not be later than today: the
    catalogue records a repeal that has taken effect (a later one is recorded on its day)."""
    _not_future(on, gettext_lazy("废止日期"))

    def change(i: Item) -> dict[str, Any]:  # a 规章 or 行政规范性文件 not yet repealed: check_allowed
        i.repealed_on = on
        i.repeal_note = note.strip()
        return {"repealed_on": on, "note": note.strip()}
    return _run(item, actor, "repeal", change)


# -- attachments ----------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024

# extension → (content type, the file's first bytes, one of which it must start with; () = text)
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "ofd": ("application/ofd", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "wps": ("application/vnd.ms-works", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04")),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "et": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04")),
    "zip": ("application/zip", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain", ()),
    "csv": ("text/csv", ()),
}


def max_attachment_bytes() -> int:
    return int(getattr(settings, "GONGKAI_CATALOGUE_MAX_ATTACHMENT_BYTES", MAX_ATTACHMENT_BYTES))


def check_attachment(name: str, size: int, head: bytes) -> str:
    """The content type of an acceptable attachment; :class:`CatalogueError` saying why not."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise CatalogueError(gettext("附件“%(name)s”的类型不允许；可以上传：%(types)s") % {
            "name": name, "types": series(sorted(ATTACHMENT_TYPES))})
    limit = max_attachment_bytes()
    if size > limit:
        raise CatalogueError(gettext("附件“%(name)s”大小为%(size)sMB，超过%(limit)sMB的上限") % {
            "name": name, "size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"})
    if size == 0:
        raise CatalogueError(gettext("附件“%(name)s”是空文件") % {"name": name})
    content_type, magics = ATTACHMENT_TYPES[ext]
    if magics and not any(head.startswith(m) for m in magics):
        raise CatalogueError(gettext("附件“%(name)s”的内容不是%(ext)s文件（扩展名与内容不符），请检查后重新上传") % {
            "name": name, "ext": ext})
    if not magics and b"\x00" in head:
        raise CatalogueError(gettext("附件“%(name)s”不是文本文件") % {"name": name})
    return content_type


def attach(item: Item, actor: User, upload: UploadedFile) -> ItemAttachment:
    """Add a file to a draft, through Django's storage (shared by every app server)."""
    name = os.path.basename(upload.name or "附件")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = check_attachment(name, upload.size or 0, head)
    created: list[ItemAttachment] = []

    def change(i: Item) -> dict[str, Any]:
        position = i.attachments.count()
        attachment = ItemAttachment(item=i, name=name, size=upload.size or 0, content_type=content_type,
                                    position=position, uploaded_by=actor if actor.is_authenticated else None)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        created.append(attachment)
        return {"attachment": attachment.pk, "name": name, "size": attachment.size}
    _run(item, actor, "attach", change)
    return created[0]


def remove_attachment(attachment: ItemAttachment, actor: User) -> None:
    item = attachment.item

    def change(i: Item) -> dict[str, Any]:
        a = i.attachments.get(pk=attachment.pk)
        name = a.name
        storage, storage_name = a.file.storage, a.file.name
        a.delete()
        if storage_name:
            transaction.on_commit(lambda: storage.delete(storage_name))
        return {"attachment": attachment.pk, "name": name}
    _run(item, actor, "remove_attachment", change)
