"""Annual reports kept in the database: drafts, published versions (frozen) and imported history.

A report is stored as the :class:`gongkai.report.model.Report` JSON (``data``), so everything that
reads reports — rules, renderers, the parser's own format — works on it unchanged.  A published
version is never changed: a correction is a new version, and both are kept (第四十九条 requires
publication; the public must be able to see what was published when).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.report.model import Report


class AnnualReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        IMPORTED = "imported", _("历史报告（导入）")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="annual_reports",
                               verbose_name=_("机关"))
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    include_subordinates = models.BooleanField(_("含下级机关汇总"), default=False)
    data = models.JSONField(_("报告内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    source_name = models.CharField(_("导入的文件"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["agency__code", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "include_subordinates", "version"],
                                    name="annual_report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告 第{self.version}版（{self.get_state_display()}）"

    @property
    def report(self) -> Report:
        return Report.from_json(self.data)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = AnnualReport.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored in (self.State.PUBLISHED, self.State.IMPORTED) and stored == self.state:
                raise ValidationError("已发布的年度报告不能修改；更正请生成新版本 / a published report is frozen")
        super().save(*args, **kwargs)
