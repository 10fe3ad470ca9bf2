"""The typed report object that the parser produces and the rules, renderers and database read.

A report holds one value per data cell of its format, keyed by ``(table, row, column)``.  Three
states are kept apart on purpose, because a supervisor must be able to tell them apart:

* a number (``int`` for counts, ``Decimal`` for amounts);
* ``None``: the cell is present but blank or a placeholder ("—", "/", "无");
* no entry at all: the cell was not read (the table is missing, or the cell could not be read).
  Nothing is ever filled in with an invented zero.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .formats import ReportFormat, get_format

Number = int | Decimal
CellKey = tuple[str, str, str]


@dataclass
class Problem:
    """Something the parser could not read, had to decide, or wants a reader to know."""

    code: str  # stable id, e.g. "cell-unreadable", "cell-ambiguous", "table-missing"
    message: str  # in words, Chinese first
    severity: str = "error"  # "error": the report is incomplete; "warning"; "info"
    location: str | None = None  # where in the source (line N, table T row R cell C)
    cells: list[CellKey] = field(default_factory=list)
    candidates: list[list[Number]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.location:
            data["location"] = self.location
        if self.cells:
            data["cells"] = ["/".join(c) for c in self.cells]
        if self.candidates:
            data["candidates"] = [[_json_number(v) for v in cand] for cand in self.candidates]
        return data


@dataclass
class NarrativeFigure:
    """A figure stated in the report's prose, e.g. 受理依申请公开8件."""

    key: str  # what it counts, e.g. "requests_received"
    label: str  # in words, Chinese
    value: int
    text: str  # the phrase it was read from
    location: str | None = None


@dataclass
class Report:
    format: str
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    cells: dict[CellKey, Number | None] = field(default_factory=dict)
    units: dict[CellKey, str] = field(default_factory=dict)
    locations: dict[CellKey, str] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    figures: list[NarrativeFigure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str | None = None

    @property
    def definition(self) -> ReportFormat:
        return get_format(self.format)

    # -- reading cells -------------------------------------------------------------------------
    def get(self, table: str, row: str, column: str) -> Number | None:
        return self.cells.get((table, row, column))

    def value(self, table: str, row: str, column: str) -> Number:
        """A cell's figure for arithmetic: a blank cell counts as 0 (and is reported elsewhere)."""
        v = self.cells.get((table, row, column))
        return 0 if v is None else v

    def has(self, key: CellKey) -> bool:
        return key in self.cells

    def missing_cells(self) -> list[CellKey]:
        return [k for k in self.definition.data_cells() if k not in self.cells]

    @property
    def complete(self) -> bool:
        return not self.missing_cells() and not any(p.severity == "error" for p in self.problems)

    def location(self, key: CellKey) -> str:
        return self.locations.get(key, "")

    # -- serialisation -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Every table, row and column by stable key and official label; ``null`` for a blank cell."""
        fmt = self.definition
        tables = []
        for table in fmt.tables:
            rows = []
            for row in table.rows:
                entry: dict[str, Any] = {"key": row.key, "label": row.label}
                if row.heading:
                    entry["heading"] = True
                else:
                    cells = {}
                    for col in table.columns:
                        key = (table.key, row.key, col.key)
                        cell: dict[str, Any] = {"label": col.label}
                        if key in self.cells:
                            cell["value"] = _json_number(self.cells[key])
                        else:
                            cell["value"] = None
                            cell["unread"] = True
                        unit = self.units.get(key) or col.unit
                        if unit:
                            cell["unit"] = unit
                        if key in self.locations:
                            cell["source"] = self.locations[key]
                        cells[col.key] = cell
                    entry["cells"] = cells
                rows.append(entry)
            tables.append({"key": table.key, "label": table.label, "section": table.section, "rows": rows})
        return {
            "format": fmt.version,
            "format_name": fmt.name,
            "notice": fmt.notice,
            "year": self.year,
            "agency": self.agency,
            "title": self.title,
            "source": self.source,
            "complete": self.complete,
            "tables": tables,
            "narrative": self.narrative,
            "narrative_figures": [
                {"key": f.key, "label": f.label, "value": f.value, "text": f.text, "location": f.location}
                for f in self.figures
            ],
            "problems": [p.to_json() for p in self.problems],
        }

    def to_compact(self) -> dict[str, Any]:
        """Figures only: ``{table: {row: [value per column, in layout order]}}``.

        This is the shape of the hand-written expected files of the test fixtures; a cell not read
        appears as the string ``"?"`` so that it can never be mistaken for a blank (``None``).
        """
        tables: dict[str, dict[str, list[Any]]] = {}
        for table in self.definition.tables:
            rows: dict[str, list[Any]] = {}
            for row in table.data_rows:
                values = []
                for col in table.columns:
                    key = (table.key, row.key, col.key)
                    values.append(_json_number(self.cells[key]) if key in self.cells else "?")
                rows[row.key] = values
            tables[table.key] = rows
        return {"format": self.format, "year": self.year, "tables": tables}

    @classmethod
    def from_compact(cls, data: dict[str, Any], **kwargs: Any) -> Report:
        report = cls(format=data["format"], year=data.get("year"), **kwargs)
        fmt = report.definition
        for table_key, rows in data["tables"].items():
            table = fmt.table(table_key)
            for row_key, values in rows.items():
                table.row(row_key)
                if len(values) != len(table.columns):
                    raise ValueError(f"{table_key}/{row_key}: {len(values)} values for {len(table.columns)} columns")
                for col, v in zip(table.columns, values, strict=True):
                    if v == "?":
                        continue
                    key = (table_key, row_key, col.key)
                    if isinstance(v, (str, float)):
                        report.cells[key] = Decimal(str(v))
                    else:
                        report.cells[key] = v
                    if col.unit:
                        report.units[key] = col.unit
        return report

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """Read back what :meth:`to_json` wrote (``gongkai report parse --json``)."""
        report = cls(
            format=data["format"], year=data.get("year"), agency=data.get("agency"), title=data.get("title"),
            source=data.get("source"), narrative=dict(data.get("narrative") or {}),
        )
        fmt = report.definition
        for table_data in data.get("tables", []):
            table = fmt.table(table_data["key"])
            for row_data in table_data.get("rows", []):
                row = table.row(row_data["key"])
                if row.heading:
                    continue
                for col_key, cell in (row_data.get("cells") or {}).items():
                    col = table.column(col_key)
                    if cell.get("unread"):
                        continue
                    key = (table.key, row.key, col.key)
                    v = cell.get("value")
                    if isinstance(v, bool) or not isinstance(v, int | str | float | type(None)):
                        raise ValueError(f"{'/'.join(key)}: {v!r} is not a figure")
                    report.cells[key] = Decimal(str(v)) if isinstance(v, str | float) else v
                    if cell.get("unit"):
                        report.units[key] = cell["unit"]
                    if cell.get("source"):
                        report.locations[key] = cell["source"]
        for fig in data.get("narrative_figures", []):
            report.figures.append(NarrativeFigure(fig["key"], fig["label"], fig["value"], fig["text"],
                                                  fig.get("location")))
        return report

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


def _json_number(v: Number | None) -> int | float | str | None:
    if isinstance(v, Decimal):
        # Keep the exact decimal digits: a float would turn 24252.311082 into 24252.311081999998.
        return str(v)
    return v
