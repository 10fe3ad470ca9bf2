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
    if size == k:  # as many figures as digits: each digit one figure, the one way
        return [tuple(map(int, digits))]
    if k <= 2:
        return _two_parts(digits, 0, k)
    memo: dict[tuple[int, int], list[tuple[int, ...]]] = {}

    def go(s: int, k: int) -> list[tuple[int, ...]]:
        if k <= 2 or size - s == k:
            return _two_parts(digits, s, k) if size - s != k else [tuple(map(int, digits[s:]))]
        key = (s, k)
        found = memo.get(key)
        if found is not None:
            return found
        out: list[tuple[int, ...]]
        if digits[s] == "0":
            out = [(0, *rest) for rest in go(s + 1, k - 1)]
        else:
            out = []
            for cut in range(s + 1, size - k + 2):
                head = int(digits[s:cut])
                out.extend([(head, *rest) for rest in go(cut, k - 1)])
        memo[key] = out
        return out

    return go(0, k)


def _two_parts(digits: str, s: int, k: int) -> list[tuple[int, ...]]:
    """``list(_parts(digits[s:], k))`` for k of 1 or 2 (and fewer than ``k`` digits left is never asked)."""
    size = len(digits)
    if k == 1:
        return [(int(digits[s:]),)] if (size - s == 1 or digits[s] != "0") else []
    if digits[s] == "0":
        return [(0, int(digits[s + 1:]))] if (size - s == 2 or digits[s + 1] != "0") else []
    return [(int(digits[s:cut]), int(digits[cut:])) for cut in range(s + 1, size)
            if cut == size - 1 or digits[cut] != "0"]


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
    if (not known and len(pieces) == 1 and len(pieces[0]) == len(keys) and (not signed or len(signed) == len(keys))
            and pieces[0].isdecimal()):
        # As many digits as cells, none negative: one reading, each digit a figure.
        reading = tuple(map(int, pieces[0]))
        test = _row_rules(keys, checks)[0]
        return [reading] if test is None or test(reading) else []
    allowed = list(signed) or [False] * len(keys)
    if not known and len(pieces) == 1 and len(allowed) == len(keys) and pieces[0].isdecimal():
        digits = pieces[0]
        groups = _row_rules(keys, checks)[2]
        if (groups is not None and max(groups[0]) >= 0 and len(keys) <= len(digits)
                and comb(len(digits) - 1, len(keys) - 1) <= MAX_CANDIDATES):
            # The row's checks all read "this cell is the sum of those before it" (一行的总计,
            # 行政复议的总计…): the readings, found without completing those that break one early.
            return _grouped_readings(digits, len(keys), *groups)
    if not known and len(allowed) == len(keys):
        # Only a piece with a minus gives a negative figure (its first): without one, or with every
        # cell allowed a sign, no reading is left out for its signs.
        sign_free = all(allowed) or not any(p.startswith("-") for p in pieces)
        holds, total_last, _ = _row_rules(keys, checks)
        if (total_last and sign_free and all(p.isdecimal() for p in pieces) and len(pieces) <= len(keys)
                <= sum(map(len, pieces)) and comb(sum(map(len, pieces)) - 1, len(keys) - 1) <= MAX_CANDIDATES):
            # 一行的总计: the readings whose last figure is the sum of the others, found without
            # completing the readings whose first figures already add up to more than it can be.
            return _sum_last_readings(pieces, len(keys))
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


# The rules of a row alone, by (id of the checks, the row's keys): (the checks, the rules).  The
# entry holds the checks, so their id stays theirs while it is here.
_ROW_RULES: dict[tuple[int, tuple[CellKey, ...]], tuple[Sequence[Check], _Rules]] = {}

# (test, total_last, groups): a test of a reading against every check on the row's cells alone
# (None when there is none); whether those checks are just one: the last cell is the sum of all the
# others; and, when every one of them says that a cell is the sum of cells before it (each cell in
# one such sum at most), for each cell the sum it is the total of and the sum it is a part of
# (-1 for none).
_Groups = tuple[tuple[int, ...], tuple[int, ...]]
_Rules = tuple[Callable[[tuple[int, ...]], bool] | None, bool, _Groups | None]


