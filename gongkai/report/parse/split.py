"""Splitting figures that a published page ran together ("640020470" → 64, 0, 0, 2, 0, 4, 70).

Some portals print a table row's cells with no separator.  The digits alone are ambiguous; the
report's own rules (a row's 总计 is the sum of its applicant columns, a review's 总计 the sum of
its outcomes, 一+二 = 三+四 down every column) usually leave exactly one reading.  A figure
never starts with 0 unless it is 0 itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from math import comb

from ..model import CellKey, Number
from ..rules import Check

MAX_CANDIDATES = 200_000  # enumeration bound; a real row (≤ 25 digits, 7 or 15 cells) stays far below


def _parts(digits: str, k: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut ``digits`` into ``k`` numbers without leading zeros."""
    if k == 1:
        if len(digits) == 1 or digits[0] != "0":
            yield (int(digits),)
        return
    if digits[0] == "0":
        for rest in _parts(digits[1:], k - 1):
            yield (0, *rest)
        return
    for cut in range(1, len(digits) - k + 2):
        head = int(digits[:cut])
        for rest in _parts(digits[cut:], k - 1):
            yield (head, *rest)


def _signed_parts(piece: str, k: int) -> Iterator[tuple[int, ...]]:
    """Like :func:`_parts`; a leading minus belongs to the first figure ("-18538" → -18, 538)."""
    if not piece.startswith("-"):
        yield from _parts(piece, k)
        return
    for part in _parts(piece[1:], k):
        yield (-part[0], *part[1:])


