"""Chinese date wording shared by the explanations (no legal rules here)."""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def cn_date(d: date) -> str:
    """``2025年1月20日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_date_after(d: date, ref: date) -> str:
    """``2月4日`` when *d* is in the same year as *ref*, else the full date."""
    return f"{d.month}月{d.day}日" if d.year == ref.year else cn_date(d)


def cn_weekday(d: date) -> str:
    """``星期日``."""
    return WEEKDAYS[d.weekday()]


def cn_span(first: date, last: date) -> str:
    """``2025年1月28日至2月4日``, or one date when the span is a single day."""
    if first == last:
        return cn_date(first)
    return f"{cn_date(first)}至{cn_date_after(last, first)}"
