"""Tokens: the one shape every input format is reduced to before tables are read.

A published report reaches us as flattened web text, HTML, Word, Excel or PDF.  Each reader
turns its input into a flat sequence of :class:`Token` — one table cell, or one piece of a
line of text — with the place it came from, so that every figure (and every cell that could
not be read) can be traced back to a line or a cell of the source.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple


class Token(NamedTuple):
    """One table cell or one piece of a line of text, with the place it came from.

    A named tuple rather than a dataclass: a report has hundreds of tokens, and a tuple is made
    several times faster (and is as immutable).
    """

    text: str  # NFKC-normalised, whitespace-trimmed text; "" for a blank cell
    location: str  # where in the source, in words (第12行, 表格2 第5行 第3列 …)
    cell: bool = False  # from a real table cell (HTML, Word, Excel, PDF table) rather than a text line
    raw: str | None = None  # the text as printed, when it differs from ``text``


_text_of = itemgetter(0)  # a Token's text


def token_texts(tokens: list[Token]) -> list[str]:
    """``[t.text for t in tokens]``."""
    return list(map(_text_of, tokens))


_tuple_new = tuple.__new__  # _tuple_new(Token, (text, location, cell, raw)): a Token without the call to __new__


PLACEHOLDERS = frozenset({"—", "——", "-", "--", "－", "―", "─", "/", "无", "空", "x", "X", "×"})

def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), no-break spaces to spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").replace("\u200b", "")
    return text.strip()


_WS = re.compile(r"\s+")  # white space: what str.split() splits at (both are str.isspace())


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """``normalise`` and remove all white space: for comparing labels."""
    return "".join(normalise(text).split())  # _WS.sub("", …), faster


@lru_cache(maxsize=1 << 17)
def squash(text: str) -> str:
    """Already-normalised text (a :class:`Token`'s) without white space: ``compact`` without NFKC."""
    return "".join(text.split()) if " " in text or "\t" in text or "\n" in text else text


_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>万元|亿元|元|件|项|个|条)?$"
)


class Value(NamedTuple):
    """A cell's figure as read (a named tuple, like :class:`Token`: made for every figure)."""

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
    if t.isdecimal():  # digits alone (the commonest figure): what _NUMBER would read, without it
        try:
            return _tuple_new(Value, (int(t), None, False, t))
        except ValueError:  # more digits than int() reads
            return None
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


# Figures glued to words: "00(七)总计23" — a digit followed by a letter (``\d[^\d.,\s%]``) or after
# one (``[^\d\s.,+\-(（]\d``).  Only whether there is one is asked, so both are looked for from the
# digit, which lets the engine skip all that is not a digit.
_MIXED = re.compile(r"\d(?:[^\d.,\s%]|(?<=[^\d\s.,+\-(（]\d))")


_LONG = 30  # pieces shorter than this are labels or figures already

_cut = None  # lexicon.cut, imported on first use (lexicon needs compact() from here)


def _lexicon_cut(word: str) -> list[str]:
    global _cut
    if _cut is None:
        from .lexicon import cut

        _cut = cut
    return _cut(word)


def _one_piece(segment: str) -> bool:
    r"""``segment`` is one cell as it stands: short, no space, no figure glued to a word.

    A string of decimal digits alone has nothing for ``_MIXED`` to find (every character of it
    is a ``\d``), so the regular expression is not run for a figure.
    """
    return len(segment) < _LONG and " " not in segment and (segment.isdecimal() or not _MIXED.search(segment))


def _pieces(segment: str) -> list[str]:
    """Split a cell-less segment of text on white space, keeping words of a label together.

    Numbers separated by spaces become separate pieces; neighbouring non-numeric words are
    joined again (a label printed as "1.属于 国家秘密" stays one piece).  Long run-together
    text is cut at the report's own words (:mod:`.lexicon`).
    """
    mixed = False if segment.isdecimal() else _MIXED.search(segment) is not None
    if not mixed and len(segment) < _LONG and " " not in segment:
        return [segment]  # the common case: one cell, one word
    words = segment.split()
    if len(words) == 1 and words[0] == segment:  # one word (what the loop below does with it)
        if len(segment) >= _LONG or mixed:
            parts = _lexicon_cut(segment)
            if len(parts) > 1:
                return parts
        return [segment]
    # A word is a piece of the segment, so a word has a figure glued to a word only if the
    # segment has one (and then it is looked for word by word).
    out: list[str] = []
    joinable = False
    last_is_value = False  # read_value(out[-1]) is not None, while joinable
    for word in words:
        if len(word) >= _LONG or (mixed and _MIXED.search(word)):
            parts = _lexicon_cut(word)
            if len(parts) > 1:
                out.extend(parts)  # cut at known phrases: keep them apart
                joinable = False
                continue
        is_value = read_value(word) is not None
        if joinable and not is_value and not last_is_value:
            out[-1] = joined = out[-1] + word
            last_is_value = read_value(joined) is not None  # "5万" + "元" is a figure again
        else:
            out.append(word)
            last_is_value = is_value
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
    return _cells(norm, location)


