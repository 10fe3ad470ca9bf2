"""Forms of the staff desk: one per workflow action, validated before the workflow is asked."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency, Role

from .models import Appeal, Case, Consultation
from .outcomes import DECISION_OUTCOMES, label

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".ofd"}


class DateInput(forms.DateInput):
    input_type = "date"


_OUTCOME_CHOICES = [(k, label(k)) for k in DECISION_OUTCOMES]


class RegisterForm(forms.ModelForm):
    received_on = forms.DateField(label=_("收到申请之日"), required=False, widget=DateInput,
                                  help_text=_("邮寄填签收之日；平常信函、互联网、传真在与申请人确认后填写"))

    class Meta:
        model = Case
        fields = ["applicant_type", "applicant_name", "id_document", "contact_person", "phone", "email", "address",
                  "postcode", "description", "document_number", "form_wanted", "delivery_wanted", "channel",
                  "submitted_on"]
        widgets = {"submitted_on": DateInput, "description": forms.Textarea(attrs={"rows": 4})}


class SpotForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=_OUTCOME_CHOICES)
    grounds = forms.CharField(label=_("理由和依据"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(SpotForm):
    decided_on = forms.DateField(label=_("答复日期"), widget=DateInput)


class OnForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput)


class CorrectionForm(forms.Form):
    requested_on = forms.DateField(label=_("告知补正日期"), widget=DateInput)
    items = forms.CharField(label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("补正期限"), widget=DateInput)


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Consultation.Kind.choices)
    party = forms.CharField(label=_("被征求意见方"), max_length=200)
    sent_on = forms.DateField(label=_("发出日期"), widget=DateInput)


class ReplyForm(forms.Form):
    consultation = forms.ModelChoiceField(label=_("征求意见"), queryset=Consultation.objects.none())
    replied_on = forms.DateField(label=_("收到意见日期（无意见的填15个工作日届满之日）"), widget=DateInput)
    reply = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["consultation"].queryset = case.consultations.filter(replied_on__isnull=True)  # type: ignore[attr-defined]


class ExtendForm(forms.Form):
    working_days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=20, initial=20)
    approved_on = forms.DateField(label=_("负责人同意日期"), widget=DateInput)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class FeeForm(forms.Form):
    amount_yuan = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    basis = forms.CharField(label=_("收费依据、标准和计算"), widget=forms.Textarea(attrs={"rows": 3}))
    sent_on = forms.DateField(label=_("发出日期"), widget=DateInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))

    def clean_file(self) -> object:
        f = self.cleaned_data["file"]
        name = f.name.lower()
        suffix = name[name.rfind("."):] if "." in name else ""
        if suffix not in ATTACHMENT_TYPES:
            raise forms.ValidationError(_("不支持这种文件类型（%(s)s）；请上传 PDF、图片、Word、Excel、OFD 或文本文件"),
                                        params={"s": suffix or _("无扩展名")})
        if f.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("文件过大（%(mb).1f MB），上限为 20 MB"), params={"mb": f.size / 1048576})
        return f


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=get_user_model().objects.none())

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["handler"].queryset = get_user_model().objects.filter(  # type: ignore[attr-defined]
            memberships__agency_id=case.agency_id, memberships__role__in=[Role.HANDLER, Role.APPROVER],
            is_active=True).distinct().order_by("username")


class AppealForm(forms.Form):
    """A review or lawsuit about the agency's disclosure work (第五十一条)."""

    agency = forms.ModelChoiceField(label=_("被申请人（被告）机关"), queryset=Agency.objects.none())
    route = forms.ChoiceField(label=_("类型"), choices=Appeal.Route.choices)
    filed_on = forms.DateField(label=_("收到复议申请或起诉状日期"), widget=DateInput)
    tracking_number = forms.CharField(label=_("相关申请的受理编号（如有）"), max_length=40, required=False)
    reference = forms.CharField(label=_("案号"), max_length=100, required=False)


class AppealResultForm(forms.Form):
    result = forms.ChoiceField(label=_("结果"), choices=[c for c in Appeal.Result.choices if c[0] != "pending"])
    decided_on = forms.DateField(label=_("审结日期"), widget=DateInput)


class ReasonablePeriodForm(forms.Form):
    due_on = forms.DateField(label=_("确定的答复期限"), widget=DateInput)
    notified_on = forms.DateField(label=_("告知申请人日期"), widget=DateInput)
    reason = forms.CharField(label=_("理由（第三十五条）"), widget=forms.Textarea(attrs={"rows": 3}))
