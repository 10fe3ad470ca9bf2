"""Demo data for a first look: a county with its office and departments, staff, requests in every
state (dated relative to today, so the inbox shows cases due soon and overdue), and a few hundred
published catalogue items with the yearly figures, so that the annual report builds complete.

Everything goes through the real workflow (numbering, audit log, due dates); nothing is faked.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.cases import workflow
from gongkai.cases.models import Case

DEMO_PASSWORD = "gongkai-demo"  # printed to the person who asked for a demo


def _back(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    """Create the demo once; returns (username, role) of the demo accounts."""
    if Agency.objects.filter(code="DEMO").exists():
        return _accounts()
    county = Agency.objects.create(code="DEMO", name="示范县人民政府", kind=Agency.Kind.GOVERNMENT,
                                   office_name="示范县人民政府办公室（政务公开办）", office_address="示范县政府路1号",
                                   office_hours="工作日 9:00–12:00，14:00–17:30", phone="0825-0000000")
    office = Agency.objects.create(code="DEMO-BGS", name="示范县人民政府办公室", parent=county,
                                   kind=Agency.Kind.GOVERNMENT_OFFICE, office_name="政务公开办")
    edu = Agency.objects.create(code="DEMO-JYJ", name="示范县教育局", parent=county, office_name="办公室")
    Agency.objects.create(code="DEMO-ZRZY", name="示范县自然资源局", parent=county, office_name="办公室")
    user_model = get_user_model()
    admin = user_model.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
    clerk = user_model.objects.create_user("clerk", password=DEMO_PASSWORD, first_name="办事员")
    head = user_model.objects.create_user("head", password=DEMO_PASSWORD, first_name="负责人")
    supervisor = user_model.objects.create_user("supervisor", password=DEMO_PASSWORD)
    for user, agency, role in ((clerk, office, Role.HANDLER), (clerk, office, Role.REGISTRAR),
                               (head, office, Role.APPROVER), (head, office, Role.HANDLER),
                               (supervisor, county, Role.SUPERVISOR), (admin, office, Role.ADMINISTRATOR),
                               (clerk, edu, Role.HANDLER)):
        Membership.objects.create(user=user, agency=agency, role=role)

    def new(n: int, days_ago: int, **extra: object) -> Case:
        fields: dict[str, object] = {
            "applicant_type": "natural_person", "applicant_name": f"示例申请人{n}", "phone": "13800000000",
            "description": f"示例：关于第{n}号事项的文件", "channel": "in_person", "submitted_on": _back(days_ago)}
        fields.update(extra)
        return workflow.register(office, clerk, **fields)  # type: ignore[arg-type]

    new(1, 2, description="2024年度县级财政预算执行情况的报告")
    new(2, 26, description="某小区规划许可证及附图")  # due within days
    new(3, 35, description="城区道路改造工程的批准文件")  # overdue unless extended
    c4 = new(4, 20, description="某企业环境影响评价报告", applicant_type="commercial_enterprise",
             applicant_name="示例科技有限公司")
    workflow.start_consultation(c4, clerk, "third_party", "示例化工有限公司", _back(15))
    c5 = new(5, 12, description="关于那个文件", channel="online")
    workflow.confirm_receipt(c5, clerk, _back(11))
    workflow.request_correction(c5, clerk, _back(10), "请写明文件名称、文号或其他特征描述", _back(-5))
    c6 = new(6, 40, description="2023年县政府常务会议纪要")
    workflow.decide(c6, clerk, "withheld_process_information", _back(30), "属于过程性信息（第十六条第二款）")
    c7 = new(7, 60, description="县人民医院改扩建项目立项批复")
    workflow.decide(c7, clerk, "disclosed", _back(50))
    new(8, 3, channel="ordinary_letter", description="农村道路硬化项目资金使用情况")
    appeal = workflow.record_appeal(office, clerk, "review", _back(25), case=c6)
    workflow.decide_appeal(appeal, clerk, "upheld", _back(5))
    _catalogue(office, clerk, head)
    return _accounts()


_SUBJECTS = ("城乡道路建设", "农村人居环境整治", "义务教育学校布局", "医疗保障", "就业创业补贴", "安全生产检查",
             "防汛抗旱应急", "农田水利工程", "生态环境保护", "食品安全监督", "养老服务体系", "政务服务事项")
_FORMS = ("关于印发{s}实施方案的通知", "关于做好{s}工作的通知", "{s}工作情况的报告", "关于{s}有关事项的公告",
          "{s}专项检查结果通报")


def _catalogue(office: Agency, clerk: object, head: object) -> None:
    """A few hundred published items over two years, normative documents and their interpretations."""
    from gongkai.catalogue import services as catalogue
    from gongkai.catalogue.figures import save_figures
    from gongkai.catalogue.models import Article20Item

    today = timezone.localdate()
    n = 0
    for i, subject in enumerate(_SUBJECTS):
        for j, form in enumerate(_FORMS):
            for k in range(4):
                n += 1
                published_on = today - timedelta(days=3 + (n * 37) % 700)
                normative = j == 0 and k == 0
                fields: dict[str, object] = {
                    "title": f"示范县人民政府办公室{form.format(s=subject)}（{published_on.year}年第{k + 1}批）",
                    "summary": f"{subject}相关工作安排。",
                    "body": f"<p>为做好{subject}工作，现将有关事项通知如下。</p><p>一、总体要求……</p>",
                    "written_on": published_on - timedelta(days=3),
                    "article20_item": Article20Item.ITEM_1 if normative else (Article20Item.ITEM_11 if i % 2 else
                                                                               Article20Item.ITEM_15),
                }
                if normative:
                    fields.update(kind="normative_document", issued_on=published_on - timedelta(days=3),
                                  document_number=f"示府办规〔{published_on.year}〕{i + 1}号")
                item = catalogue.create_draft(office, clerk, **fields)  # type: ignore[arg-type]
                catalogue.submit_for_review(item, clerk)  # type: ignore[arg-type]
                catalogue.publish(item, head, published_on)  # type: ignore[arg-type]
    for year in (today.year - 1, today.year):  # entered on the desk as staff would: logged
        save_figures(office, year, clerk, {  # type: ignore[arg-type]
            "licensing_decisions": 120, "penalty_decisions": 8, "coercion_decisions": 0, "fee_amount": 0})


def _accounts() -> list[tuple[str, str]]:
    return [("admin", "管理员（可进入 /admin/）"), ("clerk", "承办人、登记员"), ("head", "审核人（可同意延期）"),
            ("supervisor", "监督人员")]
