"""Reading the report's tables out of a token stream, by their row labels and positions.

The tables are located by their labels, not by the layout of any one publisher: each table's
rows are looked for in their official order, a row's figures are the value tokens that follow
its label, and every cell that cannot be read is reported with its place in the source instead
of being guessed.  Labels may be truncated, wrapped over several lines or slightly mistyped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any, TypeVar

from ..formats import SECTIONS, Column, Row, Table, get_format
from ..model import CellKey, Number, Problem, Report
from ..rules import Check, sum_checks
from .split import resolve_jointly, row_candidates
from .tokens import _WS, Token, Value, compact, read_value, squash, token_texts

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.,]|\([一二三四五六七八九十]+\)|\d{1,2}[.、,](?!\d))+")
_TRAILING = re.compile(r"^(.*?[^\d\s.,+-])\s*([\d,]+(?:\.\d+)?)$")


@lru_cache(maxsize=65536)
def core(text: str) -> tuple[str, bool]:
    """A token's label without its numbering (一、 (三) 2.) and spaces; and whether it had numbering."""
    c = squash(text)
    stripped = _NUMBERING.sub("", c)
    return stripped, stripped != c


@cache
def _row_core(row: Row) -> str:
    return core(compact(row.label))[0]  # the format's labels are written with full-width marks


@lru_cache(maxsize=1 << 18)
def label_matches(row: Row, text: str, near: bool) -> bool:
    """Does ``text`` (one token) name ``row``?

    Long aliases match anywhere inside a short token.  Two-character labels (规章, 总计, 其他)
    and labels cut short match only right after the previous row (``near``), so that a column
    header such as 其他 is never taken for a row.
    """
    c, numbered = core(text)
    if not c:
        return False
    return _matches_core(row, c, numbered, near)


def _matches_core(row: Row, c: str, numbered: bool, near: bool) -> bool:
    """:func:`label_matches` for a token whose :func:`core` is ``(c, numbered)``, ``c`` not empty."""
    full = _row_core(row)
    if len(c) > len(full) + 12:
        return False  # a sentence of prose, not a label
    for alias in row.aliases:
        if len(alias) <= 2:
            if c == alias and (near or numbered or row.key == "rules"):
                return True
        elif alias in c:
            return True
    return near and len(c) >= (2 if numbered else 4) and full.startswith(c)


class _RowIndex:
    """A table's rows, for naming the rows a token matches all at once (:func:`_core_matches`)."""

    __slots__ = (
        "first_data",
        "heading",
        "long_aliases",
        "longest",
        "prefixes",
        "room",
        "rows",
        "rules",
        "short_aliases",
        "table",
    )

    def __init__(self, table: Table):
        self.table = table
        self.rows = table.rows
        self.heading = tuple(r.heading for r in table.rows)
        first = table.data_rows[0] if table.data_rows else None
        self.first_data = next((j for j, r in enumerate(table.rows) if r is first), -1)
        # What _matches_core reads of each row, arranged to look up a token's core at once:
        fulls = [_row_core(r) for r in table.rows]
        self.room = tuple(len(full) + 12 for full in fulls)  # a longer core is prose, not this label
        self.longest = max(self.room, default=0)
        self.rules = tuple(r.key == "rules" for r in table.rows)
        # long aliases (found anywhere in a core), short ones (the whole core), and the beginnings
        # of each label (a label cut short), each with its rows.
        self.long_aliases = tuple((a, j) for j, r in enumerate(table.rows) for a in r.aliases if len(a) > 2)
        short: dict[str, list[int]] = {}
        prefixes: dict[str, list[int]] = {}
        for j, r in enumerate(table.rows):
            for a in r.aliases:
                if len(a) <= 2:
                    short.setdefault(a, []).append(j)
            for end in range(2, len(fulls[j]) + 1):
                prefixes.setdefault(fulls[j][:end], []).append(j)
        self.short_aliases = {a: tuple(js) for a, js in short.items()}
        self.prefixes = {p: tuple(js) for p, js in prefixes.items()}


def _row_index(table: Table) -> _RowIndex:
    """The index of ``table``, made once (:func:`_for_table`)."""
    return _for_table(_RowIndex, table)


