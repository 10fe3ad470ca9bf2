"""The public request form: what 条例 第二十九条 asks of an application, checked with clear messages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.cases.models import ApplicantType

_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


class RequestForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("向哪个机关申请"), queryset=Agency.objects.filter(is_active=True),
                                    empty_label=_("请选择机关"))
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantType.choices)
    applicant_name = forms.CharField(label=_("姓名或名称"), max_length=200)
    id_document = forms.CharField(label=_("身份证明（证件类型和号码，或统一社会信用代码）"), max_length=100)
    phone = forms.CharField(label=_("联系电话"), max_length=50, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False,
                             error_messages={"invalid": _("电子邮箱格式不对，例如 name@example.com")})
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=10, required=False)
    description = forms.CharField(label=_("所需信息的名称、文号或便于查询的特征描述"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    document_number = forms.CharField(label=_("文号（如知道）"), max_length=100, required=False)
    form_wanted = forms.ChoiceField(label=_("信息的形式"),
                                    choices=[("纸质", _("纸质")), ("电子文档", _("电子文档"))])
    delivery_wanted = forms.ChoiceField(label=_("获取方式"), choices=[
        ("电子邮件", _("电子邮件")), ("邮寄", _("邮寄")), ("自行领取", _("自行领取"))])

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(_("联系电话只能包含数字、空格和 + - ( )，例如 0825-1234567 或 13800000000"))
        return phone

    def clean_postcode(self) -> str:
        code = self.cleaned_data["postcode"].strip()
        if code and not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("邮政编码应为6位数字"))
        return code

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("请写明所需信息的名称、文号或其他特征，至少5个字，以便查找（第二十九条）"))
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and not data.get("address"):
            raise forms.ValidationError(_("请至少留下一种联系方式：电话、电子邮箱或通信地址（第二十九条）"))
        if data.get("delivery_wanted") == "电子邮件" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("选择“电子邮件”获取时，请填写电子邮箱"))
        if data.get("delivery_wanted") == "邮寄" and not data.get("address"):
            self.add_error("address", _("选择“邮寄”获取时，请填写通信地址"))
        return data


class LookupForm(forms.Form):
    tracking_number = forms.CharField(label=_("受理编号"), max_length=40)
    query_code = forms.CharField(label=_("查询码"), max_length=20)


class CatalogueFilterForm(forms.Form):
    """The filters of the public item list and search (GET; every field optional)."""

    q = forms.CharField(label=_("关键词"), max_length=200, required=False)
    agency = forms.ModelChoiceField(label=_("公开机关"), queryset=Agency.objects.filter(is_active=True),
                                    required=False, empty_label=_("全部机关"), to_field_name="code")
    article20 = forms.TypedChoiceField(label=_("第二十条事项"), coerce=int, required=False, empty_value=None,
                                       choices=[("", _("全部事项"))])
    topic: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("主题分类"), queryset=None, required=False,
                                                                empty_label=_("全部主题"), to_field_name="code")
    year = forms.IntegerField(label=_("发布年份"), min_value=1990, max_value=2100, required=False)
    validity = forms.ChoiceField(label=_("有效性"), required=False, choices=[("", _("不限"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from gongkai.catalogue.models import Article20Item, Topic, Validity

        super().__init__(*args, **kwargs)
        article20 = self.fields["article20"]
        assert isinstance(article20, forms.ChoiceField)
        article20.choices = [("", _("全部事项")), *Article20Item.choices]
        validity = self.fields["validity"]
        assert isinstance(validity, forms.ChoiceField)
        validity.choices = [("", _("不限")), *Validity.choices]
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = Topic.objects.select_related("parent")
