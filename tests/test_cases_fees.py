"""信息处理费: both progressive standards of 国办函〔2020〕109号, figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.cases import fees


@pytest.mark.parametrize(("position", "price"), [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)])
def test_price_of_the_nth_application_in_a_month(position: int, price: int) -> None:
    assert fees.by_count_price(position) == Decimal(price)


def test_by_count_is_progressive() -> None:
    # 45 applications in one month: 10 free, 20 × 100, 10 × 200, 5 × 300 = 2000 + 2000 + 1500
    assert fees.by_count(0, 45) == Decimal(5500)
    # the 12th and 13th: 100 each
    assert fees.by_count(11, 2) == Decimal(200)


@pytest.mark.parametrize(("pages", "fee"), [
    (0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)])
def test_by_pages_bands(pages: int, fee: int) -> None:
    # 100 pages: 70 × 10 = 700; 200: 700 + 100 × 20 = 2700; 250: 2700 + 50 × 40 = 4700
    assert fees.by_pages(pages) == Decimal(fee)


@given(st.integers(0, 200), st.integers(0, 50), st.integers(0, 50))
def test_by_count_adds_up_over_a_month(before: int, a: int, b: int) -> None:
    assert fees.by_count(before, a + b) == fees.by_count(before, a) + fees.by_count(before + a, b)


@given(st.integers(0, 1000))
def test_one_more_page_never_costs_less(pages: int) -> None:
    assert fees.by_pages(pages + 1) >= fees.by_pages(pages)


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError):
        fees.by_pages(-1)
    with pytest.raises(ValueError):
        fees.by_count_price(0)