def _row_matches(index: _RowIndex, label: str) -> tuple[tuple[int, ...], tuple[int, ...], bool]:
    """The rows of ``index`` that ``label`` names: (far, near, short).

    ``far`` lists (in table order) the rows with ``label_matches(row, label, near=False)``,
    ``near`` those with ``near=True`` (a superset), and ``short`` says whether ``label`` is short
    enough to name a row printed out of order (:func:`_behind`).
    """
    c, numbered = core(label)
    far, near = _core_matches(index, c, numbered)
    return far, near, len(squash(label)) <= 60


@lru_cache(maxsize=1 << 16)
def _core_matches(index: _RowIndex, c: str, numbered: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """:func:`_row_matches` by the label's :func:`core` (all that the matching reads of it)."""
    if not c or len(c) > index.longest:
        return (), ()  # nothing, or a sentence longer than any label
    size = len(c)
    room = index.room
    # _matches_core, for every row at once: far (near=False) and near (near=True) matches.
    far = {j for alias, j in index.long_aliases if alias in c}
    exact = index.short_aliases.get(c, ())
    far.update(j for j in exact if numbered or index.rules[j])
    near = set(far)
    near.update(exact)
    if size >= (2 if numbered else 4):
        near.update(index.prefixes.get(c, ()))
    return (tuple(sorted(j for j in far if size <= room[j])),
            tuple(sorted(j for j in near if size <= room[j])))


@dataclass(slots=True)
class RowRead:
    row: Row
    token: Token
    index: int = -1  # position of the label token
    values: list[tuple[Value, Token]] = field(default_factory=list)


@lru_cache(maxsize=65536)
def _split_label(text: str) -> tuple[str, str | None]:
    """"一、本年新收政府信息公开申请数量640020470" → (label, "640020470")."""
    # _TRAILING ends in a digit or a comma (before one final line break, as its $ reads): without
    # one there, it cannot match, and a long text (a sentence) is not tried place by place.
    last = text[-2:-1] if text[-1:] == "\n" else text[-1:]
    if not (last.isdecimal() or last == ","):
        return text, None
    m = _TRAILING.match(text)
    if m and not _NUMBERING.fullmatch(squash(m.group(1))):
        return m.group(1), m.group(2)
    return text, None


Group = list[tuple[Value, Token]]


@dataclass(slots=True)
class RowsRead:
    """What :func:`read_rows` found: labelled rows, and figures that came without a label."""

    found: dict[str, RowRead]
    orphans: list[Group] = field(default_factory=list)  # a whole row of figures with no label before it
    stray: list[Group] = field(default_factory=list)  # figures that make no whole row


def _blank(group: Group) -> bool:
    return all(v.number is None and not v.placeholder for v, _ in group)


def _followed_by_value(values: list[Value | None], texts: list[str], i: int, end: int) -> bool:
    for k in range(i, min(end, i + 3)):
        if values[k] is not None:
            return True
        if texts[k]:
            return False
    return False


def _behind(index: _RowIndex, pointer: int, far: tuple[int, ...], short: bool) -> Row | None:
    """The row before ``pointer`` that a label names exactly (by its aliases), if any.

    ``far`` and ``short`` are what :func:`_row_matches` says of the label.
    """
    if not short:
        return None
    for j in reversed(far):
        if j < pointer and not index.heading[j]:
            return index.rows[j]
    return None


@lru_cache(maxsize=1 << 16)
def _token_label(index: _RowIndex, text: str) -> tuple[str | None, tuple[int, ...], tuple[int, ...], bool]:
    """What :func:`read_rows` reads of a token that is not a figure: the figures written after
    its label (:func:`_split_label`) and the rows the label names (:func:`_row_matches`)."""
    label, trailing = _split_label(text)
    return (trailing, *_row_matches(index, label))


def read_rows(tokens: list[Token], start: int, end: int, table: Table,
              values: list[Value | None] | None = None, texts: list[str] | None = None) -> RowsRead:
    """The rows of ``table`` found in ``tokens[start:end]``, each with the figures after its label.

    A run of figures uninterrupted by words is a *group*.  A group goes to the label before it
    when that label has no figures yet; what is left over (PDF converters print some rows'
    figures away from their labels) is kept as whole label-less rows (``orphans``), to be
    matched with figure-less labels by the caller, or as ``stray`` figures to be reported.
    ``values`` (``read_value`` of every token's text) and ``texts`` are given when the caller has them.
    """
    if texts is None:
        texts = [t.text for t in tokens]
    if values is None:
        values = list(map(read_value, texts))
    n = len(table.columns)
    index = _row_index(table)
    rows = index.rows
    heading = index.heading
    result = RowsRead({})
    found = result.found
    pointer = 0
    current: RowRead | None = None
    group: Group = []

    def flush() -> None:
        nonlocal group
        if not group:
            return
        g, group = group, []
        rest = g
        if current is not None and not current.values:
            take, rest = g, []
            if len(g) > n:
                filled = [x for x in g if x[0].number is not None or x[0].placeholder]
                if len(filled) == n:
                    take = filled  # spacer cells between a label and its figures
                else:
                    take, rest = g[:n], g[n:]
            current.values.extend(take)
        while rest:
            chunk, rest = rest[:n], rest[n:]
            if _blank(chunk):
                continue
            (result.orphans if len(chunk) == n else result.stray).append(chunk)

    for i in range(start, end):
        value = values[i]
        if value is not None:
            group.append((value, tokens[i]))
            continue
        trailing, far, near, short = _token_label(index, texts[i])
        if not near:  # names no row (nor one behind: far is part of near): a header cell, a note
            if group:
                flush()
            continue
        # The first row from ``pointer`` on that the label names; the next two rows (once a row
        # has been found) also by a label cut short or a two-character one.
        match = None
        if found and pointer in near:
            match = pointer
        elif found and pointer + 1 in near:
            match = pointer + 1
        else:
            least = pointer + 2 if found else pointer
            for j in far:
                if j >= least:
                    match = j
                    break
        if (match is not None and match > pointer and trailing is None and not heading[match]
                and not _followed_by_value(values, texts, i + 1, end)):
            match = None  # a word far ahead with no figure after it: a header cell, not that row
        if group:
            flush()
        if match is None:
            behind = _behind(index, pointer, far, short)
            if behind is None:
                continue  # a wrapped label's second line, a header cell, a note
            if behind.key in found:
                current = None  # a row seen already: its figures are not the row before's
                continue
            # A row printed out of order (PDF converters do this): take it, keep the pointer.
            current = RowRead(behind, tokens[i], i)
            found[behind.key] = current
        else:
            current = RowRead(rows[match], tokens[i], i)
            found[rows[match].key] = current
            pointer = match + 1
        if trailing is not None:
            tv = read_value(trailing)
            if tv is not None:
                group.append((tv, tokens[i]))
    flush()
    return result


# ---------------------------------------------------------------------------------------------


@dataclass
class Boundaries:
    s2: int | None
    s3: int | None
    s4: int | None
    s5: int | None


@lru_cache(maxsize=65536)
def _headings(text: str) -> frozenset[str]:
    """The section numbers (二 … 五) whose heading ``text`` (a token's) is."""
    c = squash(text)
    if len(c) > 40:
        return frozenset()
    out = set()
    for section in SECTIONS[1:5]:
        number = section.number
        body = c[2:] if c[:2] in (f"{number}、", f"{number}.", f"{number},") else (
            c[3:] if c[:3] == f"({number})" else c)
        if any(body.startswith(a) or (c.startswith(number) and a in c) for a in section.aliases):
            out.add(number)
    return frozenset(out)


def _covering_chars(words: list[str]) -> str:
    """A few characters such that every one of ``words`` holds one of them."""
    chars = ""
    left = list(words)
    while left:
        best = max(sorted({ch for w in left for ch in w}), key=lambda ch: sum(ch in w for w in left))
        chars += best
        left = [w for w in left if best not in w]
    return chars


# A heading names its section by an alias (:func:`_headings`): a token holding none of these
# characters, one of which is in every alias, is no heading.
_HEADING_CHARS = _covering_chars([a for section in SECTIONS[1:5] for a in section.aliases])


class _Texts:
    """The tokens' texts run together, to find in one search the tokens that hold a string."""

    __slots__ = ("_spaced", "joined", "offsets", "texts")

    def __init__(self, texts: list[str], joined: str | None = None):
        self.texts = texts
        self.joined = "".join(texts) if joined is None else joined  # (given when the caller has it)
        self.offsets = [0, *accumulate(map(len, texts))]  # token i is joined[offsets[i]:offsets[i + 1]]
        self._spaced: list[int] | None = None

    def spaced(self) -> list[int]:
        """The tokens whose text :func:`squash` changes (one holding a space, tab or line break), in order."""
        if self._spaced is None:
            self._spaced = sorted({i for ch in " \t\n" for i in self.holding(ch)})
        return self._spaced

    def holding(self, needle: str, start: int = 0, end: int | None = None) -> Iterator[int]:
        """The tokens from ``start`` (to ``end``) whose text holds ``needle`` (not empty), in order."""
        texts, joined, offsets = self.texts, self.joined, self.offsets
        stop = len(texts) if end is None else end
        if start >= stop:
            return
        pos = joined.find(needle, offsets[start])
        limit = offsets[stop]
        size = len(needle)
        while pos >= 0 and pos + size <= limit:
            i = bisect_right(offsets, pos) - 1  # the token (not empty) that pos is in
            if pos + size <= offsets[i + 1]:  # inside token i, not across two
                yield i
            pos = joined.find(needle, offsets[i + 1])  # on from the next token


def find_sections(tokens: list[Token], texts: _Texts | None = None) -> Boundaries:
    """Token index of the headings 二 … 五 (None where absent), each searched after the one before."""
    if texts is None:
        texts = _Texts([t.text for t in tokens])
    candidates = sorted({i for ch in _HEADING_CHARS for i in texts.holding(ch)})
    headings = [(i, _headings(texts.texts[i])) for i in candidates]
    positions: list[int | None] = []
    start = 0
    for section in SECTIONS[1:5]:
        pos = None
        for i, numbers in headings:
            if i >= start and section.number in numbers:
                pos = i
                break
        positions.append(pos)
        if pos is not None:
            start = pos + 1
    return Boundaries(*positions)


_TABLE_TEXTS: dict[int, tuple[Table, tuple[str, ...], list[str]]] = {}


def _table_texts(table: Table) -> tuple[Table, tuple[str, ...], list[str]]:
    entry = _TABLE_TEXTS.get(id(table))
    if entry is None or entry[0] is not table:
        entry = _TABLE_TEXTS[id(table)] = (
            table, tuple(compact(a) for a in table.anchors), [compact(c.label) for c in table.columns])
    return entry


def _anchors(table: Table) -> tuple[str, ...]:
    """The table's anchors without spaces (as they are looked for)."""
    return _table_texts(table)[1]


def _headers(table: Table) -> list[str]:
    """The table's column labels without spaces (as the header is compared with them)."""
    return _table_texts(table)[2]


class _Layout:
    """What storing a table's rows reads of the table's columns, worked out once for the table."""

    __slots__ = ("plain", "row_keys", "signed", "table")

    def __init__(self, table: Table):
        self.table = table
        # The cells of each row (by its key), one for each column: one tuple kept for the row.
        self.row_keys = {r.key: tuple((table.key, r.key, c.key) for c in table.columns) for r in table.rows}
        # For each column: does it hold counts, with no unit in its header?
        self.plain = tuple(c.kind != "amount" and not c.unit for c in table.columns)
        # For each column: may it hold a negative count (本年增/减)?
        self.signed = tuple(c.kind == "signed_count" for c in table.columns)


def _layout(table: Table) -> _Layout:
    """The layout of ``table``, made once (:func:`_for_table`)."""
    return _for_table(_Layout, table)


_T = TypeVar("_T", _RowIndex, _Layout)
_BY_TABLE: dict[tuple[type, int], Any] = {}


def _for_table(kind: type[_T], table: Table) -> _T:
    """``kind(table)``, made once per table and kept (by identity, not by value: hashing a table is
    slow, and the format's tables live as long as the program)."""
    key = (kind, id(table))
    made = _BY_TABLE.get(key)
    if made is None or made.table is not table:
        made = _BY_TABLE[key] = kind(table)
    return made


@cache
def _column(version: str, table: str, column: str) -> Column:
    return get_format(version).table(table).column(column)


class TableReader:
    """Fills a :class:`Report`'s cells from tokens, collecting problems as it goes."""

    def __init__(self, report: Report, tokens: list[Token], texts: list[str] | None = None,
                 joined: str | None = None):
        self.report = report
        self.tokens = tokens
        # texts: each token's text; joined: "".join(texts), when the caller has them
        self.texts = _Texts(token_texts(tokens), None) if texts is None else _Texts(texts, joined)
        self.values: list[Value | None] = []  # each token's figure, or None: read() fills it in
        self.fmt = get_format(report.format)
        self.checks: tuple[Check, ...] = sum_checks(report.format)
        # Rows whose run-together digits have several readings: settled jointly at the end.
        self.pending: dict[str, tuple[list[CellKey], list[tuple[int, ...]], RowRead]] = {}
        self.rows_found = 0  # labels located, whether or not their figures could be read

    # -- public ---------------------------------------------------------------------------------
    def read(self) -> None:
        tokens = self.tokens
        b = find_sections(tokens, self.texts)
        n = len(tokens)
        # Each token's figure.  With the headings 二, 三 and 四 found, nothing before 二 is read
        # (every table is looked for after its heading), so its figures are not worked out.
        skip = b.s2 if b.s2 is not None and b.s3 is not None and b.s4 is not None else 0
        texts = self.texts.texts
        none: list[Value | None] = [None]
        self.values = none * skip + list(map(read_value, texts[skip:] if skip else texts))
        t3_start = b.s3 if b.s3 is not None else self._first_label(0, n, self.fmt.table("t3_requests"))
        t4_start = b.s4
        if t4_start is None:
            t4_start = self._first_containing(t3_start or 0, n, ("行政复议",))
        t4_end = b.s5 if b.s5 is not None else n
        t2_start = b.s2 if b.s2 is not None else 0
        t2_end = next((x for x in (t3_start, t4_start, t4_end) if x is not None), n)

        self._read_t2(t2_start, t2_end)
        if t3_start is None:
            self._missing_table(self.fmt.table("t3_requests"))
        else:
            self._read_table(self.fmt.table("t3_requests"), t3_start, t4_start if t4_start is not None else t4_end)
        if t4_start is None:
            self._missing_table(self.fmt.table("t4_review_litigation"))
        else:
            self._read_t4(t4_start, t4_end)
        self._settle_pending()

    # -- locating -------------------------------------------------------------------------------
    def _first_label(self, start: int, end: int, table: Table) -> int | None:
        index = _row_index(table)
        first = index.first_data
        texts, values = self.texts.texts, self.values
        for i in range(start, end):
            if values[i] is None and first in _token_label(index, texts[i])[1]:  # its label names the row
                return i
        return None

    def _first_containing(self, start: int, end: int, phrases: tuple[str, ...]) -> int | None:
        """The first token from ``start`` whose text without spaces (at most 60 characters long)
        holds one of ``phrases``."""
        texts = self.texts.texts
        if not all(phrases) or any(_WS.search(p) for p in phrases):
            for i in range(start, end):
                c = squash(texts[i])
                if len(c) <= 60 and any(p in c for p in phrases):
                    return i
            return None
        # A phrase without spaces is in a token's text without spaces where it is in the text
        # itself, or (in a text that squash changes) where a space cut it in two.
        best = end
        for phrase in phrases:
            for i in self.texts.holding(phrase, start, best):
                if len(squash(texts[i])) <= 60:
                    best = i
                    break
            spaced = self.texts.spaced()  # (where the phrase itself was not, before ``best``)
            for i in spaced[bisect_left(spaced, start):bisect_left(spaced, best)]:
                c = squash(texts[i])
                if len(c) <= 60 and phrase in c:
                    best = i
                    break
        return best if best < end else None

    # -- table 2 --------------------------------------------------------------------------------
    def _read_t2(self, start: int, end: int) -> None:
        t2 = [t for t in self.fmt.tables if t.key.startswith("t2_")]
        anchors: list[int | None] = []
        pos = start
        for table in t2:
            idx = self._first_containing(pos, end, _anchors(table))
            anchors.append(idx)
            if idx is not None:
                pos = idx + 1
        for k, table in enumerate(t2):
            a = anchors[k]
            if a is None:
                # No 第二十条 heading: look for the rows themselves between the neighbours found.
                lo = next((anchors[j] for j in range(k - 1, -1, -1) if anchors[j] is not None), start) or start
                hi = next((anchors[j] for j in range(k + 1, len(t2)) if anchors[j] is not None), end) or end
                rows_read = read_rows(self.tokens, lo, hi, table, self.values, self.texts.texts)
                if not rows_read.found:
                    self._missing_table(table)
                    continue
                self._store_rows(table, rows_read)
                continue
            hi = next((anchors[j] for j in range(k + 1, len(t2)) if anchors[j] is not None), end) or end
            rows_read = read_rows(self.tokens, a + 1, hi, table, self.values, self.texts.texts)
            if not rows_read.found:
                # PDF converters float a table away from its heading: its rows' labels are its own.
                first = min(x for x in anchors if x is not None)
                rows_read = read_rows(self.tokens, first, end, table, self.values, self.texts.texts)
            else:
                self._check_header(table, a + 1, rows_read.found)
            self._store_rows(table, rows_read)

    def _check_header(self, table: Table, start: int, found: dict[str, RowRead]) -> None:
        """Report header cells that were cut off ("本年新" for 本年新制作数量) or differ."""
        if not found:
            return
        stop = min(r.index for r in found.values())
        header = [self.tokens[i] for i in range(start, stop) if self.texts.texts[i] and self.values[i] is None]
        texts = [squash(t.text) for t in header]
        if texts and texts[0] == table.corner:
            header, texts = header[1:], texts[1:]
        expected = _headers(table)
        joined = "".join(texts)
        if all(e in joined for e in expected) or len(texts) != len(expected):
            return
        for tok, text, want, col in zip(header, texts, expected, table.columns, strict=True):
            if text == want:
                continue
            how = "被截断" if want.startswith(text) else "与官方格式不同"
            self.report.problems.append(Problem(
                "header-truncated" if want.startswith(text) else "header-mismatch",
                f"{table.label} 表头“{tok.text}”{how}，应为“{col.label}”；按列的位置读取",
                "warning", tok.location,
            ))

    # -- table 3 and generic rows -----------------------------------------------------------------
    def _read_table(self, table: Table, start: int, end: int) -> None:
        self._store_rows(table, read_rows(self.tokens, start, end, table, self.values, self.texts.texts))

    def _adopt_orphans(self, table: Table, rows_read: RowsRead) -> None:
        """Give label-less whole rows of figures to the labels that got none, in order.

        PDF converters print some rows' figures apart from their labels.  Only when the number of
        such rows equals the number of figure-less labels is the pairing certain enough to take
        (and it is said so); otherwise the figures are reported and the rows stay unread.
        """
        if not rows_read.orphans and not rows_read.stray:
            return  # (the commonest table: every figure came after a label)
        empty = sorted((r for r in rows_read.found.values() if not r.row.heading and not r.values),
                       key=lambda r: r.index)
        orphans = rows_read.orphans
        if orphans and len(orphans) == len(empty):
            for read, group in zip(empty, orphans, strict=True):
                read.values.extend(group)
                self.report.problems.append(Problem(
                    "cell-reordered",
                    f"{table.label}“{read.row.label}”：数字不在行标签之后（{group[0][1].location}），"
                    "按顺序配给了没有数字的行",
                    "info", read.token.location))
            orphans = []
        complete = all(r.values for r in rows_read.found.values() if not r.row.heading) and all(
            r.key in rows_read.found for r in table.data_rows)
        if complete:
            return  # every row has its figures: what is left belongs to a neighbouring table or prose
        for group in [*orphans, *rows_read.stray]:
            got = " ".join("空" if v.number is None else str(v.number) for v, _ in group)
            self.report.problems.append(Problem(
                "figures-unassigned",
                f"{table.label}：一组数字（{got}）前面没有行标签，无法确定属于哪一行",
                "warning", group[0][1].location))

    def _store_rows(self, table: Table, rows_read: RowsRead) -> None:
        found = rows_read.found
        self._adopt_orphans(table, rows_read)
        self.rows_found += len(found)
        layout = _layout(table)
        for row in table.rows:
            read = found.get(row.key)
            if row.heading:
                if read is not None and read.values and any(v.number is not None for v, _ in read.values):
                    self.report.problems.append(Problem(
                        "layout-mixed",
                        f"“{row.label}”在{self.fmt.version}年格式中没有数字，但报告在此处填了数字（混用了另一版格式）；"
                        "这些数字未计入",
                        "warning", read.token.location,
                    ))
                continue
            keys = list(layout.row_keys[row.key])
            if read is None:
                self.report.problems.append(Problem(
                    "row-missing", f"{table.label}：找不到“{row.label}”这一行", "error", None, keys))
                continue
            self._assign(table, row, keys, read, layout)

    def _assign(self, table: Table, row: Row, keys: list[CellKey], read: RowRead,
                layout: _Layout | None = None) -> None:
        """Set the cells ``keys`` (of ``row``, one for each column) from the figures read.

        ``layout`` is the table's :func:`_layout`, when the caller has it.
        """
        values = read.values
        n = len(keys)
        if len(values) > n:
            values = list(values)
        while len(values) > n and values[-1][0].number is None and not values[-1][0].placeholder:
            values.pop()  # the empty frame cells after a row
        if len(values) > n:
            filled = [v for v in values if v[0].number is not None or v[0].placeholder]
            if len(filled) == n:
                self.report.problems.append(Problem(
                    "cell-extra-blank", f"{table.label}“{row.label}”：忽略了多余的空单元格", "info",
                    read.token.location))
                values = filled
        columns = table.columns  # the keys' columns, in order
        if layout is None:
            layout = _layout(table)
        if len(values) == n:
            cells, locations = self.report.cells, self.report.locations
            for key, col, plain, (value, tok) in zip(keys, columns, layout.plain, values, strict=True):
                if plain and not value.placeholder:
                    cells[key] = value.number  # what _set does for a count in a column without a unit
                    locations[key] = tok.location
                else:
                    self._set(key, value, tok, col)
            return
        if len(values) > n:
            self.report.problems.append(Problem(
                "cell-unreadable",
                f"{table.label}“{row.label}”：读到{len(values)}个数字，应为{n}个，无法确定各自属于哪一列：" +
                " ".join((v.number is not None and str(v.number)) or "空" for v, _ in values),
                "error", read.token.location, keys))
            return
        pieces = [v.digits for v, _ in values]
        # Digits run together are split by the rules; but figures in cells of their own are whole
        # figures: when there are too few of them a cell is missing, which no split can mend.
        separate = len(values) > 1 and all([tok.cell for _, tok in values])
        if values and not separate and None not in pieces and sum(map(len, pieces)) >= n:  # type: ignore[arg-type]
            digit_pieces: list[str] = pieces  # type: ignore[assignment]  # no None in it
            cands = row_candidates(digit_pieces, layout.row_keys[row.key], self.checks, {}, layout.signed)
            where = values[0][1].location
            if len(cands) == 1:
                cells, locations = self.report.cells, self.report.locations
                for key, col, plain, number in zip(keys, columns, layout.plain, cands[0], strict=True):
                    if plain:
                        cells[key] = number  # what _set does with Value(number) in a column without a unit
                        locations[key] = where
                    else:
                        self._set(key, Value(number), values[0][1], col)
                self.report.problems.append(Problem(
                    "cell-split",
                    f"{table.label}“{row.label}”：数字连写为“{''.join(digit_pieces)}”，唯一满足勾稽关系的拆分为 "
                    f"{', '.join(map(str, cands[0]))}",
                    "info", where, keys))
                return
            if len(cands) > 1:
                self.pending[row.key if table.key == "t3_requests" else f"{table.key}/{row.key}"] = (
                    keys, cands, read)
                return
            self.report.problems.append(Problem(
                "cell-unreadable",
                f"{table.label}“{row.label}”：数字连写为“{''.join(digit_pieces)}”，没有任何拆分满足勾稽关系",
                "error", where, keys))
            return
        got = " ".join("空" if v.number is None else str(v.number) for v, _ in values) or "无"
        self.report.problems.append(Problem(
            "cell-unreadable",
            f"{table.label}“{row.label}”：只读到{len(values)}个数字（{got}），应为{n}个；缺少的单元格无法确定",
            "error", read.token.location, keys))

    def _set(self, key: CellKey, value: Value, tok: Token, col: Column | None = None) -> None:
        if col is None:
            col = _column(self.fmt.version, key[0], key[2])
        number: Number | None = value.number
        amount = col.kind == "amount"
        if amount and isinstance(number, int):
            number = Decimal(number)
        self.report.cells[key] = number
        self.report.locations[key] = tok.location
        if value.unit and amount:
            if col.unit and value.unit != col.unit:
                self.report.problems.append(Problem(
                    "unit-mismatch", f"表头单位为{col.unit}，单元格写的是{value.unit}", "warning", tok.location, [key]))
            self.report.units[key] = value.unit
        elif col.unit:
            self.report.units[key] = col.unit
        if value.placeholder:
            self.report.problems.append(Problem(
                "cell-placeholder", f"单元格为占位符“{tok.text}”，视为空白（按0计）", "info", tok.location, [key]))

    def _settle_pending(self) -> None:
        """Settle rows with several readings, table by table, against every rule of the table."""
        by_table: dict[str, dict[str, tuple[list[CellKey], list[tuple[int, ...]], RowRead]]] = {}
        for name, entry in self.pending.items():
            by_table.setdefault(entry[0][0][0], {})[name] = entry
        for pending in by_table.values():
            known = dict(self.report.cells)
            chosen = resolve_jointly(
                {name: (keys, cands) for name, (keys, cands, _) in pending.items()}, known, self.checks)
            for name, (keys, cands, read) in pending.items():
                self._settle(name, keys, cands, read, chosen)

    def _settle(self, name: str, keys: list[CellKey], cands: list[tuple[int, ...]], read: RowRead,
                chosen: dict[str, tuple[int, ...]] | None) -> None:
        label = read.row.label
        where = read.values[0][1]
        if chosen is not None:
            for key, number in zip(keys, chosen[name], strict=True):
                self._set(key, Value(number), where)
            self.report.problems.append(Problem(
                "cell-split",
                f"“{label}”：连写的数字有{len(cands)}种拆分，唯一与全表勾稽关系一致的是 "
                f"{', '.join(map(str, chosen[name]))}",
                "info", where.location, keys))
        else:
            self.report.problems.append(Problem(
                "cell-ambiguous",
                f"“{label}”：连写的数字“{''.join(v.digits or '' for v, _ in read.values)}”有{len(cands)}种拆分"
                "都满足勾稽关系，无法确定",
                "error", where.location, keys, [list(c) for c in cands[:20]]))

    # -- table 4 --------------------------------------------------------------------------------
    _T4_HEADER_ENDS = ("总计", "尚未审结", "其他结果", "结果纠正", "结果维持", "复议后起诉", "直接起诉", "行政诉讼",
                       "行政复议")

    _T4_WORDS = ("行政复议", "行政诉讼", "直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结",
                 "总计", "件数", "项目")

    def _read_t4(self, start: int, end: int) -> None:
        table = self.fmt.table("t4_review_litigation")
        row = table.rows[0]
        header = None
        values: list[tuple[Value, Token]] = []
        tokens, texts, all_values = self.tokens, self.texts.texts, self.values
        for i in range(start, end):
            tok = tokens[i]
            value = all_values[i]
            if value is not None:
                if header is not None:
                    values.append((value, tok))
                continue
            label, trailing = _split_label(texts[i])
            c = squash(label)
            if header is None:
                if "行政复议" in c and len(c) <= 120:
                    header = tok
                else:
                    continue
            elif values and (len(c) > 40 or not any(w in c for w in self._T4_WORDS)):
                break  # prose after the figures (a header word continues: some print three small tables)
            if trailing is not None and c.endswith(self._T4_HEADER_ENDS):
                tv = read_value(trailing)
                if tv is not None:
                    values.append((tv, tok))
        if header is None:
            self._missing_table(table)
            return
        self.rows_found += 1
        self._assign(table, row, [(table.key, row.key, col.key) for col in table.columns],
                     RowRead(row, header, start, values))

    def _missing_table(self, table: Table) -> None:
        self.report.problems.append(Problem(
            "table-missing",
            f"报告中找不到表格“{table.label}”（第{table.section}部分）",
            "error", None, [(table.key, r.key, c.key) for r in table.data_rows for c in table.columns]))
