"""The two official layouts of the 政府信息公开工作年度报告, as data.

* ``"2019"``: 《中华人民共和国政府信息公开工作年度报告格式（试行）》, 国办公开办函〔2019〕60号,
  used for the 2019 and 2020 report years.
* ``"2021"``: 《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号,
  used from the 2021 report year on.

Every table, row and column has a stable English key next to its official Chinese label.
Everything else in :mod:`gongkai.report` (rules, parser, renderers) reads these definitions
instead of repeating labels.  Sources: ``shared/spec/annual-report-format.md`` §3.

A row's ``aliases`` are the short, distinctive phrases the parser matches published labels
against (labels are truncated, wrapped and mistyped in real reports); ``heading`` rows carry
no figures (e.g. （三）不予公开, whose figures are the sums of its numbered items).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

ValueKind = Literal["count", "signed_count", "amount"]

FORMAT_2019 = "2019"
FORMAT_2021 = "2021"
FORMATS = (FORMAT_2019, FORMAT_2021)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ValueKind = "count"
    # Unit printed in the official header (e.g. 万元); None when the unit travels in the cell.
    unit: str | None = None
    group: str | None = None  # a super-header spanning several columns (merged cell in the layout)


@dataclass(frozen=True, eq=False)  # identity hashing: rows are looked up millions of times
class Row:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    heading: bool = False  # a group heading with no figures of its own
    level: int = 0  # indentation level in the official layout
    parent: str | None = None  # key of the heading row this row is listed under


@dataclass(frozen=True)
class Table:
    key: str
    label: str
    section: str  # the narrative section the table belongs to (二, 三, 四)
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # Phrases that identify the start of this table in a published report.
    anchors: tuple[str, ...] = ()
    corner: str = "信息内容"  # the label of the row-label column

    @cached_property  # the table is frozen: worked out once (it is read for every row of every report)
    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.heading)

    @cached_property
    def _rows_by_key(self) -> dict[str, Row]:
        return {r.key: r for r in self.rows}

    @cached_property
    def _columns_by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def row(self, key: str) -> Row:
        try:
            return self._rows_by_key[key]
        except KeyError:
            raise KeyError(f"{self.key} has no row {key!r}") from None

    def column(self, key: str) -> Column:
        try:
            return self._columns_by_key[key]
        except KeyError:
            raise KeyError(f"{self.key} has no column {key!r}") from None


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ReportFormat:
    version: str
    name: str
    notice: str
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...] = field(default=())

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"format {self.version} has no table {key!r}")

    def data_cells(self) -> list[tuple[str, str, str]]:
        """Every (table, row, column) that holds a figure, in layout order."""
        return [(t.key, r.key, c.key) for t in self.tables for r in t.data_rows for c in t.columns]


# ---------------------------------------------------------------------------------------------
# Narrative sections (both formats).

SECTIONS = (
    Section("overview", "一", "总体情况", ("总体情况",)),
    Section("proactive", "二", "主动公开政府信息情况", ("主动公开政府信息情况",)),
    Section("requests", "三", "收到和处理政府信息公开申请情况", ("收到和处理政府信息公开申请情况",)),
    Section(
        "review_litigation",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        ("政府信息公开行政复议、行政诉讼情况", "行政复议、行政诉讼情况", "行政复议和提起行政诉讼情况",
         "提起行政诉讼情况"),
    ),
    Section("problems", "五", "存在的主要问题及改进情况", ("存在的主要问题及改进情况", "主要问题及改进情况",
                                                          "存在的主要问题")),
    Section("other", "六", "其他需要报告的事项", ("其他需要报告的事项",)),
)

# ---------------------------------------------------------------------------------------------
# Table 2 — 二、主动公开政府信息情况 (one table per 第二十条 item).

_ITEM_LABEL = "第二十条第（{}）项"


def _t2(key: str, item: str, columns: tuple[Column, ...], rows: tuple[Row, ...]) -> Table:
    label = _ITEM_LABEL.format(item)
    return Table(key, label, "二", columns, rows, anchors=(label,))


_COUNTS_2019 = (
    Column("items_last_year", "上一年项目数量"),
    Column("change_this_year", "本年增/减", kind="signed_count"),
    Column("decisions", "处理决定数量"),
)

T2_2019 = (
    _t2(
        "t2_item1",
        "一",
        (
            Column("made_this_year", "本年新制作数量"),
            Column("published_this_year", "本年新公开数量"),
            Column("published_total", "对外公开总数量"),
        ),
        (Row("rules", "规章", ("规章",)), Row("normative_documents", "规范性文件", ("规范性文件",))),
    ),
    _t2(
        "t2_item5",
        "五",
        _COUNTS_2019,
        (
            Row("administrative_licensing", "行政许可", ("行政许可",)),
            Row("other_management_services", "其他对外管理服务事项", ("其他对外管理服务事项", "对外管理服务")),
        ),
    ),
    _t2(
        "t2_item6",
        "六",
        _COUNTS_2019,
        (Row("administrative_penalty", "行政处罚", ("行政处罚",)),
         Row("administrative_coercion", "行政强制", ("行政强制",))),
    ),
    _t2(
        "t2_item8",
        "八",
        _COUNTS_2019[:2],
        (Row("administrative_fees", "行政事业性收费", ("行政事业性收费",)),),
    ),
    _t2(
        "t2_item9",
        "九",
        (
            Column("procurement_projects", "采购项目数量"),
            # The 2019 template prints no unit: reports write 元 or 万元 inside the cell.
            Column("procurement_amount", "采购总金额", kind="amount"),
        ),
        (Row("government_procurement", "政府集中采购", ("政府集中采购",)),),
    ),
)

_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)

T2_2021 = (
    _t2(
        "t2_item1",
        "一",
        (
            Column("issued_this_year", "本年制发件数"),
            Column("repealed_this_year", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        (Row("rules", "规章", ("规章",)),
         Row("normative_documents", "行政规范性文件", ("行政规范性文件", "规范性文件"))),
    ),
    _t2("t2_item5", "五", _DECISIONS_2021, (Row("administrative_licensing", "行政许可", ("行政许可",)),)),
    _t2(
        "t2_item6",
        "六",
        _DECISIONS_2021,
        (Row("administrative_penalty", "行政处罚", ("行政处罚",)),
         Row("administrative_coercion", "行政强制", ("行政强制",))),
    ),
    _t2(
        "t2_item8",
        "八",
        (Column("fee_amount", "本年收费金额（单位：万元）", kind="amount", unit="万元"),),
        (Row("administrative_fees", "行政事业性收费", ("行政事业性收费",)),),
    ),
)

# ---------------------------------------------------------------------------------------------
# Table 3 — 三、收到和处理政府信息公开申请情况.

APPLICANT_GROUP = "法人或其他组织"

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial_enterprise", "商业企业", group=APPLICANT_GROUP),
    Column("research_institution", "科研机构", group=APPLICANT_GROUP),
    Column("social_welfare_org", "社会公益组织", group=APPLICANT_GROUP),
    Column("legal_service_org", "法律服务机构", group=APPLICANT_GROUP),
    Column("other_org", "其他", group=APPLICANT_GROUP),
    Column("total", "总计"),
)
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS[:-1])

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _item(key: str, number: int, text: str, parent: str, *aliases: str) -> Row:
    return Row(key, f"{number}.{text}", aliases or (text,), level=2, parent=parent)


_T3_HEAD = (
    Row("new_requests", "一、本年新收政府信息公开申请数量", ("本年新收政府信息公开申请", "本年新收")),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请", "上年结转")),
    Row("results", "三、本年度办理结果", ("本年度办理结果",), heading=True),
    Row("disclosed", "（一）予以公开", ("予以公开",), level=1, parent="results"),
    Row("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",), level=1,
        parent="results"),
    Row("withheld", "（三）不予公开", ("不予公开",), heading=True, level=1, parent="results"),
    _item("withheld_state_secret", 1, "属于国家秘密", "withheld", "国家秘密"),
    _item("withheld_prohibited_by_law", 2, "其他法律行政法规禁止公开", "withheld", "法律行政法规禁止公开",
          "行政法规禁止公开"),
    _item("withheld_three_securities", 3, "危及“三安全一稳定”", "withheld", "三安全一稳定", "危及"),
    _item("withheld_third_party", 4, "保护第三方合法权益", "withheld", "保护第三方合法权益", "第三方合法权益"),
    _item("withheld_internal_affairs", 5, "属于三类内部事务信息", "withheld", "三类内部事务信息", "内部事务信息"),
    _item("withheld_process_information", 6, "属于四类过程性信息", "withheld", "四类过程性信息", "过程性信息"),
    _item("withheld_law_enforcement_files", 7, "属于行政执法案卷", "withheld", "行政执法案卷"),
    _item("withheld_inquiry_matters", 8, "属于行政查询事项", "withheld", "行政查询事项"),
    Row("unavailable", "（四）无法提供", ("无法提供",), heading=True, level=1, parent="results"),
    _item("unavailable_not_held", 1, "本机关不掌握相关政府信息", "unavailable", "不掌握相关政府信息", "不掌握"),
    _item("unavailable_needs_creation", 2, "没有现成信息需要另行制作", "unavailable", "没有现成信息",
          "另行制作"),
    _item("unavailable_unclear_after_correction", 3, "补正后申请内容仍不明确", "unavailable",
          "补正后申请内容仍不明确", "仍不明确"),
    Row("not_processed", "（五）不予处理", ("不予处理",), heading=True, level=1, parent="results"),
    _item("not_processed_petition", 1, "信访举报投诉类申请", "not_processed", "信访举报投诉"),
    _item("not_processed_repeated", 2, "重复申请", "not_processed", "重复申请"),
    _item("not_processed_publications", 3, "要求提供公开出版物", "not_processed", "公开出版物"),
    _item("not_processed_mass_repeated", 4, "无正当理由大量反复申请", "not_processed", "大量反复申请"),
    _item("not_processed_confirmation", 5, "要求行政机关确认或重新出具已获取信息", "not_processed",
          "确认或重新出具", "重新出具已获取信息"),
)

_T3_TAIL = (
    Row("results_total", "（七）总计", ("总计",), level=1, parent="results"),
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年度继续办理", "结转下年度")),
)

T3_2019 = Table(
    "t3_requests",
    "三、收到和处理政府信息公开申请情况",
    "三",
    APPLICANT_COLUMNS,
    (*_T3_HEAD, Row("other_handling", "（六）其他处理", ("其他处理",), level=1, parent="results"), *_T3_TAIL),
    anchors=("收到和处理政府信息公开申请情况",),
    corner="申请人情况",
)

T3_2021 = Table(
    "t3_requests",
    T3_2019.label,
    "三",
    APPLICANT_COLUMNS,
    (
        *_T3_HEAD,
        Row("other_handling", "（六）其他处理", ("其他处理",), heading=True, level=1, parent="results"),
        _item("other_no_correction", 1, "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "other_handling", "逾期不补正"),
        _item("other_fee_unpaid", 2, "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
              "other_handling", "逾期未按收费通知", "缴纳费用"),
        _item("other_other", 3, "其他", "other_handling", "其他"),
        *_T3_TAIL,
    ),
    anchors=T3_2019.anchors,
    corner="申请人情况",
)

# Rows whose sum is （七）总计 (T3-2), per format.
T3_RESULT_ROWS = {
    version: tuple(
        r.key for r in table.data_rows if r.parent is not None and r.key != "results_total"
    )
    for version, table in ((FORMAT_2019, T3_2019), (FORMAT_2021, T3_2021))
}

# ---------------------------------------------------------------------------------------------
# Table 4 — 四、政府信息公开行政复议、行政诉讼情况: one row of 15 cells.

REVIEW = "行政复议"
LITIGATION = "行政诉讼"
SUIT_DIRECT = "未经复议直接起诉"
SUIT_AFTER_REVIEW = "复议后起诉"
OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
            ("total", "总计"))
T4_GROUPS = (("review", REVIEW), ("suit_direct", SUIT_DIRECT), ("suit_after_review", SUIT_AFTER_REVIEW))

T4 = Table(
    "t4_review_litigation",
    "四、政府信息公开行政复议、行政诉讼情况",
    "四",
    tuple(Column(f"{g}_{o}", olabel, group=glabel) for g, glabel in T4_GROUPS for o, olabel in OUTCOMES),
    (Row("cases", "件数", ()),),
    anchors=SECTIONS[3].aliases,
    corner="",
)

FORMAT_DEFINITIONS: dict[str, ReportFormat] = {
    FORMAT_2019: ReportFormat(
        FORMAT_2019,
        "中华人民共和国政府信息公开工作年度报告格式（试行）",
        "国办公开办函〔2019〕60号",
        2019,
        2020,
        SECTIONS,
        (*T2_2019, T3_2019, T4),
    ),
    FORMAT_2021: ReportFormat(
        FORMAT_2021,
        "中华人民共和国政府信息公开工作年度报告格式",
        "国办公开办函〔2021〕30号",
        2021,
        None,
        SECTIONS,
        (*T2_2021, T3_2021, T4),
    ),
}


def get_format(version: str) -> ReportFormat:
    try:
        return FORMAT_DEFINITIONS[version]
    except KeyError:
        raise ValueError(f"unknown report format {version!r}; known: {', '.join(FORMATS)}") from None


def format_for_year(year: int) -> str:
    """The format a report year must use (2019 and 2020: the trial format; 2021 on: the revised one)."""
    if year < 2019:
        raise ValueError(f"{year}: the annual-report formats start with the 2019 report year")
    return FORMAT_2019 if year <= 2020 else FORMAT_2021


# Decimal places an amount may carry in a unit: 0.01 元 is the smallest amount of money.
AMOUNT_PRECISION = {"元": 2, "万元": 6, "亿元": 10}
