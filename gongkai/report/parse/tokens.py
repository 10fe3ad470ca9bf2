"""Tokens: the one shape every input format is reduced to before tables are read.

A published report reaches us as flattened web text, HTML, Word, Excel or PDF.  Each reader
turns its input into a flat sequence of :class:`Token` — one table cell, or one piece of a
line of text — with the place it came from, so that every figure (and every cell that could
not be read) can be traced back to a line or a cell of the source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # NFKC-normalised, whitespace-trimmed text; "" for a blank cell
    location: str  # where in the source, in words (第12行, 表格2 第5行 第3列 …)
    cell: bool = False  # from a real table cell (HTML, Word, Excel, PDF table) rather than a text line
    raw: str | None = None  # the text as printed, when it differs from ``text``


PLACEHOLDERS = frozenset({"—", "——", "-", "--", "－", "―", "─", "/", "无", "空", "x", "X", "×"})

def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), no-break spaces to spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").replace("\u200b", "")
    return text.strip()


_WS = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """``normalise`` and remove all white space: for comparing labels."""
    return _WS.sub("", normalise(text))


@lru_cache(maxsize=1 << 17)
def squash(text: str) -> str:
    """Already-normalised text (a :class:`Token`'s) without white space: ``compact`` without NFKC."""
    return _WS.sub("", text) if " " in text or "\t" in text or "\n" in text else text


_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>万元|亿元|元|件|项|个|条)?$"
)


@dataclass(frozen=True)
class Value:
    number: int | Decimal | None  # None for a placeholder or blank
    unit: str | None = None
    placeholder: bool = False
    digits: str | None = None  # the bare digit string, for run-together splitting


@lru_cache(maxsize=65536)
def read_value(text: str) -> Value | None:
    """A cell's figure, or None when the text is not a figure at all.

    Handles thousands separators (1,234), a sign (本年增/减 can be negative), decimals and a
    unit written in the cell (251000元), and the placeholders reports print for zero or
    nothing ("—", "/", "无").  The text is already NFKC-normalised, so full-width digits are
    ASCII here.
    """
    t = text.replace(" ", "")
    if t == "":
        return Value(None)
    if t in PLACEHOLDERS:
        return Value(None, placeholder=True)
    m = _NUMBER.match(t)
    if not m:
        return None
    int_part = m["int"].replace(",", "")
    unit = m["unit"] if m["unit"] in ("元", "万元", "亿元") else None
    try:
        if m["frac"] is not None:
            number: int | Decimal = Decimal(f"{m['sign']}{int_part}.{m['frac']}")
        else:
            number = int(f"{m['sign']}{int_part}")
    except (InvalidOperation, ValueError):
        return None
    # The bare digits (with a leading minus) of a plain integer: what a run-together row is cut from.
    digits = (("-" if m["sign"] == "-" else "") + int_part) if (m["frac"] is None and "," not in m["int"]) else None
    return Value(number, unit=unit, digits=digits)


_MD_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


_MIXED = re.compile(r"\d[^\d.,\s%]|[^\d\s.,+\-(（]\d")  # figures glued to words: "00(七)总计23"


_LONG = 30  # pieces shorter than this are labels or figures already


def _pieces(segment: str) -> list[str]:
    """Split a cell-less segment of text on white space, keeping words of a label together.

    Numbers separated by spaces become separate pieces; neighbouring non-numeric words are
    joined again (a label printed as "1.属于 国家秘密" stays one piece).  Long run-together
    text is cut at the report's own words (:mod:`.lexicon`).
    """
    if len(segment) < _LONG and " " not in segment and not _MIXED.search(segment):
        return [segment]  # the common case: one cell, one word
    from .lexicon import cut  # lexicon needs compact() from here

    out: list[str] = []
    joinable = False
    for word in segment.split():
        if len(word) >= _LONG or _MIXED.search(word):
            parts = cut(word)
            if len(parts) > 1:
                out.extend(parts)  # cut at known phrases: keep them apart
                joinable = False
                continue
        if joinable and read_value(word) is None and read_value(out[-1]) is None:
            out[-1] = out[-1] + word
        else:
            out.append(word)
        joinable = True
    return out


def line_tokens(line: str, location: str, normalised: bool = False) -> list[Token]:
    """Tokens of one line of flattened text: pipes, tabs or runs of spaces separate cells.

    Between two pipes (or tabs) on the same line an empty piece is a blank cell; a line of
    pipes alone, or a Markdown rule (|---|---|), carries nothing.
    """
    norm = line.strip() if normalised else normalise(line)
    if " " not in norm and "|" not in norm and "\t" not in norm and len(norm) < 30:
        return [Token(norm, location)] if norm else []
    if not norm or norm.strip("|") == "" or (norm[0] in "|:-" and _MD_RULE.match(norm)):
        return []
    sep = "|" if "|" in norm else ("\t" if "\t" in norm else None)
    if sep is None:
        return [Token(p, location) for p in _pieces(norm)]
    parts = [p.strip() for p in norm.split(sep)]
    # Leading and trailing empties are the frame of the row, not cells.
    while parts and parts[0] == "":
        parts.pop(0)
    while parts and parts[-1] == "":
        parts.pop()
    tokens: list[Token] = []
    for part in parts:
        if part == "":
            tokens.append(Token("", location, cell=True))
        else:
            pieces = _pieces(part)
            whole = len(pieces) == 1  # the part between two separators is one cell
            tokens.extend(Token(p, location, cell=whole) for p in pieces)
    return tokens


def text_tokens(text: str, first_line: int = 1) -> list[Token]:
    """Tokens of a whole flattened text (normalised once, not line by line)."""
    tokens: list[Token] = []
    norm = normalise_keep_lines(text)
    for n, line in enumerate(norm.split("\n"), start=first_line):
        if not line:
            continue
        if len(line) < 30 and " " not in line and "|" not in line and "\t" not in line:
            tokens.append(Token(line, f"第{n}行"))  # one cell on its own line: the commonest case
            continue
        if _is_prose(line):
            tokens.append(Token(line.strip(), f"第{n}行"))  # a sentence: no cells to find in it
        else:
            tokens.extend(line_tokens(line, f"第{n}行", normalised=True))
    return tokens


def _is_prose(line: str) -> bool:
    """A paragraph of the report's text rather than a flattened table row.

    Sentences end in "。"; table rows do not.  A whole page run onto one line (some sites print
    that) is long and still gets cut, so only lines of paragraph length count.
    """
    return 40 < len(line) < 1000 and "。" in line and "|" not in line and "\t" not in line


def normalise_keep_lines(text: str) -> str:
    """NFKC over a whole text, keeping its line numbering (\r\n, \r and \n all end a line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFKC", text).replace("\u00a0", " ").replace("\u200b", "")


def cell_tokens(text: str, location: str) -> list[Token]:
    """A real table cell: normally one token, whatever line breaks wrap its label.

    A cell holding several numbers separated by spaces (a PDF table whose column rules were
    not drawn) gives one token per number.
    """
    norm = normalise(text)
    words = norm.split()
    if len(words) > 1 and all(read_value(w) is not None for w in words):
        return [Token(w, location, cell=True) for w in words]
    joined = "".join(words)
    return [Token(joined, location, cell=True, raw=text if text.strip() != joined else None)]
