"""信息处理费 under 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号), 第四条 and 第五条.

Both standards are progressive ("超额累进"); an agency picks one per application, never both
(第三条).  Pure functions: the handler records the amount in the fee notice (第四十二条).
"""

from __future__ import annotations

from decimal import Decimal


def by_count_price(position: int) -> Decimal:
    """The fee for a person's ``position``-th application in one calendar month (第四条, 按件计收).

    1–10: free; 11–30: 100 元 each; from 31 on, every further 10 applications cost 100 元 more each
    (31–40: 200 元, 41–50: 300 元, …).
    """
    if position < 1:
        raise ValueError("position counts from 1")
    if position <= 10:
        return Decimal(0)
    if position <= 30:
        return Decimal(100)
    return Decimal(100 * (2 + (position - 31) // 10))


def by_count(already_this_month: int, applications: int = 1) -> Decimal:
    """按件计收: the fee for ``applications`` more, after ``already_this_month`` in the same month."""
    return sum((by_count_price(already_this_month + i) for i in range(1, applications + 1)), Decimal(0))


_PAGE_TIERS = ((30, Decimal(0)), (100, Decimal(10)), (200, Decimal(20)))
_ABOVE = Decimal(40)


def by_pages(pages: int) -> Decimal:
    """按量计收 for one application (第五条): ≤30 pages free; 31–100: 10 元/页; 101–200: 20 元/页;
    201 on: 40 元/页 — each rate for the pages in its band only."""
    if pages < 0:
        raise ValueError("pages cannot be negative")
    total, lower = Decimal(0), 0
    for upper, rate in _PAGE_TIERS:
        total += rate * max(0, min(pages, upper) - lower)
        lower = upper
    return total + _ABOVE * max(0, pages - lower)
