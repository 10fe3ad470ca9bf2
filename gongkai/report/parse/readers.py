"""Readers: bytes of a published report in any of its shapes → tokens with source positions.

Supported: flattened text (UTF-8, GBK/GB18030, UTF-16, with or without BOM), the HTML page,
.docx (python-docx), .xlsx (openpyxl) and .pdf with a text layer (pdfplumber reads its tables
by their ruling lines; a page without rules falls back to its text lines).

Every failure to read becomes :class:`ReportReadError` with a one-line reason in Chinese and
English — never a traceback — because a supervisor feeds hundreds of files at once.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from .tokens import Token, cell_tokens, line_tokens, normalise, text_tokens

MAX_BYTES = 30 * 1024 * 1024  # the largest published reports (PDF with scans) are well below this


class ReportReadError(Exception):
    """The input cannot be read as a report; the message says why, in one line."""


@dataclass
class Document:
    kind: str  # text, html, docx, xlsx, pdf
    tokens: list[Token]
    text: str  # the prose (outside tables) as lines, for the narrative
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def read_bytes(data: bytes, name: str = "") -> Document:
    if len(data) > MAX_BYTES:
        raise ReportReadError(
            f"文件过大（{len(data) / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB），不像一份年度报告 "
            f"/ file too large for an annual report"
        )
    if not data.strip():
        raise ReportReadError("文件为空 / the file is empty")
    lower = name.lower()
    if data.startswith(b"%PDF"):
        return _read_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data, lower)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportReadError(
            "这是旧版 Word/Excel（.doc/.xls）文件，请另存为 .docx 或 .xlsx 后再读"
            " / legacy .doc/.xls: save as .docx/.xlsx"
        )
    text, encoding = decode(data)
    if _HTML.search(text, 0, 200000):
        doc = _read_html(text)
        doc.encoding = encoding
        return doc
    return Document("text", text_tokens(text), text, encoding)


# ---------------------------------------------------------------------------------------------
# Text encodings


_HTML = re.compile(r"<(html|table|body|tr|td|p|div)\b", re.IGNORECASE)


def decode(data: bytes) -> tuple[str, str]:
    """Decode published text: BOMs first, then strict UTF-8, then GB18030 (a superset of GBK)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _checked(data.decode(enc, errors="replace"), enc), enc
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1::2][:4000].count(0) >= data[0::2][:4000].count(0) else "utf-16-be"
        return _checked(data.decode(enc, errors="replace"), enc), enc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _checked(text, "utf-8", data), "utf-8"
    # Without a BOM, GB18030 and UTF-16 can all decode the same bytes: keep the reading in which
    # the words every report uses appear most often.
    readings = []
    # UTF-16 has two bytes a character: an odd number of bytes is never strict UTF-16.
    for enc in ("gb18030", "utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ("gb18030",):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        readings.append((enc, text))
    if len(readings) == 1 and readings[0][0] == "gb18030":
        # The one reading, kept whatever its score: only scores of several readings are compared.
        return _checked(readings[0][1], "gb18030", data), "gb18030"
    if readings:
        score, enc, text = max(((_score(text), enc, text) for enc, text in readings), key=lambda r: r[0])
        if score > 0 or enc == "gb18030":
            return _checked(text, enc, data if enc == "gb18030" else None), enc
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    if best is None:
        raise ReportReadError("无法识别文件编码，不是文本、HTML、Word、Excel 或 PDF / not a readable report file")
    return _checked(str(best), best.encoding), best.encoding


def _score(text: str) -> int:
    """How often ``text`` holds the words every report uses: which of several readings is the text."""
    return sum(text.count(w) for w in ("政府", "信息", "公开", "申请", "年度", "报告", "。", "，"))


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII-heavy UTF-16 has a zero in every other byte; CJK-heavy UTF-16 decodes cleanly either way.
    return max(zeros_even, zeros_odd) > half * 0.3 and min(zeros_even, zeros_odd) < half * 0.05


_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


# The characters of _BAD_CHARS below U+0080: in UTF-8 and in GB18030, each is the one byte of
# the same value, and no byte of a character of several bytes is one of them.
_BAD_BYTES = bytes(b for b in range(0x80) if _BAD_CHARS.match(chr(b)))


def _checked(text: str, encoding: str, raw: bytes | None = None) -> str:
    """Refuse binary data that happens to decode: too many control characters or replacements.

    ``raw`` is what the text was decoded from strictly, in UTF-8 or GB18030, when it was.
    """
    sample = text[:100000]
    if not sample:
        raise ReportReadError("文件为空 / the file is empty")
    if raw is not None and len(text) <= 100000:
        # The count of _BAD_CHARS in the text, from its bytes (a pass over bytes costs less than
        # the regular expression over characters): the control bytes, and the U+FFFDs.
        bad = len(raw) - len(raw.translate(None, _BAD_BYTES)) + text.count("\ufffd")
    else:
        bad = len(_BAD_CHARS.findall(sample))
    if bad > max(8, len(sample) // 50):
        raise ReportReadError(
            f"文件内容不是文本（{encoding} 解码后有 {bad} 个控制字符或乱码），可能是二进制文件"
            " / binary data, not a report"
        )
    return text


# ---------------------------------------------------------------------------------------------
# HTML


_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "title",
          "header", "footer", "ul", "ol", "table", "blockquote", "pre", "dd", "dt"}
_SKIP = {"script", "style", "noscript", "head", "template", "svg", "iframe", "select", "option", "button"}


def _read_html(text: str) -> Document:
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(text, "lxml")
    tokens: list[Token] = []
    lines: list[str] = []
    buf: list[str] = []
    table_no = 0

    def flush() -> None:
        line = "".join(buf).strip()
        buf.clear()
        if line:
            lines.append(line)
            tokens.extend(line_tokens(line, f"正文第{len(lines)}段"))

    def emit_table(table: Tag) -> None:
        nonlocal table_no
        table_no += 1
        for r, tr in enumerate(table.find_all("tr"), start=1):
            if tr.find_parent("table") is not table:
                continue
            for c, cell in enumerate(tr.find_all(["td", "th"], recursive=False), start=1):
                tokens.extend(cell_tokens(cell.get_text(""), f"HTML表格{table_no} 第{r}行 第{c}列"))

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                    continue
                buf.append(str(child).replace("\n", " "))
                continue
            if not isinstance(child, Tag) or child.name in _SKIP:
                continue
            if child.name == "table":
                flush()
                # Old portals lay pages out with tables: only innermost tables hold figures.
                if child.find("table") is not None:
                    walk(child)
                else:
                    emit_table(child)
                continue
            if child.name in _BLOCK:
                flush()
            walk(child)
            if child.name in _BLOCK:
                flush()

    root = soup.body or soup
    walk(root)
    flush()
    return Document("html", tokens, "\n".join(normalise(x) for x in lines))


# ---------------------------------------------------------------------------------------------
# Office files


def _read_zip(data: bytes, lower: str) -> Document:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise ReportReadError(f"压缩文件已损坏，无法作为 Word/Excel 读取 / corrupt zip: {exc}") from None
    if "word/document.xml" in names:
        return _read_docx(data)
    if "xl/workbook.xml" in names:
        return _read_xlsx(data)
    raise ReportReadError("这个压缩文件既不是 .docx 也不是 .xlsx / a zip that is neither .docx nor .xlsx")


def _read_docx(data: bytes) -> Document:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for damaged packages
        raise ReportReadError(f"Word 文件已损坏，无法读取 / damaged .docx: {exc}") from None
    tokens: list[Token] = []
    lines: list[str] = []
    table_no = 0
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            if text.strip():
                lines.append(text.strip())
                tokens.extend(line_tokens(text, f"Word正文第{len(lines)}段"))
        elif block.tag == qn("w:tbl"):
            table_no += 1
            for r, tr in enumerate(block.iter(qn("w:tr")), start=1):
                for c, tc in enumerate(tr.iterchildren(qn("w:tc")), start=1):
                    vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                    if vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue"):
                        continue  # the lower part of a vertically merged cell repeats nothing
                    paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
                    tokens.extend(cell_tokens("\n".join(paras), f"Word表格{table_no} 第{r}行 第{c}列"))
    return Document("docx", tokens, "\n".join(normalise(x) for x in lines))


def _read_xlsx(data: bytes) -> Document:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        raise ReportReadError(f"Excel 文件已损坏，无法读取 / damaged .xlsx: {exc}") from None
    tokens: list[Token] = []
    lines: list[str] = []
    for ws in wb.worksheets:
        covered = set()
        for rng in ws.merged_cells.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    if (row, col) != (rng.min_row, rng.min_col):
                        covered.add((row, col))
        for row in ws.iter_rows():
            # Blank cells are kept, trailing ones too: a row may end in blank figures.  Empty
            # cells beyond a table are blank groups that the table reader drops.
            cells = [c for c in row if (c.row, c.column) not in covered]
            if all(c.value in (None, "") for c in cells):
                continue
            for cell in cells:
                value = cell.value
                text = "" if value is None else _excel_text(value)
                tokens.extend(cell_tokens(text, f"工作表“{ws.title}” {cell.coordinate}"))
                if len(text) > 30:
                    lines.append(normalise(text))
    return Document("xlsx", tokens, "\n".join(lines))


def _excel_text(value: object) -> str:
    if isinstance(value, float):
        # 3.0 is a count written by a spreadsheet; other floats keep their shortest exact digits.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


# ---------------------------------------------------------------------------------------------
# PDF


def _read_pdf(data: bytes) -> Document:
    import pdfplumber

    tokens: list[Token] = []
    lines: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds for damaged files
        raise ReportReadError(f"PDF 文件已损坏，无法读取 / damaged PDF: {exc}") from None
    with pdf:
        any_text = False
        for p, page in enumerate(pdf.pages, start=1):
            tables = page.find_tables()
            items: list[tuple[float, list[Token], list[str]]] = []
            for t, table in enumerate(tables, start=1):
                toks: list[Token] = []
                for r, row in enumerate(table.extract(), start=1):
                    for c, cell in enumerate(row, start=1):
                        if cell is None:
                            continue  # covered by a merged cell
                        toks.extend(cell_tokens(cell, f"PDF第{p}页 表格{t} 第{r}行 第{c}列"))
                items.append((table.bbox[1], toks, []))
            boxes = [t.bbox for t in tables]

            def outside(obj: dict, boxes: list = boxes) -> bool:
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            rest = page.filter(outside) if boxes else page
            for line in rest.extract_text_lines():
                text = line["text"]
                if text.strip():
                    items.append((line["top"], line_tokens(text, f"PDF第{p}页 第{len(lines) + 1}行"), [text]))
                    lines.append(text)
            items.sort(key=lambda item: item[0])
            for _, toks, _texts in items:
                tokens.extend(toks)
                any_text = any_text or bool(toks)
        if not any_text:
            raise ReportReadError("PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）/ PDF has no text layer")
    return Document("pdf", tokens, "\n".join(normalise(x) for x in lines))
