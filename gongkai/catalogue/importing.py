"""Bulk import of catalogue items from .xlsx or .csv, with a row-by-row report.

The first non-empty row names the columns (Chinese headers, see :data:`COLUMNS`; order free,
unknown columns ignored and reported).  Each row is checked completely first and then saved in
its own savepoint: a valid row goes in whole, an invalid row not at all and is listed with every
reason, in Chinese, so that it can be corrected and imported again.

Rows come in as drafts (to be reviewed and published as usual), or — ``published=True``, for a
reviewer moving an existing catalogue over — as published items that keep their own 索引号 and
发布日期 (a row without a 索引号 gets the next one of the pattern).

CSV files may be UTF-8 (with or without BOM) or GBK/GB18030 (what Excel writes on a Chinese
Windows), separated by commas or tabs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.agencies.models import Agency
from gongkai.site.wording import clauses

from . import search, services
from .models import Article20Item, CatalogueNode, DocumentKind, Genre, Item, State, Topic
from .services import REVIEWERS, CatalogueError

# field → header and accepted aliases
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("名称", "标题", "信息名称", "文件名称"),
    "index_number": ("索引号",),
    "summary": ("内容概述", "摘要"),
    "publisher_name": ("发布机构", "发文机关", "发文机构"),
    "written_on": ("成文日期", "生成日期"),
    "published_on": ("发布日期", "公开日期"),
    "document_number": ("文号", "文件编号", "发文字号"),
    "topic": ("主题分类",),
    "genre": ("体裁", "文种"),
    "article20_item": ("第二十条事项", "条例第二十条", "公开事项"),
    "node": ("目录栏目", "公开目录", "栏目"),
    "kind": ("文件类别", "类别"),
    "issued_on": ("印发日期",),
    "amended_on": ("修订日期",),
    "effective_from": ("施行日期", "生效日期"),
    "expired_on": ("失效日期",),
    "repealed_on": ("废止日期",),
    "formed_or_changed_on": ("形成或变更日期", "信息形成日期"),
    "interprets": ("解读对象", "被解读文件"),
    "body": ("正文",),
}
DATE_FIELDS = ("written_on", "published_on", "issued_on", "amended_on", "effective_from", "expired_on", "repealed_on",
               "formed_or_changed_on")
_HEADERS = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
MAX_ROWS = 20000


class ImportFileError(CatalogueError):
    """The file as a whole cannot be read (type, encoding, no 名称 column)."""


@dataclass
class RejectedRow:
    row: int  # the row number as the spreadsheet shows it
    title: str
    errors: list[str]

    @property
    def message(self) -> str:
        if self.title:
            return gettext("第%(row)s行（%(title)s）：%(errors)s") % {
                "row": self.row, "title": self.title, "errors": clauses(self.errors)}
        return gettext("第%(row)s行：%(errors)s") % {"row": self.row, "errors": clauses(self.errors)}


@dataclass
class ImportReport:
    rows: int = 0
    created: list[Item] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"共{self.rows}行：导入{len(self.created)}行，未导入{len(self.rejected)}行"


# -- reading files --------------------------------------------------------------------------------

def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFileError(gettext("无法识别CSV文件的编码：请在Excel中另存为“CSV UTF-8（逗号分隔）”"
                                      "后重新导入")) from exc


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = decode_csv(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(gettext("无法打开Excel文件：%(error)s；请确认是 .xlsx 格式（.xls 请先另存为 .xlsx）") % {
            "error": exc}) from exc
    try:
        for row in wb.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        wb.close()


def read_rows(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the file's first sheet."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise ImportFileError(gettext("不支持的文件类型“%(file)s”：请上传 .xlsx 或 .csv 文件") % {"file": filename})
    yield from enumerate(rows, start=1)


def read_table(data: bytes, filename: str, read_header: Callable[[list[Any]], dict[int, str]],
               empty: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column name: cell}) of each non-empty row after the header row, whose column
    names ``read_header`` gives (by cell position).  Empty rows are skipped; more than
    :data:`MAX_ROWS` rows, or a file with no header row (``empty`` says what it should hold), end
    with :class:`ImportFileError`."""
    header: dict[int, str] | None = None
    count = 0
    for number, cells in read_rows(data, filename):
        if all(_text(c) == "" for c in cells):
            continue
        if header is None:
            header = read_header(cells)
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(gettext("一次最多导入%(n)s行，请分批导入") % {"n": MAX_ROWS})
        yield number, {name: cells[i] for i, name in header.items() if i < len(cells)}
    if header is None:
        raise ImportFileError(empty)