def _row_rules(keys: Sequence[CellKey], checks: Sequence[Check]) -> _Rules:
    """The checks of ``checks`` on the cells ``keys`` alone, as a test of a reading.

    The test is ``consistent`` over the reading's cells, written out as one expression over the
    reading's positions (a check holds when the sum of its left cells equals, or is at most, the
    sum of its right cells).
    """
    if type(keys) is tuple:  # the same tuple of keys again (the parser keeps one a row): by identity
        entry = _ROW_RULES_BY_ID.get((id(checks), id(keys)))
        if entry is not None and entry[0] is checks and entry[1] is keys:
            return entry[2]
    entry_key = (id(checks), tuple(keys))
    found = _ROW_RULES.get(entry_key)
    if found is not None and found[0] is checks:
        if type(keys) is tuple:
            _remember_by_id(checks, keys, found[1])
        return found[1]
    position = {k: i for i, k in enumerate(keys)}
    cells = frozenset(position)
    terms = []
    local = [check for check in checks if check.cellset <= cells]
    for check in local:
        left = " + ".join(f"c[{position[k]}]" for k in check.lhs) or "0"
        right = " + ".join(f"c[{position[k]}]" for k in check.rhs) or "0"
        terms.append(f"({left}) {'==' if check.rule.relation == '=' else '<='} ({right})")
    test = eval(f"lambda c: {' and '.join(terms)}") if terms else None
    n = len(keys)
    total_last = (n >= 2 and len(cells) == n and len(local) == 1 and local[0].rule.relation == "="
                  and local[0].lhs == (keys[-1],) and len(local[0].rhs) == n - 1
                  and set(local[0].rhs) == set(keys[:-1]))
    rules: _Rules = (test, total_last, _sum_groups(local, position, n))
    if len(_ROW_RULES) >= 4096:
        _ROW_RULES.clear()
    _ROW_RULES[entry_key] = (checks, rules)
    return rules


def _sum_groups(local: list[Check], position: dict[CellKey, int], n: int) -> _Groups | None:
    """(total_of, part_of) when each of ``local`` reads "cell x = the sum of cells before x" (see _Rules)."""
    total_of = [-1] * n
    part_of = [-1] * n
    for g, check in enumerate(local):
        if check.rule.relation != "=" or len(check.lhs) != 1:
            return None
        x = position[check.lhs[0]]
        parts = [position[k] for k in check.rhs]
        if total_of[x] != -1 or part_of[x] != -1 or len(set(parts)) != len(parts):
            return None
        total_of[x] = g
        for j in parts:
            if j >= x or total_of[j] != -1 or part_of[j] != -1:
                return None
            part_of[j] = g
    return tuple(total_of), tuple(part_of)


# The same, by the identity of a tuple of keys: (checks, keys, rules).  The entry holds both, so
# their ids stay theirs while it is here.
_ROW_RULES_BY_ID: dict[tuple[int, int], tuple[Sequence[Check], tuple[CellKey, ...], _Rules]] = {}


def _remember_by_id(checks: Sequence[Check], keys: tuple[CellKey, ...], rules: _Rules) -> None:
    if len(_ROW_RULES_BY_ID) >= 4096:
        _ROW_RULES_BY_ID.clear()
    _ROW_RULES_BY_ID[(id(checks), id(keys))] = (checks, keys, rules)


_BY_CELL: dict[int, tuple[Sequence[Check], dict[CellKey, tuple[int, ...]]]] = {}


def _grouped_readings(
    digits: str, n: int, total_of: tuple[int, ...], part_of: tuple[int, ...],
) -> list[tuple[int, ...]]:
    """The readings of ``digits`` (decimal) as ``n`` figures, in the order of :func:`splits`, in
    which each cell that is a total (``total_of``) is the sum of its parts (``part_of``), which
    come before it.

    The figures are cut from the first on, each from its shortest on (the order in which
    :func:`_parts` lists the cuts).  A total must equal the sum of its parts read before it; and
    once its parts read so far add up to more than the total could be with the digits left (every
    figure after the one read takes a digit at least), no reading goes on from there.
    """
    size = len(digits)
    sums = [0] * (max(max(total_of), max(part_of)) + 1)
    vals = [0] * n
    out: list[tuple[int, ...]] = []

    def read(s: int, j: int) -> None:
        """Read digits[s:] as figures j …"""
        later = n - j - 1  # figures after this one
        g = total_of[j]
        if later == 0:  # the last figure: the rest of the digits
            if size - s == 1 or digits[s] != "0":
                v = int(digits[s:])
                if g < 0 or v == sums[g]:
                    vals[j] = v
                    out.append(tuple(vals))
            return
        ends = range(s + 1, s + 2) if digits[s] == "0" else range(s + 1, size - later + 1)
        if g >= 0:  # a total: exactly the sum of its parts
            want = sums[g]
            for e in ends:
                v = int(digits[s:e])
                if v >= want:
                    if v == want:
                        vals[j] = v
                        read(e, j + 1)
                    break  # a longer figure is larger still
            return
        p = part_of[j]
        if p < 0:
            for e in ends:
                vals[j] = int(digits[s:e])
                read(e, j + 1)
            return
        before = sums[p]
        for e in ends:
            v = int(digits[s:e])
            # The total comes later, with at most the digits left less one for each other figure.
            if before + v >= 10 ** (size - e - (later - 1)):
                break  # a longer figure here leaves fewer digits and is larger
            vals[j] = v
            sums[p] = before + v
            read(e, j + 1)
        sums[p] = before

    read(0, 0)
    return out


