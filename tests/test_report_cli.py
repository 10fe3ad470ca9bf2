"""``gongkai report parse|check`` as a user runs them: output, exit status, tables for supervisors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from gongkai.cli import main
from gongkai.report.formats import APPLICANT_KEYS, FORMAT_2021
from tests.flatten import flatten
from tests.strategies import example_report

SEED = Path(__file__).parent / "fixtures" / "reports" / "daying-2020.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_seed_reports_exactly_its_errors(capsys):
    code, out, _err = run(capsys, "report", "check", str(SEED), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["status"] == "violations"
    found = [(v["rule"], v["severity"], v["found"], v["expected"]) for v in data["violations"]]
    assert found == [
        ("T3-1", "error", "8", "= 0"),  # 自然人: 一 8 + 二 0 against （七）总计 0 + 四 0
        ("T3-1", "error", "8", "= 0"),  # 总计 column
        ("T3-2", "error", "0", "= 8"),  # （七）总计 0 against 4 予以公开 + 2 不掌握 + 2 补正后仍不明确
        ("T3-2", "error", "0", "= 8"),
        ("T4-1", "error", "0", "= 1"),  # 行政复议 总计 0 beside 结果纠正 1
        ("N-1", "warning", "8", "0"),  # "受理…8件，均在法定期限内答复" vs （七）总计 0
    ]
    t31 = data["violations"][0]
    assert [c["cell"] for c in t31["cells"]] == [
        "t3_requests/new_requests/natural_person", "t3_requests/carried_over/natural_person",
        "t3_requests/results_total/natural_person", "t3_requests/carried_forward/natural_person"]
    assert [c["source"] for c in t31["cells"]] == ["第158行", "第175行", "第523行", "第540行"]
    t41 = data["violations"][4]
    assert {c["cell"]: c["source"] for c in t41["cells"]}["t4_review_litigation/cases/review_total"] == "第605行"
    assert [p["code"] for p in data["problems"]] == ["header-truncated", "header-truncated"]


def test_check_seed_text_output(capsys):
    code, out, _ = run(capsys, "report", "check", str(SEED))
    assert code == 1
    assert "大英县政府办公室 2020年度报告，2019年格式" in out
    assert "✗ T4-1" in out and "行政复议：总计 0 = 0，应等于 结果纠正 1 = 1" in out
    assert "结论：未通过（错误 5 条，提示 1 条）" in out


def test_clean_report_exits_zero(tmp_path, capsys):
    path = tmp_path / "clean-2023.txt"
    path.write_text(flatten(example_report(FORMAT_2021), "pipes"), encoding="utf-8")
    code, out, _ = run(capsys, "report", "check", str(path))
    assert code == 0
    assert "结论：通过" in out


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "文件为空"),
    (bytes(range(256)) * 100, "不是文本"),
])
def test_unreadable_exits_two_with_one_line(tmp_path, capsys, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "report", "check", str(path))
    assert code == 2
    assert reason in err
    assert "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1


def test_missing_file(capsys):
    code, _, err = run(capsys, "report", "parse", "/nonexistent/report.txt")
    assert code == 2
    assert "无法打开文件" in err


def test_incomplete_report_exits_two(tmp_path, capsys):
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / "no-table4.txt"
    path.write_text(text[: text.index("四、政府信息公开行政复议")], encoding="utf-8")
    code, out, _ = run(capsys, "report", "check", str(path))
    assert code == 2
    assert "table-missing" in out
    assert "报告不完整" in out


def test_parse_json_names_every_cell(capsys):
    code, out, _ = run(capsys, "report", "parse", str(SEED), "--json")
    assert code == 0
    data = json.loads(out)
    t3 = next(t for t in data["tables"] if t["key"] == "t3_requests")
    assert t3["label"] == "三、收到和处理政府信息公开申请情况"
    row = next(r for r in t3["rows"] if r["key"] == "unavailable_unclear_after_correction")
    assert row["label"] == "3.补正后申请内容仍不明确"
    assert row["cells"]["natural_person"] == {"label": "自然人", "value": 2, "source": "第402行"}
    headings = [r["key"] for r in t3["rows"] if r.get("heading")]
    assert headings == ["results", "withheld", "unavailable", "not_processed"]
    assert data["narrative_figures"][0] == {
        "key": "proactive_items", "label": "主动公开政府信息", "value": 991, "text": "主动公开政府政务信息991条",
        "location": "正文第4行"}


def test_blank_cell_is_null_in_json(tmp_path, capsys):
    report = example_report(FORMAT_2021)
    report.cells[("t3_requests", "withheld_state_secret", "research_institution")] = None
    path = tmp_path / "blank.txt"
    path.write_text(flatten(report, "markdown"), encoding="utf-8")
    _code, out, _ = run(capsys, "report", "parse", str(path), "--json")
    data = json.loads(out)
    t3 = next(t for t in data["tables"] if t["key"] == "t3_requests")
    row = next(r for r in t3["rows"] if r["key"] == "withheld_state_secret")
    assert row["cells"]["research_institution"]["value"] is None
    assert "unread" not in row["cells"]["research_institution"]


def _year_pair(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    last = example_report(FORMAT_2021)
    last.year = 2022
    this = example_report(FORMAT_2021)
    t3 = "t3_requests"
    for col in [*APPLICANT_KEYS, "total"]:  # this year carries over what last year carried forward…
        this.cells[(t3, "carried_over", col)] = last.cells[(t3, "carried_forward", col)]
        this.cells[(t3, "new_requests", col)] = (this.cells[(t3, "results_total", col)]
                                                 + this.cells[(t3, "carried_forward", col)]
                                                 - this.cells[(t3, "carried_over", col)])
    for col in ("natural_person", "total"):  # …but one more natural person (and one fewer new): T3-1 holds
        this.cells[(t3, "carried_over", col)] += 1
        this.cells[(t3, "new_requests", col)] -= 1
    for row in ("rules", "normative_documents"):  # in force last year = this year's − issued + repealed
        issued, repealed, in_force = (this.cells[("t2_item1", row, c)]
                                      for c in ("issued_this_year", "repealed_this_year", "in_force"))
        last.cells[("t2_item1", row, "in_force")] = in_force - issued + repealed
    (folder / "shiyan-2022.txt").write_text(flatten(last, "pipes"), encoding="utf-8")
    (folder / "shiyan-2023.md").write_text(flatten(this, "markdown"), encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"")
    return folder


def test_folder_check_pairs_years_and_writes_csv(tmp_path, capsys):
    folder = _year_pair(tmp_path)
    out_csv = tmp_path / "result.csv"
    code, _, err = run(capsys, "report", "check", str(folder), "--out", str(out_csv), "--no-progress")
    assert code == 2  # one file unreadable
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:6] == ["文件", "机关", "年度", "格式", "结论", "规则"]
    by_file = {}
    for r in rows[1:]:
        by_file.setdefault(Path(r[0]).name, []).append(r)
    assert [r[4] for r in by_file["broken.txt"]] == ["无法读取"]
    assert [(r[4], r[5]) for r in by_file["shiyan-2022.txt"]] == [("通过", "")]
    x1 = [r for r in by_file["shiyan-2023.md"] if r[5] == "X-1"]
    # 自然人 and 总计 columns: last year carried forward 0 and 15; this year says 1 and 16
    assert [(r[10], r[11]) for r in x1] == [("0", "1"), ("15", "16")]
    assert Path(x1[0][12]).name == "shiyan-2022.txt"
    assert "共 3 份：通过 1，未通过 1，不完整 0，无法读取 1" in err


@pytest.mark.parametrize("suffix", [".xlsx", ".html"])
def test_folder_check_other_tables(tmp_path, capsys, suffix):
    folder = _year_pair(tmp_path)
    out = tmp_path / f"result{suffix}"
    run(capsys, "report", "check", str(folder), "--out", str(out), "--no-progress")
    if suffix == ".xlsx":
        ws = openpyxl.load_workbook(out).active
        values = [[c.value for c in row] for row in ws.iter_rows()]
        assert values[0][0] == "文件"
        assert any(v[5] == "X-1" for v in values[1:])
    else:
        html = out.read_text(encoding="utf-8")
        assert "<th>规则</th>" in html and "<td>X-1</td>" in html


def test_previous_option(tmp_path, capsys):
    folder = _year_pair(tmp_path)
    code, out, _ = run(capsys, "report", "check", str(folder / "shiyan-2023.md"),
                       "--previous", str(folder / "shiyan-2022.txt"), "--json")
    assert code == 1
    assert [v["rule"] for v in json.loads(out)["violations"]] == ["X-1", "X-1"]


def test_bad_output_suffix(tmp_path, capsys):
    code, _, err = run(capsys, "report", "check", str(SEED), str(SEED), "--out", str(tmp_path / "x.pdf"),
                       "--no-progress")
    assert code == 2
    assert "请用 .csv、.xlsx 或 .html" in err


def test_console_script_runs():
    done = subprocess.run([sys.executable, "-m", "gongkai.cli", "report", "check", str(SEED)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "T4-1" in done.stdout
