"""Catalogue search over many published items: the first page and a page deep in the results.

    python bench/catalogue_search.py [--items 20000]                      # SQLite in GONGKAI_DATA_DIR
    GONGKAI_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gongkai_bench python bench/catalogue_search.py

Creates the tables (``migrate``), loads generated items once (a rerun reuses them: items whose
title starts with 基准), indexes them through ``gongkai.catalogue.search``, then prints the best of
three runs of: a common word's first page, the same query 90% of the way down its results (a
keyset cursor), a rare word, and a two-word query with a filter.  Keyset pagination should make
the deep page cost about what the first one does.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")

WORDS = ("城乡居民", "医疗保险", "养老保险", "社会救助", "义务教育", "安全生产", "环境保护", "食品药品", "行政许可",
         "行政处罚", "财政预算", "政府采购", "重大项目", "乡村振兴", "住房保障", "就业创业", "公共卫生", "应急预案",
         "统计公报", "规划计划", "政策解读", "营商环境", "征地补偿", "农业农村", "交通运输", "水利工程", "文化旅游")
FILLER = "为进一步做好有关工作，根据上级部署，结合本县实际，现就有关事项通知如下。"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.agencies.models import Agency
    from gongkai.catalogue import search
    from gongkai.catalogue.models import Item, State

    call_command("migrate", verbosity=0)
    agency, _ = Agency.objects.get_or_create(code="BENCH", defaults={"name": "基准测试机关"})
    have = Item.objects.filter(agency=agency, title__startswith="基准").count()
    if have < args.items:
        rng = random.Random(42)
        start = time.perf_counter()
        batch = []
        for n in range(have, args.items):
            words = rng.sample(WORDS, 6)
            body = "".join(f"{w}{FILLER}" for w in words[1:]) + ("特困人员" if n % 1000 == 0 else "")
            batch.append(Item(agency=agency, title=f"基准{n}号关于{words[0]}的通知", body=f"<p>{body}</p>",
                              body_text=body, state=State.PUBLISHED, index_number=f"BENCH-{n:07d}",
                              published_on=date(2020, 1, 1) + timedelta(days=n % 2000), article20_item=1 + n % 15))
        with transaction.atomic():
            for item in Item.objects.bulk_create(batch, batch_size=1000):
                search.index_item(item)
        print(f"loaded and indexed {len(batch)} items in {time.perf_counter() - start:.1f}s")

    def best(f) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(3):
            t = time.perf_counter()
            f()
            times.append(time.perf_counter() - t)
        return min(times) * 1000

    everything = search.search("医疗保险", limit=1, count=True)
    total = everything.total or 0
    # the cursor 90% of the way down: walk the ordered ids once (outside the timing)
    page = search.search("医疗保险", limit=100)
    cursor = page.next_cursor
    for _ in range(int(total * 0.9) // 100 - 1):
        if cursor is None:
            break
        cursor = search.search("医疗保险", limit=100, after=cursor).next_cursor
    print(f"{connection.vendor}: {Item.objects.count()} items, 医疗保险 matches {total}")
    print(f"  first page (20)          {best(lambda: search.search('医疗保险')):8.1f} ms")
    print(f"  page at 90% (keyset)     {best(lambda: search.search('医疗保险', after=cursor)):8.1f} ms")
    print(f"  rare word 特困人员        {best(lambda: search.search('特困人员')):8.1f} ms")
    print(f"  two words + item filter  {best(lambda: search.search('城乡居民 安全生产', article20_item=3)):8.1f} ms")


if __name__ == "__main__":
    main()