def _sum_last_readings(pieces: Sequence[str], n: int) -> list[tuple[int, ...]]:
    """The readings of ``pieces`` (decimal digits) as ``n`` figures, in the order of :func:`splits`,
    whose last figure is the sum of the others.

    A reading is built figure by figure — piece by piece, each piece cut into 1, 2, … figures,
    each cut from the shortest first figure on, as :func:`splits` and :func:`_parts` list them.
    The last figure is the end of the last piece, so at most what the digits after the figures
    read so far make; once the figures read so far add up to more, no reading goes on from them.
    """
    m = len(pieces)
    lengths = [len(p) for p in pieces]
    tail = [sum(lengths[i:]) for i in range(m + 1)]
    last_piece = int(pieces[-1])  # the last figure is the end of it: no more than the whole
    vals = [0] * n
    out: list[tuple[int, ...]] = []

    def piece(i: int, j: int, total: int) -> None:
        """Read pieces[i:] as figures j …, the figures before j adding up to ``total``."""
        remaining = n - j
        for k in range(1, min(lengths[i], remaining - (m - i - 1)) + 1):
            if remaining - k <= tail[i + 1]:
                cut(pieces[i], 0, k, i, j, total)

    def cut(digits: str, s: int, k: int, i: int, j: int, total: int) -> None:
        """Read digits[s:] (piece i) as k figures from figure j on."""
        size = len(digits)
        if k == 1:
            if size - s == 1 or digits[s] != "0":
                v = int(digits[s:])
                if j == n - 1:
                    if v == total:  # the last figure: the sum of the others
                        vals[j] = v
                        out.append(tuple(vals))
                    return
                vals[j] = v
                total += v
                if i + 1 < m and total <= last_piece:
                    piece(i + 1, j + 1, total)
            return
        if digits[s] == "0":
            vals[j] = 0  # a figure never starts with 0 unless it is 0
            if i < m - 1 or total <= int(digits[s + 1:]):
                cut(digits, s + 1, k - 1, i, j + 1, total)
            return
        for e in range(s + 1, size - k + 2):
            v = int(digits[s:e])
            # What is left of the figures' sum, against what the last figure can be at most.
            if total + v > (last_piece if i < m - 1 else int(digits[e:])):
                break  # a longer figure here is larger still
            vals[j] = v
            cut(digits, e, k - 1, i, j + 1, total + v)

    piece(0, 0, 0)
    return out


def _checks_by_cell(checks: Sequence[Check]) -> dict[CellKey, tuple[int, ...]]:
    """For each cell, the positions in ``checks`` of the checks that read it (by the id of
    ``checks``, whose entry holds it)."""
    entry = _BY_CELL.get(id(checks))
    if entry is None or entry[0] is not checks:
        index: dict[CellKey, list[int]] = {}
        for number, check in enumerate(checks):
            for key in check.cellset:
                index.setdefault(key, []).append(number)
        if len(_BY_CELL) >= 64:
            _BY_CELL.clear()
        entry = _BY_CELL[id(checks)] = (checks, {k: tuple(v) for k, v in index.items()})
    return entry[1]


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
    by_cell = _checks_by_cell(checks)
    touched: set[int] = set()
    for key in owner:
        touched.update(by_cell.get(key, ()))
    for number in sorted(touched):  # the rules with a cell of these rows, in the order of ``checks``
        check = checks[number]
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
