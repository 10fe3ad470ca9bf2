"""A disclosure request and everything that happens to it.

The case's *state* (where it is in the workflow) and its *outcome* (the report row it is counted
in) are separate fields.  Due dates are never stored as the only truth: they are computed from
the dated events (receipt, 补正, consultations, extension, fee notice) and the working-day
calendar, and can explain themselves (:mod:`gongkai.cases.clock`).  Every change goes through
:mod:`gongkai.cases.workflow`, which writes a :class:`CaseEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .outcomes import OUTCOMES


class ApplicantType(models.TextChoices):
    """Exactly the report's applicant columns (第三部分 申请人情况)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL_ENTERPRISE = "commercial_enterprise", _("商业企业")
    RESEARCH_INSTITUTION = "research_institution", _("科研机构")
    SOCIAL_WELFARE_ORG = "social_welfare_org", _("社会公益组织")
    LEGAL_SERVICE_ORG = "legal_service_org", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他组织")


class Channel(models.TextChoices):
    """How the request arrived; 第三十一条 fixes the day of receipt for each."""

    IN_PERSON = "in_person", _("当面提交")
    SIGNED_POST = "signed_post", _("邮寄（需签收）")
    ORDINARY_LETTER = "ordinary_letter", _("平常信函")
    ONLINE = "online", _("互联网")
    FAX = "fax", _("传真")
    ORAL = "oral", _("口头提出（代为填写）")


# Channels whose day of receipt is the day it is confirmed with the applicant (第三十一条).
CONFIRMED_CHANNELS = frozenset({Channel.ORDINARY_LETTER, Channel.ONLINE, Channel.FAX})


class State(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("待确认收到")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    CLOSED = "closed", _("已办结")


class Case(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases", verbose_name=_("受理机关"))
    tracking_number = models.CharField(_("受理编号"), max_length=40)
    state = models.CharField(_("状态"), max_length=30, choices=State.choices, default=State.IN_PROGRESS)
    outcome = models.CharField(_("办理结果"), max_length=60, choices=OUTCOMES, blank=True)

    # The applicant (第二十九条第二款第（一）项).  Personal data: visible to the handling agency only.
    applicant_type = models.CharField(_("申请人类型"), max_length=30, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("姓名或名称"), max_length=200)
    id_document = models.CharField(_("身份证明"), max_length=100, blank=True,
                                   help_text=_("证件类型和号码，或统一社会信用代码"))
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)

    # What is asked for (第二十九条第二款第（二）、（三）项).
    description = models.TextField(_("所需信息的名称、文号或特征描述"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    form_wanted = models.CharField(_("信息的形式要求"), max_length=100, blank=True, help_text=_("纸质、电子文档等"))
    delivery_wanted = models.CharField(_("获取信息的方式"), max_length=100, blank=True,
                                       help_text=_("邮寄、电子邮件、自行领取等"))

    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    submitted_on = models.DateField(_("提交或到达日期"))
    received_on = models.DateField(_("收到申请之日（第三十一条）"), null=True, blank=True)
    decided_on = models.DateField(_("答复日期"), null=True, blank=True)
    grounds = models.TextField(_("理由和依据"), blank=True)
    answered_on_the_spot = models.BooleanField(_("当场答复"), default=False)

    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="handled_cases", verbose_name=_("承办人"))
    query_code_hash = models.CharField(_("查询码（散列）"), max_length=128, blank=True,
                                       help_text=_("网上申请时发给申请人的查询码，只存散列"))
    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="possible_duplicates",
        verbose_name=_("可能的重复申请"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "tracking_number"], name="case_tracking_number_unique"),
            models.CheckConstraint(
                condition=models.Q(state=State.CLOSED, decided_on__isnull=False) & ~models.Q(outcome="")
                | ~models.Q(state=State.CLOSED) & models.Q(outcome=""),
                name="case_closed_iff_outcome"),
        ]
        indexes = [
            models.Index(fields=["agency", "received_on"]),
            models.Index(fields=["agency", "decided_on"]),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def clean(self) -> None:
        if self.received_on and self.received_on < self.submitted_on:
            raise ValidationError({"received_on": _("收到申请之日不能早于提交日期")})


class Correction(models.Model):
    """A request for 补正 (第三十条): once only; the answer period restarts on the corrected request."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="correction")
    requested_on = models.DateField(_("告知补正日期"))
    deadline = models.DateField(_("补正期限"))
    items = models.TextField(_("需要补正的事项"))
    received_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    lapsed = models.BooleanField(_("逾期未补正"), default=False)


class Consultation(models.Model):
    """A consultation of a third party (第三十二条) or another agency (第三十四条): time not counted."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("征求第三方意见（第三十二条）")
        OTHER_AGENCY = "other_agency", _("征求其他机关意见（第三十四条）")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    party = models.CharField(_("被征求意见方"), max_length=200)
    sent_on = models.DateField(_("发出征求意见函日期"))
    replied_on = models.DateField(_("收到意见日期"), null=True, blank=True)
    reply = models.TextField(_("意见"), blank=True)

    class Meta:
        ordering = ["sent_on", "id"]


class Extension(models.Model):
    """The one extension (第三十三条第二款): the office head's consent, the applicant told."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="extension")
    working_days = models.PositiveSmallIntegerField(_("延长工作日数"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("同意延期的负责人"))
    approved_on = models.DateField(_("同意日期"))
    reason = models.TextField(_("延期理由"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(working_days__gte=1, working_days__lte=20),
                                   name="extension_at_most_20_working_days"),
        ]


class FeeNotice(models.Model):
    """A 信息处理费 notice (第四十二条, 国办函〔2020〕109号): the clock waits until payment."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="fee_notice")
    amount_yuan = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    basis = models.TextField(_("收费依据和计算方式"))
    sent_on = models.DateField(_("发出收费通知日期"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    lapsed = models.BooleanField(_("逾期未缴费"), default=False)


class CaseEvent(models.Model):
    """The append-only audit log of a case: who did what, when, and the state before and after."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=40)
    state_before = models.CharField(_("操作前状态"), max_length=30, blank=True)
    state_after = models.CharField(_("操作后状态"), max_length=30)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError("办理记录只能追加，不能修改 / case events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class TrackingCounter(models.Model):
    """The last tracking number issued per agency and year; advanced inside the case's transaction."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="tracking_counter_unique")]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case.agency.code}/{instance.case.tracking_number}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")


class Appeal(models.Model):
    """An administrative review or lawsuit about the agency's disclosure work (第五十一条; report 第四部分)."""

    class Route(models.TextChoices):
        REVIEW = "review", _("行政复议")
        SUIT_DIRECT = "suit_direct", _("行政诉讼（未经复议直接起诉）")
        SUIT_AFTER_REVIEW = "suit_after_review", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        PENDING = "pending", _("尚未审结")
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="appeals",
                               verbose_name=_("被申请人（被告）机关"))
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals",
                             verbose_name=_("相关申请"))
    route = models.CharField(_("类型"), max_length=20, choices=Route.choices)
    filed_on = models.DateField(_("收到复议申请或起诉状日期"))
    reference = models.CharField(_("案号"), max_length=100, blank=True)
    result = models.CharField(_("结果"), max_length=20, choices=Result.choices, default=Result.PENDING)
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result="pending", decided_on__isnull=True)
                | ~models.Q(result="pending") & models.Q(decided_on__isnull=False),
                name="appeal_decided_iff_result"),
        ]


