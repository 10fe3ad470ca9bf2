"""Yearly figures on the staff desk: entered per agency-year, every change logged old → new, imports
report each rejected row, and the report's 第二部分 sums what was entered."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.catalogue import figures
from gongkai.catalogue.figures import FiguresError, import_figures, save_figures
from gongkai.catalogue.importing import ImportFileError
from gongkai.catalogue.models import YearlyFigure, YearlyFigureEvent
from gongkai.catalogue.services import CatalogueError
from gongkai.catalogue.yearend import second_part_cells
from tests.casekit import agency, logged_in, messages_of, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]

FEE = "行政事业性收费金额（万元）"


@pytest.fixture
def desk():
    office = agency("DYX", "大英县人民政府办公室")
    other = agency("PZ", "蓬溪县人民政府办公室")
    return {"office": office, "other": other,
            "clerk": staff("clerk", office, Role.HANDLER), "head": staff("head", office, Role.APPROVER),
            "outsider": staff("outsider", other, Role.HANDLER, Role.APPROVER),
            "supervisor": staff("supervisor", office, Role.SUPERVISOR)}


def _figure(where, year: int) -> YearlyFigure:
    return YearlyFigure.objects.get(agency=where, year=year)


def _changes(where, year: int) -> list[tuple[str, str, dict, str]]:
    return [(e.action, e.actor.username, e.changes, e.source)
            for e in YearlyFigureEvent.objects.filter(figure__agency=where, figure__year=year)]


# -- entering on the desk -------------------------------------------------------------------------

def test_figures_are_entered_and_every_change_is_logged_old_to_new(desk) -> None:
    clerk, head = logged_in(desk["clerk"]), logged_in(desk["head"])
    page = clerk.get("/desk/catalogue/").content.decode()
    assert 'href="/desk/catalogue/figures/"' in page  # linked from the catalogue desk
    page = clerk.get("/desk/catalogue/figures/").content.decode()
    assert "大英县人民政府办公室" in page and "蓬溪县" not in page
    assert 'href="/desk/catalogue/figures/DYX/2025/"' in page and 'href="/desk/catalogue/figures/DYX/2018/"' in page

    form = clerk.get("/desk/catalogue/figures/DYX/2025/").content.decode()
    # the 2021 format: decisions and the fee amount only
    for name in ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount"):
        assert f'name="{name}"' in form, name
    for name in ("licensing_items", "other_services_decisions", "fee_items", "procurement_amount"):
        assert f'name="{name}"' not in form, name
    assert "第二十条第（八）项：行政事业性收费" in form and "2021年格式" in form

    url = "/desk/catalogue/figures/DYX/2025/"
    response = clerk.post(url, {"licensing_decisions": "12", "penalty_decisions": "5", "coercion_decisions": "0",
                                "fee_amount": "1.5"}, follow=True)
    assert messages_of(response) == ["已保存大英县人民政府办公室2025年度统计数（修改4项）"]
    figure = _figure(desk["office"], 2025)
    assert (figure.licensing_decisions, figure.penalty_decisions, figure.coercion_decisions, figure.fee_amount) == (
        12, 5, 0, Decimal("1.5"))
    assert figure.licensing_items is None  # not shown, not touched

    response = head.post(url, {"licensing_decisions": "1,013", "penalty_decisions": "", "coercion_decisions": "0",
                               "fee_amount": "１.234567"}, follow=True)  # 1,013 and full-width digits are read
    assert messages_of(response) == ["已保存大英县人民政府办公室2025年度统计数（修改3项）"]
    figure.refresh_from_db()
    assert (figure.licensing_decisions, figure.penalty_decisions, figure.fee_amount) == (
        1013, None, Decimal("1.234567"))
    assert _changes(desk["office"], 2025) == [
        ("create", "clerk", {"licensing_decisions": [None, 12], "penalty_decisions": [None, 5],
                             "coercion_decisions": [None, 0], "fee_amount": [None, "1.5"]}, ""),
        ("edit", "head", {"licensing_decisions": [12, 1013], "penalty_decisions": [5, None],
                          "fee_amount": ["1.5", "1.234567"]}, ""),
    ]
    page = response.content.decode()
    assert 'value="1.234567"' in page and 'value="1013"' in page  # the form shows what is stored
    assert "行政事业性收费金额（万元） 1.5 → 1.234567" in page and "行政处罚处理决定数量 5 → 未填写" in page

    # the same figures again: nothing to log
    response = head.post(url, {"licensing_decisions": "1013", "penalty_decisions": "", "coercion_decisions": "0",
                               "fee_amount": "1.2345670"}, follow=True)
    assert messages_of(response) == ["数字没有变化，未保存"]
    assert YearlyFigureEvent.objects.count() == 2
    # a blank form for a year without figures creates nothing: the year stays "not entered"
    response = clerk.post("/desk/catalogue/figures/DYX/2024/", {}, follow=True)
    assert messages_of(response) == ["没有填写任何数字，未保存"]
    assert not YearlyFigure.objects.filter(year=2024).exists()


def test_2019_format_years_show_their_own_figures(desk) -> None:
    clerk = logged_in(desk["clerk"])
    form = clerk.get("/desk/catalogue/figures/DYX/2020/").content.decode()
    for name in ("licensing_items", "licensing_decisions", "other_services_items", "other_services_decisions",
                 "penalty_items", "coercion_items", "fee_items", "procurement_projects", "procurement_amount"):
        assert f'name="{name}"' in form, name
    assert 'name="fee_amount"' not in form and "第二十条第（九）项：政府集中采购" in form
    form = clerk.get("/desk/catalogue/figures/DYX/2018/").content.decode()  # only the year-end item counts
    assert 'name="licensing_items"' in form and 'name="licensing_decisions"' not in form
    response = clerk.post("/desk/catalogue/figures/DYX/2020/", {"licensing_items": "37", "procurement_amount": "57.5"},
                          follow=True)
    assert messages_of(response) == ["已保存大英县人民政府办公室2020年度统计数（修改2项）"]
    assert (_figure(desk["office"], 2020).licensing_items, _figure(desk["office"], 2020).procurement_amount) == (
        37, Decimal("57.5"))
    # the service refuses a figure the year's format does not use
    with pytest.raises(FiguresError) as refused:
        save_figures(desk["office"], 2025, desk["clerk"], {"licensing_items": 3})
    assert str(refused.value) == ("2025年度的报告使用2021年格式，不填写“行政许可项目数量（年末）”；"
                                  "请删除这个数字，或检查年度是否填错")


def test_only_staff_of_the_agency_enter_its_figures(desk) -> None:
    url = "/desk/catalogue/figures/DYX/2025/"
    outsider = logged_in(desk["outsider"])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"licensing_decisions": "99"}).status_code == 404
    assert "大英县" not in outsider.get("/desk/catalogue/figures/").content.decode()
    supervisor = logged_in(desk["supervisor"])  # sees figures elsewhere, does not enter them
    assert supervisor.post(url, {"licensing_decisions": "99"}).status_code == 404
    assert "没有可以填写年度统计数的岗位" in supervisor.get("/desk/catalogue/figures/").content.decode()
    assert Client().get(url).status_code == 302  # to the login page
    clerk = logged_in(desk["clerk"])
    assert clerk.get("/desk/catalogue/figures/DYX/2017/").status_code == 404  # before the report formats
    assert clerk.get("/desk/catalogue/figures/DYX/2999/").status_code == 404
    assert clerk.get("/desk/catalogue/figures/NOPE/2025/").status_code == 404
    # importing into another agency is refused by the form, and by the service
    file = SimpleUploadedFile("f.csv", "年度,行政许可处理决定数量\n2025,99\n".encode())
    response = outsider.post("/desk/catalogue/figures/import/", {"agency": desk["office"].pk, "file": file})
    assert response.status_code == 400 and "您不能导入这个机关的统计数，请重新选择" in response.content.decode()
    with pytest.raises(CatalogueError) as refused:
        save_figures(desk["office"], 2025, desk["outsider"], {"licensing_decisions": 99})
    assert str(refused.value) == ("您在本机关没有登记员、承办人、审核人（工作机构负责人）、管理员岗位，"
                                  "不能填写年度统计数；请联系管理员分配岗位")
    with pytest.raises(CatalogueError, match="不能导入年度统计数"):
        import_figures(desk["office"], desk["outsider"], b"", "f.csv")
    assert not YearlyFigure.objects.exists() and not YearlyFigureEvent.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("fee_amount", "-1", "不能是负数（填写了-1）；请填写0或正数，没有统计的留空"),
    ("licensing_decisions", "-3", "不能是负数（填写了-3）；请填写0或正数，没有统计的留空"),
    ("fee_amount", "1.2345678",
     "“1.2345678”小数点后超过6位；金额以万元为单位，最多保留6位小数（精确到0.01元），请四舍五入后填写"),
    ("licensing_decisions", "3.5", "应为整数（填写了3.5）；件数和项目数不能有小数"),
    ("penalty_decisions", "约20", "“约20”不是数字；请填写阿拉伯数字（例如 12 或 3.5），没有统计的留空"),
    ("fee_amount", "1234567890123", "“1234567890123”过大（整数部分超过12位）；请确认金额的单位是万元"),
])
def test_wrong_figures_are_refused_with_a_message_and_nothing_changes(desk, field, value, message) -> None:
    save_figures(desk["office"], 2025, desk["clerk"], {"licensing_decisions": 7, "fee_amount": Decimal("2")})
    data = {"licensing_decisions": "8", "penalty_decisions": "", "coercion_decisions": "", "fee_amount": "3",
            field: value}
    response = logged_in(desk["clerk"]).post("/desk/catalogue/figures/DYX/2025/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and f'value="{value}"' in page  # what was typed is kept to be corrected
    figure = _figure(desk["office"], 2025)
    assert (figure.licensing_decisions, figure.fee_amount) == (7, Decimal("2"))
    assert YearlyFigureEvent.objects.count() == 1
    # the service refuses the same, naming the figure
    with pytest.raises(FiguresError) as refused:
        save_figures(desk["office"], 2025, desk["head"], {field: value})
    assert str(refused.value) == figures.label(field) + message
    assert YearlyFigureEvent.objects.count() == 1


def test_the_log_is_append_only_and_keeps_its_figures(desk) -> None:
    change = save_figures(desk["office"], 2025, desk["clerk"], {"licensing_decisions": 1})
    assert change.event is not None and change.figure is not None
    with pytest.raises(ValidationError):
        change.event.save()
    with pytest.raises(ValidationError):
        change.event.delete()
    with pytest.raises(ProtectedError):
        change.figure.delete()
    assert YearlyFigureEvent.objects.count() == 1


# -- import ---------------------------------------------------------------------------------------

CSV = f"""年度,行政许可处理决定数量,行政处罚处理决定数量,行政强制处理决定数量,{FEE},行政许可项目数量（年末）,备注
2025,12,5,0,1.5,,
2024,7,-1,,0.1234567,,有两处错误
2020,181,80,,,37,
2023年,,3,,,,
2019,,,,,40,
2022,1,,,,5,
""".replace("\n", "\r\n")


def test_an_import_saves_the_good_rows_and_reports_each_bad_row(desk) -> None:
    save_figures(desk["office"], 2025, desk["head"], {"coercion_decisions": 4, "fee_amount": Decimal("9")})
    report = import_figures(desk["office"], desk["clerk"], CSV.encode("utf-8-sig"), "统计数.csv")
    assert report.summary == "共6行：导入4行，未导入2行"
    assert [r.message for r in report.rejected] == [
        "第3行（2024年度）：行政处罚处理决定数量不能是负数（填写了-1）；请填写0或正数，没有统计的留空；"
        "行政事业性收费金额（万元）“0.1234567”小数点后超过6位；金额以万元为单位，最多保留6位小数（精确到0.01元），请四舍五入后填写",
        "第7行（2022年度）：2022年度的报告使用2021年格式，不填写“行政许可项目数量（年末）”；请删除这个数字，或检查年度是否填错",
    ]
    assert report.notes == ["以下列不认识，已忽略：备注"]
    assert [(r.row, r.year, r.change.changes) for r in report.saved] == [
        (2, 2025, {"licensing_decisions": [None, 12], "penalty_decisions": [None, 5], "coercion_decisions": [4, 0],
                   "fee_amount": ["9", "1.5"]}),
        (4, 2020, {"licensing_decisions": [None, 181], "penalty_decisions": [None, 80], "licensing_items": [None, 37]}),
        (5, 2023, {"penalty_decisions": [None, 3]}),
        (6, 2019, {"licensing_items": [None, 40]}),
    ]
    # nothing of the rejected rows, not even their valid cells
    assert not YearlyFigure.objects.filter(year__in=[2024, 2022]).exists()
    assert _changes(desk["office"], 2020) == [
        ("import", "clerk", {"licensing_decisions": [None, 181], "penalty_decisions": [None, 80],
                             "licensing_items": [None, 37]}, "文件“统计数.csv”第4行")]
    assert [a for a, *_ in _changes(desk["office"], 2025)] == ["create", "import"]
    # the same file again: the good rows change nothing, the bad rows are still reported
    again = import_figures(desk["office"], desk["clerk"], CSV.encode("gbk"), "统计数.csv")
    assert again.summary == "共6行：导入4行，未导入2行（导入的行中有4行与已有数字相同，没有修改）"
    assert YearlyFigureEvent.objects.count() == 5


def test_an_xlsx_import_checks_years_duplicates_and_the_agency(desk) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["机关代码", "年份", "行政许可处理决定数量", "行政事业性收费金额", "政府集中采购总金额（万元）"])
    ws.append(["DYX", 2025, 12, 0.5, None])
    ws.append(["DYX", 2025.0, 13, None, None])
    ws.append(["PZ", 2024, 1, None, None])
    ws.append(["DYX", 2017, 1, None, None])
    ws.append(["DYX", "二〇二一", 1, None, None])
    ws.append([None, 2020, None, None, 57.539443])
    buf = io.BytesIO()
    wb.save(buf)
    report = import_figures(desk["office"], desk["clerk"], buf.getvalue(), "统计数.xlsx")
    assert [r.message for r in report.rejected] == [
        "第3行（2025年度）：2025年度在第2行已经出现；同一年度只能有一行",
        "第4行（2024年度）：机关“PZ”不是大英县人民政府办公室；一次只能导入一个机关的统计数，请把其他机关的行删除后分别导入",
        "第5行（2017年度）：不能填写2017年度的统计数：可以填写2018年至2026年（2018年只填写年末项目数量，"
        "供2019年度报告计算上一年项目数量）".replace("2026", str(figures.last_year())),
        "第6行：年度“二〇二一”不是年份（请写作2025）",
    ]
    assert [(r.row, r.year, r.change.changes) for r in report.saved] == [
        (2, 2025, {"licensing_decisions": [None, 12], "fee_amount": [None, "0.5"]}),
        (7, 2020, {"procurement_amount": [None, "57.539443"]}),
    ]


def test_files_that_cannot_be_read_are_refused_as_a_whole(desk) -> None:
    office, clerk = desk["office"], desk["clerk"]
    with pytest.raises(ImportFileError, match="第一行没有“年度”列"):
        import_figures(office, clerk, "行政许可处理决定数量\n3\n".encode(), "f.csv")
    with pytest.raises(ImportFileError, match="第一行没有统计数的列名"):
        import_figures(office, clerk, "年度,名称\n2025,x\n".encode(), "f.csv")
    with pytest.raises(ImportFileError, match="列“行政许可处理决定数量”重复出现"):
        import_figures(office, clerk, "年度,行政许可处理决定数量,行政许可处理决定数量\n".encode(), "f.csv")
    with pytest.raises(ImportFileError, match=r"请上传 \.xlsx 或 \.csv 文件"):
        import_figures(office, clerk, b"x", "f.xls")
    with pytest.raises(ImportFileError, match="文件是空的"):
        import_figures(office, clerk, b"\n", "f.csv")
    assert not YearlyFigure.objects.exists()


def test_the_desk_imports_a_file_and_shows_the_report(desk) -> None:
    clerk = logged_in(desk["clerk"])
    template = clerk.get("/desk/catalogue/figures/template.csv")
    assert template.status_code == 200 and template.content.startswith("\ufeff年度,行政许可项目数量（年末）,".encode())
    text = "年度,行政许可处理决定数量,行政处罚处理决定数量\n2025,12,-5\n2024,3,4\n"
    response = clerk.post("/desk/catalogue/figures/import/", {
        "agency": desk["office"].pk, "file": SimpleUploadedFile("统计数.csv", text.encode("gbk"))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "共2行：导入1行，未导入1行" in page
    assert "第2行（2025年度）：行政处罚处理决定数量不能是负数（填写了-5）；请填写0或正数，没有统计的留空" in page
    assert "第3行：2024年度，修改2项" in page
    assert list(YearlyFigure.objects.values_list("year", "licensing_decisions", "penalty_decisions")) == [
        (2024, 3, 4)]
    response = clerk.post("/desk/catalogue/figures/import/", {
        "agency": desk["office"].pk, "file": SimpleUploadedFile("旧.xls", b"\xd0\xcf\x11\xe0")})
    assert response.status_code == 400 and "不支持的文件类型“旧.xls”" in response.content.decode()
    assert clerk.get("/desk/catalogue/figures/import/").status_code == 405


# -- the report -----------------------------------------------------------------------------------

def test_the_reports_second_part_sums_the_entered_figures(desk) -> None:
    town = agency("DYZ", "大英县蓬莱镇人民政府")
    staff("town_clerk", town, Role.HANDLER)
    clerk = logged_in(desk["clerk"])
    clerk.post("/desk/catalogue/figures/DYX/2025/", {"licensing_decisions": "12", "penalty_decisions": "5",
                                                     "coercion_decisions": "0", "fee_amount": "1.234567"})
    save_figures(town, 2025, town.memberships.get().user, {"licensing_decisions": 3, "fee_amount": "0.5"})
    clerk.post("/desk/catalogue/figures/DYX/2019/", {"licensing_items": "40", "fee_items": "3"})
    clerk.post("/desk/catalogue/figures/DYX/2020/", {"licensing_items": "37", "licensing_decisions": "181",
                                                     "fee_items": "5", "procurement_projects": "13",
                                                     "procurement_amount": "57.539443"})
    assert {k: v for k, v in second_part_cells([desk["office"].pk, town.pk], 2025).items()
            if k[0] != "t2_item1"} == {
        ("t2_item5", "administrative_licensing", "decisions"): 15,
        ("t2_item6", "administrative_penalty", "decisions"): 5,
        ("t2_item6", "administrative_coercion", "decisions"): 0,
        ("t2_item8", "administrative_fees", "fee_amount"): Decimal("1.734567"),
    }
    assert {k: v for k, v in second_part_cells([desk["office"].pk], 2020).items() if k[0] != "t2_item1"} == {
        ("t2_item5", "administrative_licensing", "items_last_year"): 40,
        ("t2_item5", "administrative_licensing", "change_this_year"): -3,
        ("t2_item5", "administrative_licensing", "decisions"): 181,
        ("t2_item8", "administrative_fees", "items_last_year"): 3,
        ("t2_item8", "administrative_fees", "change_this_year"): 2,
        ("t2_item9", "government_procurement", "procurement_projects"): 13,
        ("t2_item9", "government_procurement", "procurement_amount"): Decimal("57.539443"),
    }
