"""Agencies and staff roles.

An agency is any body that answers disclosure requests in its own name (条例 第二十七条): a
county government, its departments, its townships.  Each has a disclosure office (政府信息公开
工作机构, 第四条) whose contact details the 公开指南 publishes (第十二条).  Staff hold roles in
agencies; every access check goes through :mod:`gongkai.agencies.access`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        GOVERNMENT_OFFICE = "government_office", _("政府办公室（厅）")
        DEPARTMENT = "department", _("政府部门")
        TOWNSHIP = "township", _("乡镇人民政府（街道办事处）")
        OTHER = "other", _("其他机关")

    name = models.CharField(_("机关名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(
        _("机关代码"), max_length=20, unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("机关代码只能包含字母、数字和连字符"))],
        help_text=_("用于受理编号和索引号，例如 DYX 或统一社会信用代码"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    office_name = models.CharField(_("政府信息公开工作机构"), max_length=100, blank=True)
    office_address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    fax = models.CharField(_("传真"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> set[int]:
        """This agency and every agency below it (a county and its departments and townships)."""
        found = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(Agency.objects.filter(parent_id__in=frontier).exclude(pk__in=found)
                            .values_list("pk", flat=True))
            found.update(frontier)
        return found


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("登记员")
    HANDLER = "handler", _("承办人")
    APPROVER = "approver", _("审核人（工作机构负责人）")
    SUPERVISOR = "supervisor", _("监督人员")
    ADMINISTRATOR = "administrator", _("管理员")


class Membership(models.Model):
    """A staff user's role in one agency.  A supervisor's role covers the agencies below too."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("用户"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("机关"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["agency__code", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