class CalendarYear(models.Model):
    """A year's holiday schedule entered by an administrator before ``chinesecalendar`` knows it."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.TextField(_("安排（导入文件的内容）"))
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["year"]


class LetterTemplate(models.Model):
    """The text of a letter an administrator can edit (Django template syntax, plain text).

    One template per kind; an answer (答复告知书) may have one per outcome, falling back to the
    general answer template.  Paragraphs are separated by blank lines.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("受理回执")
        CORRECTION = "correction", _("补正告知书")
        EXTENSION = "extension", _("延期答复告知书")
        CONSULTATION = "consultation", _("征求意见函")
        ANSWER = "answer", _("政府信息公开申请答复告知书")

    kind = models.CharField(_("文书"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("适用的办理结果"), max_length=60, choices=OUTCOMES, blank=True,
                               help_text=_("只用于答复告知书；留空为通用模板"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"),
                            help_text=_("可用 {{ case.tracking_number }}、{{ agency.name }} 等变量；空行分段"))

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "outcome"]
        constraints = [models.UniqueConstraint(fields=["kind", "outcome"], name="letter_template_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_outcome_display()}".strip()


class SubmissionThrottle(models.Model):
    """Online submissions per address and hour: a row per (address, hour), shared by all app servers."""

    address = models.CharField(max_length=64)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "hour"], name="submission_throttle_unique")]


class ReasonablePeriod(models.Model):
    """第三十五条: a request clearly beyond a reasonable volume or frequency; the agency sets a later,
    reasonable reply date and tells the applicant.  It replaces the 第三十三条 date (which stays shown)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reasonable_period")
    due_on = models.DateField(_("确定的答复期限"))
    notified_on = models.DateField(_("告知申请人日期"))
    reason = models.TextField(_("理由"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("同意的负责人"))
