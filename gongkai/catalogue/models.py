"""The proactive-disclosure catalogue: items, their metadata, the event log and yearly figures.

An :class:`Item` is one piece of proactively disclosed information with the metadata the
catalogue shows (条例 第十二条: 索引, 名称, 内容概述, 生成日期; in practice also 发布机构, 文号,
主题分类, 体裁, 有效性, 成文日期 and 发布日期 — ``shared/spec/catalogue-metadata.md``).  It is
classified under one item of 第二十条 and placed in its agency's own catalogue
(:class:`CatalogueNode`).  规章 and 行政规范性文件 carry their issue, amendment and repeal dates:
the annual report's 第二部分 counts them (:mod:`gongkai.catalogue.yearend`).

Every change goes through :mod:`gongkai.catalogue.services`, which writes an :class:`ItemEvent`.
The body is sanitised on every save (:mod:`gongkai.catalogue.bodytext`), whoever saves it.
Yearly figures change only through :mod:`gongkai.catalogue.figures`, which writes a
:class:`YearlyFigureEvent`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .bodytext import html_to_text, sanitize_html

_CODE = RegexValidator(r"^[A-Za-z0-9-]+$", _("代码只能包含字母、数字和连字符"))


class Article20Item(models.IntegerChoices):
    """条例 第二十条: the information every agency discloses proactively, item by item."""

    ITEM_1 = 1, _("（一）行政法规、规章和规范性文件")
    ITEM_2 = 2, _("（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名")
    ITEM_3 = 3, _("（三）国民经济和社会发展规划、专项规划、区域规划及相关政策")
    ITEM_4 = 4, _("（四）国民经济和社会发展统计信息")
    ITEM_5 = 5, _("（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果")
    ITEM_6 = 6, _("（六）实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定")
    ITEM_7 = 7, _("（七）财政预算、决算信息")
    ITEM_8 = 8, _("（八）行政事业性收费项目及其依据、标准")
    ITEM_9 = 9, _("（九）政府集中采购项目的目录、标准及实施情况")
    ITEM_10 = 10, _("（十）重大建设项目的批准和实施情况")
    ITEM_11 = 11, _("（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况")
    ITEM_12 = 12, _("（十二）突发公共事件的应急预案、预警信息及应对情况")
    ITEM_13 = 13, _("（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况")
    ITEM_14 = 14, _("（十四）公务员招考的职位、名额、报考条件等事项以及录用结果")
    ITEM_15 = 15, _("（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息")


class DocumentKind(models.TextChoices):
    """What the report's 第二十条第（一）项 table counts."""

    RULE = "rule", _("规章")
    NORMATIVE = "normative_document", _("行政规范性文件")
    OTHER = "other", _("其他")


NORMATIVE_KINDS = (DocumentKind.RULE, DocumentKind.NORMATIVE)


