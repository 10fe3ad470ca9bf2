"""Splitting figures that a published page ran together ("640020470" → 64, 0, 0, 2, 0, 4, 70).

Some portals print a table row's cells with no separator.  The digits alone are ambiguous; the
report's own rules (a row's 总计 is the sum of its applicant columns, a review's 总计 the sum of
its outcomes, 一+二 = 三+四 down every column) usually leave exactly one reading.  A figure
never starts with 0 unless it is 0 itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import product

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
    available = frozenset(keys) | frozenset(known)
    local = [c for c in checks if c.cellset <= available]
    allowed = list(signed) or [False] * len(keys)
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


def resolve_jointly(
    ambiguous: dict[str, tuple[Sequence[CellKey], list[tuple[int, ...]]]],
    known: Mapping[CellKey, Number | None],
    checks: Sequence[Check],
    limit: int = 100_000,
) -> dict[str, tuple[int, ...]] | None:
    """Choose one reading per ambiguous row so that every table rule holds; None unless unique."""
    names = list(ambiguous)
    sizes = 1
    for name in names:
        sizes *= max(1, len(ambiguous[name][1]))
    if not names or sizes > limit:
        return None
    involved = {k for name in names for k in ambiguous[name][0]}
    relevant = [c for c in checks if not involved.isdisjoint(c.cellset)]
    found: dict[str, tuple[int, ...]] | None = None
    for combo in product(*(ambiguous[name][1] for name in names)):
        values = dict(known)
        for name, cand in zip(names, combo, strict=True):
            values.update(zip(ambiguous[name][0], cand, strict=True))
        if consistent(values, relevant):
            if found is not None:
                return None
            found = dict(zip(names, combo, strict=True))
    return found
