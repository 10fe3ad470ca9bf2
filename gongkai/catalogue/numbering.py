"""索引号: the catalogue number of an item, from a per-deployment pattern.

Provinces and cities number differently (``shared/spec/catalogue-metadata.md``: 宁波 地区-部门-类别-
分组-日期-顺序号, 云南 21 digits, 怒江 组织机构代码-年-流水号), so the pattern is a setting,
``GONGKAI_INDEX_NUMBER_PATTERN`` (Django setting, else the environment variable of that name),
in ``str.format`` syntax over these parts:

``{agency_code}``   the agency's code (:attr:`Agency.code`, e.g. DYX or its 统一社会信用代码)
``{region_code}``   the agency's 行政区划代码 (:class:`AgencyCatalogueSettings`, inherited from the
                    agency above it; else the setting ``GONGKAI_REGION_CODE``)
``{category_code}`` the code of the item's node in the agency's catalogue (信息类别)
``{year}``          the year of first publication
``{date:%Y%m%d}``   the day of first publication
``{seq:06d}``       the sequence number: per agency and year when the pattern has ``{year}`` or
                    ``{date}``, per agency otherwise

A number is given once, at first publication, inside the publishing transaction; the sequence
comes from a counter row advanced with ``UPDATE … SET last = last + 1`` (serialised by the
database across processes and hosts).  A number is never changed afterwards, and never reused:
withdrawing an item keeps it, and an imported item's own number is kept.
"""

from __future__ import annotations

import os
import string
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.utils.translation import gettext

DEFAULT_PATTERN = "{agency_code}-{year}-{seq:06d}"
PARTS = frozenset({"agency_code", "region_code", "category_code", "year", "date", "seq"})
MAX_ATTEMPTS = 1000


class NumberingError(Exception):
    """The number cannot be made (a part the pattern needs is not set); the message says which."""


def pattern() -> str:
    value = getattr(settings, "GONGKAI_INDEX_NUMBER_PATTERN", None) or os.environ.get(
        "GONGKAI_INDEX_NUMBER_PATTERN", "")
    return value or DEFAULT_PATTERN


def pattern_fields(value: str) -> set[str]:
    """The parts a pattern uses; :class:`ImproperlyConfigured` when it is malformed or incomplete."""
    try:
        names = {field.split(".")[0].split("[")[0]
                 for _, field, _, _ in string.Formatter().parse(value) if field is not None}
    except ValueError as exc:
        raise ImproperlyConfigured(f"索引号格式 {value!r} 无法解析：{exc}") from exc
    unknown = names - PARTS
    if unknown or "" in names:
        raise ImproperlyConfigured(
            f"索引号格式 {value!r} 含有未知的部分 {sorted(unknown) or ['{}']}；可用：{', '.join(sorted(PARTS))}")
    for needed in ("seq", "agency_code"):
        if needed not in names:
            raise ImproperlyConfigured(f"索引号格式 {value!r} 必须包含 {{{needed}}}，否则索引号可能重复")
    return names


def render(value: str, *, agency_code: str, seq: int, on: date, region_code: str = "",
           category_code: str = "") -> str:
    fields = pattern_fields(value)
    if "region_code" in fields and not region_code:
        raise NumberingError(gettext("索引号格式需要地区代码，请先在“目录设置”中为本机关（或上级机关）"
                                     "填写行政区划代码"))
    if "category_code" in fields and not category_code:
        raise NumberingError(gettext("索引号格式需要信息类别代码，请先为信息选择目录栏目并为栏目填写代码"))
    return value.format(agency_code=agency_code, region_code=region_code, category_code=category_code,
                        year=on.year, date=on, seq=seq)


def counter_year(value: str, on: date) -> int:
    """The counter's year: the year of publication if the number shows it, else 0 (one run per agency)."""
    return on.year if pattern_fields(value) & {"year", "date"} else 0


def next_number(agency_id: int, *, agency_code: str, on: date, region_code: str = "",
                category_code: str = "") -> str:
    """The next free 索引号 of the agency for an item first published ``on``.

    Must run inside the publishing transaction: the counter's row lock is held until it commits,
    and a rolled-back publication gives its number back.  Numbers already taken (an imported
    item's own number) are skipped.
    """
    from .models import IndexCounter, Item

    value = pattern()
    year = counter_year(value, on)
    IndexCounter.objects.get_or_create(agency_id=agency_id, year=year)
    for _ in range(MAX_ATTEMPTS):
        IndexCounter.objects.filter(agency_id=agency_id, year=year).update(last=F("last") + 1)
        seq = IndexCounter.objects.get(agency_id=agency_id, year=year).last
        number = render(value, agency_code=agency_code, seq=seq, on=on, region_code=region_code,
                        category_code=category_code)
        if not Item.objects.filter(index_number=number).exists():
            return number
    raise NumberingError(gettext("连续%(n)s个索引号都已被占用，请检查索引号格式 %(pattern)s") % {
        "n": MAX_ATTEMPTS, "pattern": repr(value)})