class Genre(models.TextChoices):
    """体裁（文种）: the fifteen kinds of 《党政机关公文处理工作条例》 第八条, and 其他."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    CIRCULAR = "circular", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Validity(models.TextChoices):
    """有效性 on a given day, derived from the dates (never stored, so it is never stale)."""

    NOT_YET_EFFECTIVE = "not_yet_effective", _("尚未施行")
    EFFECTIVE = "effective", _("有效")
    REPEALED = "repealed", _("废止")
    EXPIRED = "expired", _("失效")


def validity_q(validity: str, on: date, prefix: str = "") -> models.Q:
    """Items whose 有效性 on ``on`` is ``validity`` (same rules as :meth:`Item.validity_on`)."""
    p = prefix

    def q(**kw: Any) -> models.Q:
        return models.Q(**{p + k: v for k, v in kw.items()})

    repealed = q(repealed_on__lte=on)
    expired = q(expired_on__lte=on) & ~repealed
    not_yet = q(effective_from__gt=on) & ~repealed & ~expired
    if validity == Validity.REPEALED:
        return repealed
    if validity == Validity.EXPIRED:
        return expired
    if validity == Validity.NOT_YET_EFFECTIVE:
        return not_yet
    if validity == Validity.EFFECTIVE:
        return ~repealed & ~expired & ~not_yet
    raise ValueError(f"unknown validity {validity!r}")


class Topic(models.Model):
    """主题分类 (e.g. the State Council's 国务院公文主题分类): the same list for every agency."""

    code = models.CharField(_("代码"), max_length=20, unique=True, validators=[_CODE])
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级分类"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name}/{self.name}" if self.parent_id and self.parent else self.name


class CatalogueNode(models.Model):
    """A heading of one agency's own 政府信息公开目录 (a tree: 法定主动公开内容 → 规划计划 → …)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="catalogue_nodes",
                               verbose_name=_("机关"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级栏目"))
    name = models.CharField(_("栏目名称"), max_length=100)
    code = models.CharField(_("信息类别代码"), max_length=20, blank=True, validators=[_CODE],
                            help_text=_("索引号格式含 {category_code} 时使用"))
    article20_item = models.PositiveSmallIntegerField(
        _("对应第二十条事项"), choices=Article20Item.choices, null=True, blank=True,
        help_text=_("新建信息选择本栏目时的默认值"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("目录栏目")
        verbose_name_plural = _("目录栏目")
        ordering = ["agency__code", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "parent", "name"], name="catalogue_node_unique_name"),
            models.UniqueConstraint(fields=["agency", "code"], condition=~models.Q(code=""),
                                    name="catalogue_node_unique_code"),
        ]

    def __str__(self) -> str:
        return " / ".join(n.name for n in self.path())

    def path(self) -> list[CatalogueNode]:
        nodes: list[CatalogueNode] = []
        node: CatalogueNode | None = self
        while node is not None and len(nodes) < 20:
            nodes.insert(0, node)
            node = node.parent
        return nodes

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("上级栏目必须属于同一机关")})
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("栏目不能是自己的下级")})
            node = node.parent


class AgencyCatalogueSettings(models.Model):
    """Per-agency catalogue settings: the 行政区划代码 used in 索引号 ({region_code})."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="catalogue_settings",
                                  verbose_name=_("机关"))
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True, validators=[_CODE],
                                   help_text=_("例如 510923；下级机关未填写时沿用上级机关的"))

    class Meta:
        verbose_name = _("目录设置")
        verbose_name_plural = _("目录设置")

    def __str__(self) -> str:
        return f"{self.agency} {self.region_code}"