def header_columns(cells: list[Any], name_of: Callable[[str], str | None], notes: list[str]) -> dict[int, str]:
    """{cell position: column name} of a header row: ``name_of`` names a header cell's text (None:
    not a column this import knows, noted in ``notes`` and ignored); blank cells are skipped and a
    column given twice ends the import."""
    header: dict[int, str] = {}
    ignored = []
    for i, cell in enumerate(cells):
        text = _text(cell)
        if not re.sub(r"\s+", "", text):
            continue
        name = name_of(text)
        if name is None:
            ignored.append(text)
        elif name in header.values():
            raise ImportFileError(gettext("列“%(label)s”重复出现，请删除多余的一列") % {"label": text})
        else:
            header[i] = name
    if ignored:
        notes.append(gettext("以下列不认识，已忽略：%(labels)s") % {"labels": "、".join(ignored)})
    return header


# -- reading values -------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_CN_NUMBERS = {n: i for i, n in enumerate(
    ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"), start=1)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> date:
    """A date cell: an Excel date, 2025-01-31, 2025/1/31, 2025.1.31, 2025年1月31日 or 20250131."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not m:
        raise ValueError(text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_article20(value: Any) -> int:
    """（一）, (一), 一, 第二十条第（一）项, 1 → 1."""
    text = _text(value)
    m = re.search(r"[（(]([一二三四五六七八九十]+)[)）]", text)
    key = m.group(1) if m else text.removeprefix("第").removesuffix("项")
    if key.isdigit() and 1 <= int(key) <= 15:
        return int(key)
    if key in _CN_NUMBERS:
        return _CN_NUMBERS[key]
    for choice in Article20Item:
        if text and text == str(choice.label):
            return int(choice.value)
    raise ValueError(text)


def _choice(value: str, choices: Any) -> str:
    for c in choices:
        if value in (c.value, str(c.label), str(c.label).split("（")[0]):
            return str(c.value)
    raise ValueError(value)


# -- importing ------------------------------------------------------------------------------------

class _Row:
    def __init__(self, number: int, values: dict[str, Any]) -> None:
        self.number = number
        self.values = values
        self.errors: list[str] = []
        self.fields: dict[str, Any] = {}

    def text(self, name: str) -> str:
        return _text(self.values.get(name))


def import_items(agency: Agency, actor: User, data: bytes, filename: str, *, published: bool = False) -> ImportReport:
    """Import the rows of ``data`` (.xlsx or .csv) into ``agency``'s catalogue; see the module docstring.

    :class:`ImportFileError` when the file as a whole cannot be read; otherwise every row is
    either imported or listed in :attr:`ImportReport.rejected` with its reasons.
    """
    services._require_role(actor, agency, REVIEWERS if published else services.EDITORS,
                           "导入已发布的信息" if published else "导入信息")
    report = ImportReport()
    for number, values in read_table(data, filename, lambda cells: _read_header(cells, report),
                                     gettext("文件是空的：第一行应为列名（名称、成文日期、文号……）")):
        report.rows += 1
        row = _Row(number, values)
        _check(row, agency, published)
        if row.errors:
            report.rejected.append(RejectedRow(number, row.text("title"), row.errors))
            continue
        try:
            report.created.append(_save(row, agency, actor, published))
        except (CatalogueError, IntegrityError) as exc:
            report.rejected.append(RejectedRow(number, row.text("title"), [_integrity_message(exc)]))
    return report


def _read_header(cells: list[Any], report: ImportReport) -> dict[int, str]:
    header = header_columns(cells, lambda text: _HEADERS.get(re.sub(r"\s+", "", text).rstrip("*＊")), report.notes)
    if "title" not in header.values():
        raise ImportFileError(gettext("第一行没有“名称”（或“标题”）列：第一行应为列名，名称列必须有"))
    return header


def _check(row: _Row, agency: Agency, published: bool) -> None:
    f, err = row.fields, row.errors
    title = row.text("title")
    if not title:
        err.append("缺少名称")
    elif len(title) > 300:
        err.append(f"名称过长（{len(title)}字，最多300字）")
    f["title"] = title
    for name in ("summary", "publisher_name", "document_number", "body"):
        if row.text(name):
            f[name] = row.text(name)
    for name in DATE_FIELDS:
        raw = row.values.get(name)
        if _text(raw) == "":
            continue
        try:
            f[name] = parse_date(raw)
        except ValueError:
            err.append(f"{COLUMNS[name][0]}“{_text(raw)}”不是有效日期（请写作2025-01-31）")
    if row.text("kind"):
        try:
            kind_text = row.text("kind")
            f["kind"] = _choice("行政规范性文件" if kind_text == "规范性文件" else kind_text, DocumentKind)
        except ValueError:
            err.append(f"文件类别“{row.text('kind')}”不存在（可填：规章、行政规范性文件、其他）")
    if row.text("genre"):
        try:
            f["genre"] = _choice(row.text("genre"), Genre)
        except ValueError:
            err.append(f"体裁“{row.text('genre')}”不存在")
    if row.text("article20_item"):
        try:
            f["article20_item"] = parse_article20(row.values["article20_item"])
        except ValueError:
            err.append(f"第二十条事项“{row.text('article20_item')}”不存在（请填（一）至（十五））")
    if row.text("topic"):
        value = row.text("topic")
        topic = Topic.objects.filter(Q(code=value) | Q(name=value)).order_by("id").first()
        if topic is None:
            err.append(f"主题分类“{value}”不存在，请先在主题分类中添加")
        f["topic"] = topic
    if row.text("node"):
        value = row.text("node")
        node = _find_node(agency, value)
        if node is None:
            err.append(f"目录栏目“{value}”不是本机关的栏目")
        f["node"] = node
    if row.text("interprets"):
        value = row.text("interprets")
        target = (Item.objects.filter(agency=agency).exclude(state=State.WITHDRAWN)
                  .filter(Q(index_number=value) | Q(document_number=value)).order_by("id"))
        found = list(target[:2])
        if not found:
            err.append(f"解读对象“{value}”未找到（请填被解读文件的索引号或文号）")
        elif len(found) > 1:
            err.append(f"解读对象“{value}”对应多条信息，请改填索引号")
        else:
            f["interprets"] = found[0]
    kind = f.get("kind", DocumentKind.OTHER)
    if kind in (DocumentKind.RULE, DocumentKind.NORMATIVE):
        if not f.get("document_number"):
            err.append("规章和行政规范性文件必须填写文号")
        if f.get("issued_on") is None:
            err.append("规章和行政规范性文件必须填写印发日期")
    elif f.get("repealed_on") is not None:
        err.append("只有规章和行政规范性文件可以填写废止日期")
    number = row.text("index_number")
    if published:
        if f.get("published_on") is None:
            err.append("导入已发布的信息必须填写发布日期")
        elif f["published_on"] > timezone.localdate():
            err.append(f"发布日期（{f['published_on']:%Y-%m-%d}）晚于今天")
        if not f.get("body") and not f.get("summary"):
            err.append("导入已发布的信息必须有正文或内容概述")
        if number:
            if len(number) > 80:
                err.append("索引号过长（最多80个字符）")
            elif Item.objects.filter(index_number=number).exists():
                err.append(f"索引号“{number}”已被使用")
            f["index_number"] = number
    elif number:
        err.append("导入为草稿时不能填写索引号（索引号在发布时生成）；迁移已发布的信息请选择“导入为已发布”")
    for early, late, label in (("written_on", "published_on", "发布日期早于成文日期"),
                               ("issued_on", "repealed_on", "废止日期早于印发日期"),
                               ("effective_from", "expired_on", "失效日期早于施行日期")):
        if f.get(early) is not None and f.get(late) is not None and f[late] < f[early]:
            err.append(label)


def _find_node(agency: Agency, value: str) -> CatalogueNode | None:
    """A node by code, by name, or by its path written 名称/名称."""
    nodes = list(CatalogueNode.objects.filter(agency=agency).select_related("parent"))
    for node in nodes:
        if value in (node.code, node.name, "/".join(n.name for n in node.path())):
            return node
    return None


def _save(row: _Row, agency: Agency, actor: User, published: bool) -> Item:
    fields = dict(row.fields)
    index_number = fields.pop("index_number", "")
    published_on = fields.pop("published_on", None)
    with transaction.atomic():
        item = services.create_draft(agency, actor, **fields)
        if published:
            item.state = State.PUBLISHED
            item.published_on = published_on
            item.index_number = index_number or services.assign_index_number(item, published_on)
            services._full_clean(item)
            item.save()
            search.index_item(item)
        services._log(item, actor, "import", State.DRAFT, {"row": row.number, "index_number": item.index_number,
                                                          "published_on": item.published_on})
    return item


def _integrity_message(exc: Exception) -> str:
    if isinstance(exc, IntegrityError):
        return "保存失败（与已有信息冲突，可能是索引号重复），请检查后重新导入"
    return str(exc)
