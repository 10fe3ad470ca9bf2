"""The annual report from live data: build, roll-up, the validation gate, versions, history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.annual import services
from gongkai.annual.build import build
from gongkai.annual.models import AnnualReport
from gongkai.cases import workflow
from gongkai.cli import main
from gongkai.report.parse import parse_bytes, parse_file
from gongkai.report.render import render
from gongkai.report.rules import evaluate
from tests.casekit import agency, request, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T3 = "t3_requests"
FIXTURES = Path(__file__).parent / "fixtures" / "reports"


@pytest.fixture
def county():
    gov = agency("XZF", "示范县人民政府")
    office = agency("XZF-BGS", "示范县人民政府办公室", parent=gov)
    edu = agency("XZF-JYJ", "示范县教育局", parent=gov)
    town = agency("XZF-AZ", "示范县安镇人民政府", parent=gov)
    Agency.objects.filter(pk=town.pk).update(kind=Agency.Kind.TOWNSHIP)
    clerk = staff("clerk", office, Role.HANDLER)
    for a in (gov, edu, town):
        Membership.objects.create(user=clerk, agency=a, role=Role.HANDLER)
    head = staff("head", gov, Role.APPROVER)
    # 2025: office 3 requests (2 disclosed, 1 open), education 2 (1 not held, 1 by a company: partial),
    # township 1 carried over from 2024 and closed in 2025 as a repeat request.
    o1 = request(office, clerk, date(2025, 3, 3), n=1)
    workflow.decide(o1, clerk, "disclosed", date(2025, 3, 20))
    o2 = request(office, clerk, date(2025, 6, 2), n=2)
    workflow.decide(o2, clerk, "disclosed", date(2025, 6, 10))
    request(office, clerk, date(2025, 12, 22), n=3)  # still open on 31 December → 结转
    e1 = request(edu, clerk, date(2025, 4, 1), n=4)
    workflow.decide(e1, clerk, "unavailable_not_held", date(2025, 4, 15), "本机关未制作")
    e2 = request(edu, clerk, date(2025, 5, 6), applicant_type="commercial_enterprise", n=5)
    workflow.decide(e2, clerk, "partially_disclosed", date(2025, 5, 30), "部分涉及商业秘密")
    t1 = request(town, clerk, date(2024, 12, 23), n=6)
    workflow.decide(t1, clerk, "not_processed_repeated", date(2025, 1, 8), "已于2024年答复过相同申请")
    return {"gov": gov, "office": office, "edu": edu, "town": town, "clerk": clerk, "head": head}


def _complete(draft: AnnualReport, actor) -> AnnualReport:
    """Fill what the catalogue does not provide yet (第二部分) with 0, as staff would type it."""
    for key in draft.report.missing_cells():
        draft = services.set_cell(draft, actor, *key, "0")
    return draft


def test_the_county_roll_up_is_the_sum_of_its_agencies(county) -> None:
    roll_up = build(county["gov"], 2025, include_subordinates=True)
    c = roll_up.cells
    assert [c[(T3, "new_requests", k)] for k in ("natural_person", "commercial_enterprise", "total")] == [4, 1, 5]
    assert c[(T3, "carried_over", "total")] == 1
    assert c[(T3, "disclosed", "natural_person")] == 2
    assert c[(T3, "partially_disclosed", "commercial_enterprise")] == 1
    assert c[(T3, "unavailable_not_held", "natural_person")] == 1
    assert c[(T3, "not_processed_repeated", "natural_person")] == 1
    assert c[(T3, "results_total", "total")] == 5
    assert c[(T3, "carried_forward", "total")] == 1
    parts = [build(county[k], 2025) for k in ("gov", "office", "edu", "town")]
    for key, value in c.items():
        if key[0] in (T3, "t4_review_litigation"):
            assert value == sum(p.cells[key] for p in parts), key
    assert [v for v in evaluate(roll_up) if v.severity == "error"] == []
    assert roll_up.narrative["requests"] == (
        "本年度新收政府信息公开申请5件，上年结转1件；办结5件，结转下年度继续办理1件。办理结果见下表。")


def test_a_built_report_renders_and_parses_back(county) -> None:
    report = build(county["office"], 2025)
    for fmt in ("docx", "html"):
        back = parse_bytes(render(report, fmt), f"x.{fmt}")
        for key, value in report.cells.items():
            assert back.cells.get(key) == value, (fmt, key)


def test_the_gate_refuses_a_broken_figure_then_publishes_and_freezes(county) -> None:
    clerk, head, office = county["clerk"], county["head"], county["office"]
    Membership.objects.create(user=head, agency=office, role=Role.APPROVER)
    draft = _complete(services.create_draft(office, 2025, clerk), clerk)
    draft = services.set_cell(draft, clerk, T3, "disclosed", "natural_person", "3")  # typed wrong: 2 is right
    # the 自然人 column no longer adds up to its （七）总计 (T3-2), nor the 予以公开 row to its 总计 (T3-3)
    assert [v.rule for v in services.gate(draft).errors] == ["T3-2", "T3-3"]
    with pytest.raises(services.AnnualError, match="报告违反2条规则，不能发布"):
        services.publish(draft, head)
    with pytest.raises(services.AnnualError, match="不是整数"):
        services.set_cell(draft, clerk, T3, "disclosed", "natural_person", "两")
    draft = services.set_cell(draft, clerk, T3, "disclosed", "natural_person", "2")
    with pytest.raises(services.AnnualError, match="没有编制或发布年度报告的岗位"):
        services.publish(draft, staff("stranger", agency("ZZZ"), Role.APPROVER))
    published = services.publish(draft, head)
    assert published.state == AnnualReport.State.PUBLISHED
    with pytest.raises(services.AnnualError, match="已发布的报告不能修改"):
        services.set_cell(published, clerk, T3, "disclosed", "natural_person", "2")
    second = services.create_draft(office, 2025, clerk)
    assert (second.version, second.state) == (2, AnnualReport.State.DRAFT)
    assert AnnualReport.objects.filter(agency=office, year=2025).count() == 2


def test_the_gate_checks_carry_over_against_last_years_published_report(county) -> None:
    clerk, town = county["clerk"], county["town"]
    # last year's report as published by the township said nothing was carried forward
    last = build(town, 2024)
    last.cells[(T3, "carried_forward", "natural_person")] = 0
    last.cells[(T3, "carried_forward", "total")] = 0
    last.cells[(T3, "new_requests", "natural_person")] = 0
    last.cells[(T3, "new_requests", "total")] = 0
    AnnualReport.objects.create(agency=town, year=2024, data=last.to_json(), state=AnnualReport.State.IMPORTED)
    draft = _complete(services.create_draft(town, 2025, clerk), clerk)
    result = services.gate(draft)
    assert [v.rule for v in result.errors] == ["X-1", "X-1"]
    assert result.previous is not None and result.previous.year == 2024


def test_history_is_imported_from_a_published_report(county) -> None:
    report = parse_file(FIXTURES / "shuyang-fgj-2023.html")
    stored = services.import_history(county["edu"], report, "shuyang-fgj-2023.html")
    assert (stored.year, stored.state) == (2023, AnnualReport.State.IMPORTED)
    assert stored.report.cells == report.cells
    incomplete = parse_file(FIXTURES / "pingtan-2021.txt")
    with pytest.raises(services.AnnualError, match="未能读取"):
        services.import_history(county["edu"], incomplete, "pingtan-2021.txt")


def test_report_build_command(county, tmp_path, capsys) -> None:
    from gongkai.catalogue.models import YearlyFigure

    out = tmp_path / "county.docx"
    args = ["report", "build", "--agency", "XZF", "--year", "2025", "--include-subordinates", "--out", str(out)]
    assert main(args) == 2  # no agency entered its yearly figures: 第二部分 is incomplete, never invented
    assert "个单元格没有数据" in capsys.readouterr().err
    YearlyFigure.objects.create(agency=county["office"], year=2025, licensing_decisions=12, penalty_decisions=3,
                                coercion_decisions=0, fee_amount=0)
    assert main(args) == 0
    back = parse_file(out)
    assert back.cells[(T3, "results_total", "total")] == 5
    assert back.cells[("t2_item5", "administrative_licensing", "decisions")] == 12
    assert main(["report", "check", str(out), "--no-progress"]) == 0
    assert main(["report", "build", "--agency", "NOPE", "--year", "2025", "--out", str(out)]) == 2
    assert "没有机关代码为 NOPE 的机关" in capsys.readouterr().err


def test_report_import_command(county, capsys) -> None:
    code = main(["report", "import", "--agency", "XZF-JYJ", str(FIXTURES / "shuyang-fgj-2023.html"),
                 str(FIXTURES / "pingtan-2021.txt")])
    out, err = capsys.readouterr()
    assert code == 2
    assert "已导入" in out and "2023年度报告（第1版）" in out
    assert "pingtan-2021.txt" in err and "未能读取" in err
    assert AnnualReport.objects.filter(agency=county["edu"], state=AnnualReport.State.IMPORTED).count() == 1


def test_staff_screens_and_the_public_archive(county) -> None:
    from django.test import Client

    clerk, head, office = county["clerk"], county["head"], county["office"]
    Membership.objects.create(user=head, agency=office, role=Role.APPROVER)
    staff_client = Client()
    staff_client.force_login(head)
    response = staff_client.post("/desk/annual/", {"agency": office.pk, "year": 2025}, follow=True)
    draft = AnnualReport.objects.get(agency=office, year=2025)
    assert f"已生成 {draft}" in response.content.decode()
    draft = _complete(draft, clerk)
    page = staff_client.get(f"/desk/annual/{draft.pk}/").content.decode()
    assert "通过：没有违反任何规则" in page
    staff_client.post(f"/desk/annual/{draft.pk}/edit/", {"cell": f"{T3}/disclosed/natural_person", "value": "5"})
    response = staff_client.post(f"/desk/annual/{draft.pk}/publish/", follow=True)
    assert "报告违反2条规则，不能发布" in response.content.decode()
    public = Client()
    assert public.get(f"/reports/{draft.pk}/report.html").status_code == 404  # a draft is not public
    staff_client.post(f"/desk/annual/{draft.pk}/edit/", {"cell": f"{T3}/disclosed/natural_person", "value": "2"})
    response = staff_client.post(f"/desk/annual/{draft.pk}/publish/", follow=True)
    assert "已发布" in response.content.decode()
    archive = public.get("/reports/").content.decode()
    assert "示范县人民政府办公室" in archive and "2025年度报告" in archive
    html = public.get(f"/reports/{draft.pk}/report.html").content.decode()
    assert parse_bytes(html.encode(), "x.html").cells[(T3, "disclosed", "natural_person")] == 2
    assert public.get("/desk/annual/").status_code == 302


def test_a_figure_drills_down_to_agencies_and_cases(county) -> None:
    from django.test import Client

    clerk = county["clerk"]
    draft = services.create_draft(county["gov"], 2025, clerk, include_subordinates=True)
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/desk/annual/{draft.pk}/drill/disclosed/natural_person/").content.decode()
    assert "示范县人民政府办公室</td><td>2</td>" in page
    assert page.count("XZF-BGS-2025-") == 2
    assert client.get(f"/desk/annual/{draft.pk}/drill/nonsense/total/").status_code == 404