class Item(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="catalogue_items",
                               verbose_name=_("公开机关"))
    index_number = models.CharField(_("索引号"), max_length=80, blank=True, editable=False,
                                    help_text=_("首次发布时生成，此后不再改变"))
    title = models.CharField(_("名称"), max_length=300)
    summary = models.TextField(_("内容概述"), blank=True)
    publisher_name = models.CharField(_("发布机构"), max_length=200, blank=True,
                                      help_text=_("联合发文时填写全部发文机关；留空即为公开机关"))
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True, editable=False)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="items",
                              verbose_name=_("主题分类"))
    genre = models.CharField(_("体裁（文种）"), max_length=20, choices=Genre.choices, blank=True)
    article20_item = models.PositiveSmallIntegerField(_("第二十条事项"), choices=Article20Item.choices, null=True,
                                                      blank=True)
    node = models.ForeignKey(CatalogueNode, null=True, blank=True, on_delete=models.PROTECT, related_name="items",
                             verbose_name=_("目录栏目"))

    # 规章 and 行政规范性文件 (report 第二部分 第二十条第（一）项)
    kind = models.CharField(_("文件类别"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True,
                                 help_text=_("规章的公布日期、行政规范性文件的印发日期（计入“本年制发件数”）"))
    amended_on = models.DateField(_("最近修订日期"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    expired_on = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("有效期届满之日的次日起失效"))
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    repeal_note = models.CharField(_("废止依据"), max_length=300, blank=True)

    interprets = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="interpretations", verbose_name=_("解读的文件"),
                                   help_text=_("本条信息是政策解读时，选择被解读的文件"))
    formed_or_changed_on = models.DateField(
        _("信息形成或变更日期"), null=True, blank=True,
        help_text=_("第二十六条：应自形成或者变更之日起20个工作日内公开"))

    body = models.TextField(_("正文"), blank=True)
    body_text = models.TextField(_("正文（纯文本）"), blank=True, editable=False)

    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("起草人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("主动公开信息")
        verbose_name_plural = _("主动公开信息")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["index_number"], condition=~models.Q(index_number=""),
                                    name="catalogue_item_index_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(state="published") | (models.Q(published_on__isnull=False)
                                                          & ~models.Q(index_number="")),
                name="catalogue_item_published_has_number_and_date"),
        ]
        indexes = [
            # The item page finds an item by its 索引号.  The unique constraint above is a partial
            # index (drafts have none), which SQLite uses only for a query that repeats its condition:
            # without this one, every item page scanned the published items.
            models.Index(fields=["index_number", "state"], name="catalogue_item_index_number"),
            # An item's 政策解读 on its page, newest first: SQLite otherwise walks every published
            # item in date order (the index below also gives that order).
            models.Index(fields=["interprets", "state", "published_on", "id"], name="catalogue_item_interpretations"),
            models.Index(fields=["state", "published_on", "id"]),
            models.Index(fields=["agency", "state", "published_on"]),
            models.Index(fields=["agency", "kind", "issued_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:  # a 索引号 once given is never changed (one indexed lookup per save)
            stored = Item.objects.filter(pk=self.pk).values_list("index_number", flat=True).first()
            if stored and self.index_number != stored:
                raise ValidationError(f"索引号 {stored} 已经发布，不能改为 {self.index_number or '空'}")
        self.body = sanitize_html(self.body)
        self.body_text = html_to_text(self.body)
        super().save(*args, **kwargs)

    @property
    def publisher(self) -> str:
        return self.publisher_name or self.agency.name

    @property
    def is_normative(self) -> bool:
        return self.kind in NORMATIVE_KINDS

    @property
    def is_interpretation(self) -> bool:
        return self.interprets_id is not None

    def validity_on(self, on: date) -> Validity:
        """有效性 on ``on``: 废止 from the repeal date, 失效 from the expiry date, 尚未施行 before the
        date it takes effect, else 有效 (also for information that has no such dates)."""
        if self.repealed_on is not None and self.repealed_on <= on:
            return Validity.REPEALED
        if self.expired_on is not None and self.expired_on <= on:
            return Validity.EXPIRED
        if self.effective_from is not None and self.effective_from > on:
            return Validity.NOT_YET_EFFECTIVE
        return Validity.EFFECTIVE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.node_id is not None and self.node is not None and self.node.agency_id != self.agency_id:
            errors["node"] = gettext("目录栏目必须是本机关的栏目")
        if self.interprets_id is not None:
            if self.pk is not None and self.interprets_id == self.pk:
                errors["interprets"] = gettext("政策解读不能解读它自己")
            elif self.interprets is not None and self.interprets.interprets_id is not None:
                errors["interprets"] = gettext("被解读的应当是文件本身，而不是另一篇解读")
        for early, late, message in (
            ("written_on", "published_on", gettext("发布日期不能早于成文日期")),
            ("issued_on", "repealed_on", gettext("废止日期不能早于印发日期")),
            ("effective_from", "expired_on", gettext("失效日期不能早于施行日期")),
            ("issued_on", "amended_on", gettext("修订日期不能早于印发日期")),
        ):
            a, b = getattr(self, early), getattr(self, late)
            if a is not None and b is not None and b < a:
                errors.setdefault(late, message)
        if self.kind == DocumentKind.OTHER and self.repealed_on is not None:
            errors.setdefault("repealed_on", gettext("只有规章和行政规范性文件有废止日期，请先选择文件类别"))
        if errors:
            raise ValidationError(errors)


def attachment_path(instance: ItemAttachment, filename: str) -> str:
    return f"catalogue/{instance.item.agency.code}/{instance.item_id}/{filename}"


class ItemAttachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ItemEvent(models.Model):
    """The append-only audit log of an item: who did what, when, the state before and after, and
    for edits each changed field's old and new value."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=40)
    state_before = models.CharField(_("操作前状态"), max_length=20, blank=True)
    state_after = models.CharField(_("操作后状态"), max_length=20)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("信息操作记录")
        verbose_name_plural = _("信息操作记录")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("操作记录只能追加，不能修改 / item events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("操作记录不能删除 / item events are append-only")


class IndexCounter(models.Model):
    """The last 索引号 sequence number per agency and year (0: one run for all years)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="catalogue_index_counter_unique")]


class YearlyFigure(models.Model):
    """An agency's figures for the report's 第二十条第（五）（六）（八）（九）项 that the catalogue does not
    count itself: decisions (处理决定数量) and the fees collected.  Blank means not entered: the
    report leaves the cell unread rather than printing an invented 0.

    The 2021 format (2021 on) needs the decisions and the fee amount; the 2019 format (2019 and
    2020) needs, instead of the amount, the number of items (项目数量) at the end of each year —
    its 上一年项目数量 and 本年增/减 come from this year's and last year's rows — and 政府集中采购.

    Entered on the staff desk through :mod:`gongkai.catalogue.figures`, which logs every change in
    :class:`YearlyFigureEvent`; once logged, a row cannot be deleted (the log protects it).
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="yearly_figures",
                               verbose_name=_("机关"))
    year = models.PositiveSmallIntegerField(_("年度"))
    licensing_decisions = models.PositiveIntegerField(_("行政许可处理决定数量"), null=True, blank=True)
    penalty_decisions = models.PositiveIntegerField(_("行政处罚处理决定数量"), null=True, blank=True)
    coercion_decisions = models.PositiveIntegerField(_("行政强制处理决定数量"), null=True, blank=True)
    fee_amount = models.DecimalField(_("行政事业性收费金额（万元）"), max_digits=18, decimal_places=6, null=True,
                                     blank=True)
    # 2019 format only
    licensing_items = models.PositiveIntegerField(_("行政许可项目数量（年末）"), null=True, blank=True)
    other_services_items = models.PositiveIntegerField(_("其他对外管理服务事项项目数量（年末）"), null=True,
                                                       blank=True)
    other_services_decisions = models.PositiveIntegerField(_("其他对外管理服务事项处理决定数量"), null=True,
                                                           blank=True)
    penalty_items = models.PositiveIntegerField(_("行政处罚项目数量（年末）"), null=True, blank=True)
    coercion_items = models.PositiveIntegerField(_("行政强制项目数量（年末）"), null=True, blank=True)
    fee_items = models.PositiveIntegerField(_("行政事业性收费项目数量（年末）"), null=True, blank=True)
    procurement_projects = models.PositiveIntegerField(_("政府集中采购项目数量"), null=True, blank=True)
    procurement_amount = models.DecimalField(_("政府集中采购总金额（万元）"), max_digits=18, decimal_places=6,
                                             null=True, blank=True)

    class Meta:
        verbose_name = _("年度统计数")
        verbose_name_plural = _("年度统计数")
        ordering = ["agency__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="yearly_figure_unique"),
            models.CheckConstraint(condition=models.Q(fee_amount__gte=0) | models.Q(fee_amount__isnull=True),
                                   name="yearly_figure_fee_not_negative"),
            models.CheckConstraint(
                condition=models.Q(procurement_amount__gte=0) | models.Q(procurement_amount__isnull=True),
                name="yearly_figure_procurement_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年"


class YearlyFigureEvent(models.Model):
    """The append-only audit log of one agency-year's figures: who changed which figures, when, and
    each changed field's old and new value (``changes``: ``{field: [old, new]}``, ``None`` for not
    entered, amounts in 万元 as text such as ``"1.5"``)."""

    figure = models.ForeignKey(YearlyFigure, on_delete=models.PROTECT, related_name="events",
                               verbose_name=_("年度统计数"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=40)
    changes = models.JSONField(_("修改内容"), default=dict, blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True, help_text=_("导入时为文件名和行号"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("年度统计数修改记录")
        verbose_name_plural = _("年度统计数修改记录")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("修改记录只能追加，不能修改 / yearly figure events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("修改记录不能删除 / yearly figure events are append-only")
