"""Chinese word segmentation for search, the same for documents and queries (pure Python).

Documents are cut with jieba's search mode (``cut_for_search``: each word and the shorter
dictionary words inside it, so 医疗保险 also gives 医疗 and 保险), plus every Chinese character
on its own, so that a one-character query (县, 税) finds it.  jieba runs with its dictionary
only (``HMM=False``): the statistical guesser for unknown words would cut the same name
differently in different sentences, and a query must be cut like the text it is looking for.

A query is cut into words in precise mode; each word matches a document that has the word
itself.  A word the dictionary does not know (河长制) comes out of jieba as single characters, in
documents and queries alike; matching each character anywhere in a text would find every text that
happens to hold 河, 长 and 制.  So characters typed together that jieba leaves single are kept as
one *verbatim* word: the index finds the texts with all its characters, and the search keeps those
that hold the word as typed.  Search mode indexes the two- and three-character dictionary words inside longer words,
but not longer ones: 中华人民共和国 inside 中华人民共和国政府 is not a token.  So a query word of
four or more characters also matches a document that has every dictionary word inside it
(中华, 华人, 人民, 共和, 共和国), when those cover the word.  Every query word must match (AND).

Tokens are normalised once (NFKC: full-width letters and digits become ASCII; lower case) and
only runs of letters and digits are kept, at most :data:`MAX_TOKEN` characters, so that both
databases take them verbatim: SQLite's FTS5 ``ascii`` tokenizer and PostgreSQL's
``array_to_tsvector`` neither split nor change them.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_TOKEN = 40
MAX_QUERY_WORDS = 20  # words after the 20th are ignored: a search box is not a document
_lock = threading.Lock()
_tokenizer: Any = None


def _jieba() -> Any:
    """One jieba tokenizer per process, loaded on first use (about half a second)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _is_word_char(c: str) -> bool:
    return unicodedata.category(c)[0] in "LN"


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def _clean(raw: Iterable[str]) -> Iterable[str]:
    """Runs of letters and digits from jieba's pieces (punctuation and spaces dropped)."""
    for piece in raw:
        run: list[str] = []
        for c in piece:
            if _is_word_char(c):
                run.append(c)
            elif run:
                yield "".join(run)
                run = []
        if run:
            yield "".join(run)


def document_tokens(text: str) -> list[str]:
    """The distinct tokens of ``text`` to index, in order of first appearance."""
    text = normalize(text)
    seen: dict[str, None] = {}
    for token in _clean(_jieba().cut_for_search(text, HMM=False)):
        if len(token) <= MAX_TOKEN:
            seen.setdefault(token, None)
    for c in text:
        if _is_cjk(c):
            seen.setdefault(c, None)
    return list(seen)


@dataclass(frozen=True)
class Term:
    """One query word: matched by ``word`` itself, or by all of ``parts`` (its inner dictionary words);
    a ``verbatim`` word (unknown to the dictionary: its parts are its characters) only where the text
    holds it as it is."""

    word: str
    parts: tuple[str, ...] = ()
    verbatim: bool = False

    @property
    def strings(self) -> tuple[str, ...]:
        return (self.word, *self.parts)


def _parts(tokenizer: Any, word: str) -> tuple[str, ...]:
    """The dictionary words inside a query word of four or more characters, if together they cover
    it.  Shorter words need none: search mode already indexes every dictionary word of two and
    three characters inside a longer one."""
    if len(word) < 4:
        return ()
    parts = [s for s in dict.fromkeys(_clean(tokenizer.cut_for_search(word, HMM=False))) if s != word and len(s) > 1]
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        while start >= 0:
            covered[start:start + len(part)] = [True] * len(part)
            start = word.find(part, start + 1)
    return tuple(parts) if all(covered) else ()


def _query_words(pieces: Iterable[str]) -> Iterable[tuple[str, bool]]:
    """(word, verbatim) from jieba's pieces of a query: runs of single Chinese characters next to
    each other (a word jieba does not know, cut into characters) joined into one verbatim word."""
    run: list[str] = []
    for piece in [*pieces, ""]:  # the empty piece ends the last run
        if len(piece) == 1 and _is_cjk(piece):
            run.append(piece)
            continue
        if run:
            yield "".join(run), len(run) > 1
            run = []
        for word in _clean([piece]):
            yield word, False


def query_terms(query: str) -> list[Term]:
    """The words of a search query (duplicates removed), each with its inner words."""
    tokenizer = _jieba()
    terms: dict[str, Term] = {}
    for word, verbatim in _query_words(tokenizer.cut(normalize(query), HMM=False)):
        if len(word) > MAX_TOKEN or word in terms:
            continue
        parts = tuple(dict.fromkeys(word)) if verbatim else _parts(tokenizer, word)
        terms[word] = Term(word, parts, verbatim)
        if len(terms) == MAX_QUERY_WORDS:
            break
    return list(terms.values())


# -- showing hits ---------------------------------------------------------------------------------

def _pattern(text: str, terms: Sequence[Term]) -> re.Pattern[str] | None:
    """What to mark in ``text``: each query word found in it, else its inner words found in it."""
    folded = normalize(text)
    marks: set[str] = set()
    for term in terms:
        if term.word in folded:
            marks.add(term.word)
        else:
            marks.update(p for p in term.parts if p in folded)
    if not marks:
        return None
    alternatives = sorted(marks, key=lambda m: (-len(m), m))
    return re.compile("|".join(re.escape(m) for m in alternatives), re.IGNORECASE)


def highlight(text: str, terms: Sequence[Term]) -> str:
    """``text`` HTML-escaped, the query's words in ``<mark>``."""
    pattern = _pattern(text, terms)
    if pattern is None:
        return html.escape(text)
    return _marked(text, pattern)


def _marked(text: str, pattern: re.Pattern[str]) -> str:
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def snippet(text: str, terms: Sequence[Term], length: int = 120, before: int = 30) -> str:
    """A passage of ``text`` (``length`` characters) around its first hit, escaped and marked;
    the beginning of the text when nothing in it matches.  ``…`` shows where it was cut."""
    text = " ".join(text.split())
    pattern = _pattern(text, terms)
    first = pattern.search(text) if pattern is not None else None
    start = 0
    if first is not None and first.start() > before:
        start = min(first.start() - before, max(0, len(text) - length))
    end = min(len(text), start + length)
    passage = text[start:end]
    body = _marked(passage, pattern) if pattern is not None else html.escape(passage)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