def _cells(norm: str, location: str) -> list[Token]:
    """:func:`line_tokens` of a normalised, trimmed line that is not one short word."""
    if not norm or norm.strip("|") == "" or (norm[0] in "|:-" and "--" in norm and _MD_RULE.match(norm)):
        return []
    if "|" in norm:
        sep = "|"
    elif "\t" in norm:
        sep = "\t"
    else:
        return [_tuple_new(Token, (p, location, False, None)) for p in _pieces(norm)]
    parts = norm.split(sep)  # (each stripped as it is read)
    # Leading and trailing empties are the frame of the row, not cells.
    first = 0
    last = len(parts)
    while first < last and not parts[first].strip():
        first += 1
    while last > first and not parts[last - 1].strip():
        last -= 1
    tokens: list[Token] = []
    append = tokens.append
    mixed = _MIXED.search
    for part in parts[first:last] if first or last < len(parts) else parts:
        part = part.strip()
        if not part or (len(part) < _LONG and (part.isdecimal() or (" " not in part and not mixed(part)))):
            # A blank cell, or one cell as it stands (_one_piece): the part between two separators.
            append(_tuple_new(Token, (part, location, True, None)))
        else:
            pieces = _pieces(part)
            whole = len(pieces) == 1
            for p in pieces:
                append(_tuple_new(Token, (p, location, whole, None)))
    return tokens


_LINE_NAMES: list[str] = []  # _LINE_NAMES[n] == f"第{n}行", for the line numbers met so far


def _line_names(last: int) -> list[str]:
    """A list holding the location of each line up to ``last`` ("第12行" at 12)."""
    if len(_LINE_NAMES) <= last:
        if last >= 1 << 16:  # not kept for a text that long
            return [f"第{n}行" for n in range(last + 1)]
        _LINE_NAMES.extend(f"第{n}行" for n in range(len(_LINE_NAMES), last + 1))
    return _LINE_NAMES


def text_tokens(text: str, first_line: int = 1) -> list[Token]:
    """Tokens of a whole flattened text (normalised once, not line by line)."""
    tokens: list[Token] = []
    append = tokens.append
    lines = normalise_keep_lines(text).split("\n")
    names: list[str] | dict[int, str] = (
        _line_names(first_line + len(lines)) if first_line >= 0
        else {n: f"第{n}行" for n in range(first_line, first_line + len(lines))})
    n = first_line - 1
    for line in lines:
        n += 1
        if not line:
            continue
        if "|" in line:  # a table row: neither a word nor a sentence (below)
            if line.strip(" |"):  # pipes and spaces alone: no cell
                tokens.extend(_cells(line.strip(), names[n]))
            continue
        size = len(line)
        if size < 30 and " " not in line and "\t" not in line:
            append(_tuple_new(Token, (line, names[n], False, None)))  # one cell on its own line: the commonest case
            continue
        if 40 < size < 1000 and "。" in line and "\t" not in line:  # _is_prose
            append(_tuple_new(Token, (line.strip(), names[n], False, None)))  # a sentence: no cells to find in it
        else:
            norm = line.strip()  # line_tokens(line, …, normalised=True):
            if " " not in norm and "\t" not in norm and len(norm) < 30:
                if norm:
                    append(_tuple_new(Token, (norm, names[n], False, None)))
            else:
                tokens.extend(_cells(norm, names[n]))
    return tokens


def _is_prose(line: str) -> bool:
    """A paragraph of the report's text rather than a flattened table row.

    Sentences end in "。"; table rows do not.  A whole page run onto one line (some sites print
    that) is long and still gets cut, so only lines of paragraph length count.
    """
    return 40 < len(line) < 1000 and "。" in line and "|" not in line and "\t" not in line


def _nfkd_replacements(chars: str) -> tuple[tuple[str, str], ...]:
    """(character, its NFKD form) for those of ``chars`` that NFKC changes into plain characters."""
    out = []
    for ch in chars:
        nfkd = unicodedata.normalize("NFKD", ch)
        if nfkd != ch and unicodedata.normalize("NFKC", ch) == nfkd and all(
                unicodedata.combining(c) == 0 for c in nfkd):
            out.append((ch, nfkd))
    return tuple(out)


# Full-width punctuation that Chinese text is full of.  Writing each as its NFKD form first
# leaves the NFKC of the text unchanged (NFKC decomposes every character to that form anyway),
# and a text whose only such characters were these is then found normalised by the quick
# check: ``unicodedata.normalize`` returns it without rebuilding it character by character.
_WIDE = _nfkd_replacements("，（）：；！？％－．／　")


def normalise_keep_lines(text: str) -> str:
    """NFKC over a whole text, keeping its line numbering (\r\n, \r and \n all end a line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        for wide, narrow in _WIDE:
            if wide in text:
                text = text.replace(wide, narrow)
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