def splits(pieces: Sequence[str], n: int) -> Iterator[tuple[int, ...]]:
    """Every reading of the digit strings ``pieces`` (in order) as exactly ``n`` figures."""
    lengths = [len(p.lstrip("-")) for p in pieces]
    if not pieces or n < len(pieces) or n > sum(lengths):
        return
    if comb(sum(lengths) - 1, n - 1) <= _EAGER:
        yield from _splits_list(pieces, lengths, n)
        return
    count = 0

    def rec(i: int, remaining: int, acc: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        nonlocal count
        if i == len(pieces):
            if remaining == 0:
                count += 1
                yield acc
            return
        after = len(pieces) - i - 1
        max_after = sum(lengths[i + 1 :])
        for k in range(1, min(lengths[i], remaining - after) + 1):
            if remaining - k > max_after:
                continue
            for part in _signed_parts(pieces[i], k):
                if count >= MAX_CANDIDATES:
                    return
                yield from rec(i + 1, remaining - k, acc + part)

    yield from rec(0, n, ())


# Readings are listed at once (not one by one) when there can be at most this many: cutting
# the pieces is cutting their concatenation at (among others) the places between them, so
# comb(digits - 1, n - 1) bounds their number, and MAX_CANDIDATES is never reached.
_EAGER = 20_000


def _parts_list(digits: str, k: int) -> list[tuple[int, ...]]:
    """``list(_parts(digits, k))``, each tail of ``digits`` cut once for all the heads before it."""
    size = len(digits)
    memo: dict[tuple[int, int], list[tuple[int, ...]]] = {}

    def go(s: int, k: int) -> list[tuple[int, ...]]:
        key = (s, k)
        found = memo.get(key)
        if found is not None:
            return found
        out: list[tuple[int, ...]]
        if size - s == k:  # as many figures as digits: each digit one figure, the one way
            out = [tuple(map(int, digits[s:]))]
        elif k == 1:
            out = [(int(digits[s:]),)] if (size - s == 1 or digits[s] != "0") else []
        elif digits[s] == "0":
            out = [(0, *rest) for rest in go(s + 1, k - 1)]
        else:
            out = []
            for cut in range(s + 1, size - k + 2):
                head = int(digits[s:cut])
                out.extend([(head, *rest) for rest in go(cut, k - 1)])
        memo[key] = out
        return out

    return go(0, k)


def _signed_parts_list(piece: str, k: int) -> list[tuple[int, ...]]:
    """``list(_signed_parts(piece, k))``."""
    if not piece.startswith("-"):
        return _parts_list(piece, k)
    return [(-part[0], *part[1:]) for part in _parts_list(piece[1:], k)]


def _splits_list(pieces: Sequence[str], lengths: list[int], n: int) -> list[tuple[int, ...]]:
    """What :func:`splits` yields, in its order, as a list (``n`` is within reach of ``pieces``)."""
    if len(pieces) == 1:
        return _signed_parts_list(pieces[0], n)
    m = len(pieces)
    tail = [sum(lengths[i:]) for i in range(m + 1)]
    parts_of: dict[tuple[int, int], list[tuple[int, ...]]] = {}
    tails_of: dict[tuple[int, int], list[tuple[int, ...]]] = {}

    def tails(i: int, remaining: int) -> list[tuple[int, ...]]:
        """The readings of ``pieces[i:]`` as ``remaining`` figures, in the order of :func:`splits`."""
        if i == m:
            return [()] if remaining == 0 else []
        found = tails_of.get((i, remaining))
        if found is not None:
            return found
        out: list[tuple[int, ...]] = []
        after = m - i - 1
        for k in range(1, min(lengths[i], remaining - after) + 1):
            if remaining - k > tail[i + 1]:
                continue
            rest = tails(i + 1, remaining - k)
            if not rest:
                continue
            parts = parts_of.get((i, k))
            if parts is None:
                parts = parts_of[(i, k)] = _signed_parts_list(pieces[i], k)
            for part in parts:
                out.extend([part + t for t in rest])
        tails_of[(i, remaining)] = out
        return out

    return tails(0, n)


def consistent(values: Mapping[CellKey, Number | None], checks: Sequence[Check]) -> bool:
    """No check whose cells are all known fails."""
    return all(check.holds(values) is not False for check in checks)


def row_candidates(
    pieces: Sequence[str], keys: Sequence[CellKey], checks: Sequence[Check], known: dict,
    signed: Sequence[bool] = (),
) -> list[tuple[int, ...]]:
    """Readings of a run-together row that satisfy every rule decidable from the row alone.

    ``signed`` says which cells may hold a negative figure (本年增/减); -0 is never a reading.
    """
    allowed = list(signed) or [False] * len(keys)
    if not known and len(allowed) == len(keys):
        # Only a piece with a minus gives a negative figure (its first): without one, or with every
        # cell allowed a sign, no reading is left out for its signs.
        sign_free = all(allowed) or not any(p.startswith("-") for p in pieces)
        holds = _row_rules(keys, checks)
        if holds is None:  # nothing to check against (第二部分's rows): every split of the right signs
            if sign_free:
                return list(splits(pieces, len(keys)))
            return [c for c in splits(pieces, len(keys))
                    if all(v >= 0 or ok for v, ok in zip(c, allowed, strict=True))]
        if sign_free:
            return [c for c in splits(pieces, len(keys)) if holds(c)]
        return [c for c in splits(pieces, len(keys))
                if all(v >= 0 or ok for v, ok in zip(c, allowed, strict=True)) and holds(c)]
    available = frozenset(keys) | frozenset(known)
    local = [c for c in checks if c.cellset <= available]
    out = []
    if not local:  # nothing to check against (第二部分's rows): every split of the right signs is a reading
        return [c for c in splits(pieces, len(keys)) if all(v >= 0 or ok for v, ok in zip(c, allowed, strict=True))]
    for cand in splits(pieces, len(keys)):
        if any(v < 0 and not ok for v, ok in zip(cand, allowed, strict=True)):
            continue
        values = dict(known)
        values.update(zip(keys, cand, strict=True))
        if consistent(values, local):
            out.append(cand)
    return out


# The rules of a row alone, by (id of the checks, the row's keys): (the checks, the test).  The
# entry holds the checks, so their id stays theirs while it is here.
_ROW_RULES: dict[tuple[int, tuple[CellKey, ...]], tuple[Sequence[Check], Callable[[tuple[int, ...]], bool] | None]] = {}


def _row_rules(keys: Sequence[CellKey], checks: Sequence[Check]) -> Callable[[tuple[int, ...]], bool] | None:
    """A test of a reading of the row ``keys`` against every check of ``checks`` on these cells
    alone, or None when there is none.

    The test is ``consistent`` over the reading's cells, written out as one expression over the
    reading's positions (a check holds when the sum of its left cells equals, or is at most, the
    sum of its right cells).
    """
    entry_key = (id(checks), tuple(keys))
    entry = _ROW_RULES.get(entry_key)
    if entry is not None and entry[0] is checks:
        return entry[1]
    position = {k: i for i, k in enumerate(keys)}
    cells = frozenset(position)
    terms = []
    for check in checks:
        if not check.cellset <= cells:
            continue
        left = " + ".join(f"c[{position[k]}]" for k in check.lhs) or "0"
        right = " + ".join(f"c[{position[k]}]" for k in check.rhs) or "0"
        terms.append(f"({left}) {'==' if check.rule.relation == '=' else '<='} ({right})")
    test = eval(f"lambda c: {' and '.join(terms)}") if terms else None
    if len(_ROW_RULES) >= 4096:
        _ROW_RULES.clear()
    _ROW_RULES[entry_key] = (checks, test)
    return test


def resolve_jointly(
    ambiguous: dict[str, tuple[Sequence[CellKey], list[tuple[int, ...]]]],
    known: Mapping[CellKey, Number | None],
    checks: Sequence[Check],
    limit: int = 100_000,
) -> dict[str, tuple[int, ...]] | None:
    """Choose one reading per ambiguous row so that every table rule holds; None unless unique.

    Up to ``limit`` combinations of readings are considered (none beyond that).  They are tried
    row by row, each rule as soon as the rows it reads have their readings, so that a
    combination that breaks a rule early is not completed in every way.
    """
    names = list(ambiguous)
    sizes = 1
    for name in names:
        sizes *= max(1, len(ambiguous[name][1]))
    if not names or sizes > limit:
        return None
    if any(not ambiguous[name][1] for name in names):
        return None  # a row with no reading: no combination at all
    # The row (its place in ``names``) whose reading a cell takes: the last that lists it.
    owner: dict[CellKey, int] = {}
    for depth, name in enumerate(names):
        for key in ambiguous[name][0]:
            owner[key] = depth
    # Each rule that can fail, at the row after whose reading all its cells are known.
    rules_at: list[list[Check]] = [[] for _ in names]
    for check in checks:
        cells = check.cellset
        depths = [owner[k] for k in cells if k in owner]
        if depths and all(k in owner or k in known for k in cells):
            rules_at[max(depths)].append(check)
    values = dict(known)
    chosen: list[tuple[int, ...]] = []
    found: list[list[tuple[int, ...]]] = []

    def search(depth: int) -> None:
        if depth == len(names):
            found.append(list(chosen))
            return
        keys, cands = ambiguous[names[depth]]
        rules = rules_at[depth]
        for cand in cands:
            values.update(zip(keys, cand, strict=True))
            if all(rule.holds(values) is not False for rule in rules):
                chosen.append(cand)
                search(depth + 1)
                chosen.pop()
                if len(found) > 1:
                    return

    search(0)
    if len(found) != 1:
        return None
    return dict(zip(names, found[0], strict=True))
