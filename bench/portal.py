"""The public portal at catalogue scale: search latency and item-page throughput over 1,000,000 items.

    python bench/portal.py                                   # 1,000,000 items, SQLite then PostgreSQL
    python bench/portal.py --items 20000 --database sqlite   # a quick run
    python bench/portal.py --database postgresql --skip-http

Each database is measured in a subprocess of this script (Django's settings are per process):

* SQLite: ``gongkai.sqlite3`` in ``DATA_DIR/sqlite`` (``--data-dir``, default ``./var/bench-portal``);
* PostgreSQL: the database ``gongkai_bench_portal`` (``--pg-url``), created if it is missing.

**Seeding.**  ``--items`` items (1% of them withdrawn, the rest published) of 18 agencies of a
county, published 2012–2026, each under one item of 第二十条, about 1 in 12 a 规章 or 行政规范性文件
(some repealed or expired), titles and bodies of a few hundred characters composed from the phrases
county governments publish.  Item ``n`` comes from a ``random.Random`` seeded with ``--seed`` and
``n`` alone, so the data are the same on both databases and a larger run extends a smaller one.
Items are inserted with ``bulk_create`` (the body sanitised and its text extracted as ``Item.save``
does) and indexed as :func:`gongkai.catalogue.search.index_item` does it: ``segment.document_tokens``
of the title and of summary + body text, written by the backend's own ``write`` (its statements
collected and sent with ``executemany``), one transaction per 2,000 items.  jieba runs in a pool of ``--processes``
processes.  Afterwards 50 random index rows are compared with what ``index_item`` writes.  A rerun
finds the items and skips this; an interrupted run continues.  The tokens are kept in
``DATA_DIR/tokens-*`` so that the other database does not segment the same texts again
(``--no-token-cache`` to segment anyway; ``--seed-only --wait-for-tokens`` seeds one database
alongside a run that segments for the other); the printed seeding time says which.  On
PostgreSQL the index rows are then put in date order (``catalogue_reindex --date-order``) unless
they are already: a site's are, since items are published day by day, but seeding gives each item
a random date.

**Search.**  200 queries (words and two-word phrases of that vocabulary, rare and absent words, and
queries with the portal's filters: 第二十条事项, year, agency) through
:func:`gongkai.catalogue.search.search`, the function behind the portal's search page: 20 warm-up
queries, then each query's first page (20 hits) timed once, and 20 second pages through the cursor.
Prints the percentiles (target: p95 ≤ 50 ms), time by number of matches, the slowest queries, and
checks: the order of every page, and the hits of planted rare words against a scan of the table.

**HTTP.**  gunicorn, 2 sync workers, serving the project (``gongkai.site.wsgi``, DEBUG off) with
``bench/portal_urls.py`` adding ``/bench/minimal/`` (``HttpResponse("ok")`` through the same
middleware).  After a warm-up, ``--requests`` item pages of random published items and as many
minimal-view requests, in two alternating rounds per target (each stopped after
``--http-seconds``/2), from ``--clients`` threads with ``http.client``; a response counts only if
it is 200 and (item page) shows the item's title.  Prints requests per second and the item page's
share of the minimal view's (target ≥ 50%).  The load generator runs on the same machine and
shares its cores with gunicorn.

Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import http.client
import inspect
import marshal
import math
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/gongkai_bench_portal"
GENERATOR_VERSION = 1  # change when the generated items change (the token cache depends on them)
CHUNK = 2000  # items per pool task and per transaction
WARM_QUERIES = 20  # every 10th query, before the timed pass
NEXT_PAGES = 20  # second pages timed
WITHDRAWN_SHARE = 0.01
FIRST_DAY, LAST_DAY = date(2012, 1, 1), date(2026, 6, 30)

# -- the county: agencies (code, name, 文号 prefix, kind, the 第二十条 items they mostly publish under) ---

COUNTY = "青山县"
AGENCIES: tuple[tuple[str, str, str, str, tuple[int, ...]], ...] = (
    ("QS-ZF", "青山县人民政府", "青府", "government", (1, 3, 15, 12)),
    ("QS-BGS", "青山县人民政府办公室", "青府办", "government_office", (1, 2, 15, 3)),
    ("QS-FGJ", "青山县发展和改革局", "青发改", "department", (3, 10, 8, 5)),
    ("QS-JYJ", "青山县教育局", "青教", "department", (11, 14, 5, 8)),
    ("QS-MZJ", "青山县民政局", "青民", "department", (11, 5, 12)),
    ("QS-CZJ", "青山县财政局", "青财", "department", (7, 8, 9)),
    ("QS-RSJ", "青山县人力资源和社会保障局", "青人社", "department", (11, 14, 5)),
    ("QS-ZRZYJ", "青山县自然资源局", "青自然资源", "department", (5, 10, 12, 6)),
    ("QS-STHJJ", "青山县生态环境局", "青环", "department", (13, 6, 5)),
    ("QS-ZJJ", "青山县住房和城乡建设局", "青住建", "department", (10, 5, 6, 11)),
    ("QS-JTYSJ", "青山县交通运输局", "青交", "department", (10, 5, 6)),
    ("QS-NYNCJ", "青山县农业农村局", "青农", "department", (11, 3, 13, 5)),
    ("QS-WSJKJ", "青山县卫生健康局", "青卫健", "department", (11, 13, 12, 5)),
    ("QS-SCJGJ", "青山县市场监督管理局", "青市监", "department", (13, 6, 5)),
    ("QS-YJGLJ", "青山县应急管理局", "青应急", "department", (12, 13, 6)),
    ("QS-TJJ", "青山县统计局", "青统", "department", (4,)),
    ("QS-YBJ", "青山县医疗保障局", "青医保", "department", (11, 7, 5)),
    ("QS-XZSPJ", "青山县行政审批局", "青审批", "department", (5, 10)),
)
AGENCY_WEIGHTS = (6, 8, 6, 7, 6, 6, 6, 5, 5, 5, 4, 6, 6, 6, 4, 3, 4, 7)
AGENCY_PREFIX = "QS-"

# -- what the items are about, by 第二十条 item ------------------------------------------------------

TOPICS: dict[int, tuple[str, ...]] = {
    1: ("行政规范性文件", "规范性文件清理", "合法性审核", "备案审查", "公平竞争审查", "政策解读", "制度建设"),
    2: ("机构职能", "内设机构", "领导分工", "办公地址", "权责清单", "机构改革"),
    3: ("国民经济和社会发展", "五年规划", "专项规划", "乡村振兴", "新型城镇化", "国土空间规划", "产业发展"),
    4: ("统计公报", "地区生产总值", "居民人均可支配收入", "固定资产投资", "社会消费品零售总额", "人口抽样调查"),
    5: ("行政许可", "政务服务", "一网通办", "证明事项告知承诺制", "办事指南", "营业执照", "不动产登记"),
    6: ("行政处罚", "行政强制", "执法检查", "行政执法公示", "处罚决定书", "双随机一公开"),
    7: ("财政预算", "部门预算", "部门决算", "三公经费", "政府债务", "预算绩效管理", "转移支付"),
    8: ("行政事业性收费", "收费标准", "涉企收费", "政府性基金", "收费目录清单"),
    9: ("政府采购", "集中采购目录", "采购意向", "中标结果", "政府购买服务"),
    10: ("重大建设项目", "项目审批", "招标投标", "施工许可", "竣工验收", "老旧小区改造"),
    11: ("城乡居民基本医疗保险", "基本养老保险", "最低生活保障", "特困人员供养", "临时救助", "就业创业",
         "义务教育", "学生资助", "残疾人两项补贴", "高龄津贴", "家庭医生签约服务", "稳岗返还"),
    12: ("应急预案", "防汛抗旱", "地质灾害防治", "森林防灭火", "预警信息", "应急演练"),
    13: ("生态环境保护", "大气污染防治", "安全生产", "食品安全", "药品监管", "产品质量监督抽查", "环境影响评价"),
    14: ("公务员招录", "事业单位公开招聘", "拟录用人员名单", "资格复审", "体检结果"),
    15: ("政府信息公开工作年度报告", "人大代表建议", "政协委员提案", "民生实事", "政务公开"),
}
COMMON = ("组织领导", "工作责任", "政策措施", "实施方案", "监督检查", "高质量发展", "营商环境", "数字政府",
          "整改落实", "群众满意度", "工作机制", "信息公开", "放管服改革", "基层治理")
LAWS = ("中华人民共和国政府信息公开条例", "中华人民共和国行政许可法", "中华人民共和国行政处罚法",
        "中华人民共和国预算法", "中华人民共和国政府采购法", "中华人民共和国安全生产法", "中华人民共和国环境保护法",
        "中华人民共和国食品安全法", "社会救助暂行办法", "中华人民共和国突发事件应对法", "中华人民共和国统计法",
        "优化营商环境条例")
TOWNS = ("城关镇", "白马镇", "石桥镇", "青龙乡", "桃花镇", "河口镇", "金山乡", "新华街道")
NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")
GENRES = (("notice", "通知", 40), ("announcement", "公告", 10), ("public_notice", "通告", 8), ("opinion", "意见", 8),
          ("report", "报告", 10), ("reply", "批复", 6), ("letter", "函", 6), ("decision", "决定", 4),
          ("circular", "通报", 5), ("minutes", "纪要", 3))
# planted in the body of every k-th item and nowhere else: their hits are known
RARE = (("河长制", 997), ("古树名木", 4999), ("非物质文化遗产", 9973), ("地名普查", 49999))
ABSENT = ("量子通信", "冬奥会", "航天发射")

TITLES = (
    "{agency}关于进一步做好{a}工作的{genre}",
    "{agency}关于印发《{a}实施方案》的{genre}",
    "关于{year}年{a}工作情况的报告",
    "{agency}关于{a}有关事项的{genre}",
    "{agency}{year}年{a}工作总结",
    "关于公布{year}年度{a}结果的{genre}",
    "{agency}关于{b}和{a}的{genre}",
    "关于{town}{a}有关问题的{genre}",
    "{agency}关于开展{a}专项检查的{genre}",
    "{year}年{agency}{a}情况公示",
)
SENTENCES = (
    "为深入贯彻落实《{law}》，进一步做好{a}工作，结合本县实际，制定本{genre}。",
    "{a}工作由{agency}牵头负责，各乡镇人民政府、县级有关部门按照职责分工抓好落实。",
    "截至{year}年底，全县{a}累计惠及群众{k}万人次，比上年增长{p}个百分点。",
    "各单位要加强组织领导，压实工作责任，强化{b}，确保{a}各项政策措施落地见效。",
    "对{b}中发现的问题，要建立问题台账，明确整改时限，实行销号管理，按期报送整改落实情况。",
    "{town}要结合辖区实际，细化工作措施，于{year}年{month}月{day}日前将{a}进展情况报{agency}。",
    "县财政安排{a}专项资金{money}万元，用于{b}和{c}，资金使用情况接受审计监督和社会监督。",
    "{agency}将会同有关部门开展{b}督导检查，检查结果纳入年度目标绩效考核。",
    "群众对{a}有意见建议的，可在工作日通过电话或来信向{agency}反映，{agency}将在{n}个工作日内答复。",
    "本{genre}涉及的{c}事项，按照县委、县政府的统一部署执行；上级另有规定的，从其规定。",
    "要把{common}作为{a}的重要内容，健全工作机制，形成工作合力。",
    "下一步，我县将持续推进{a}，着力在{c}上取得新突破，以{common2}促进{b}工作提质增效。",
)


def make_item(n: int, seed: int) -> dict[str, Any]:
    """Item ``n``'s fields, from ``seed`` and ``n`` alone."""
    rng = random.Random(seed * 1_000_003 + n)
    a_index = rng.choices(range(len(AGENCIES)), weights=AGENCY_WEIGHTS)[0]
    code, agency, prefix, _, usual = AGENCIES[a_index]
    article20 = rng.choice(usual) if rng.random() < 0.75 else rng.randint(1, 15)
    words = TOPICS[article20]
    a, b = rng.sample(words, 2)
    c = rng.choice(TOPICS[rng.randint(1, 15)])
    genre, genre_name, _ = rng.choices(GENRES, weights=[w for *_, w in GENRES])[0]
    day = FIRST_DAY + timedelta(days=int((LAST_DAY - FIRST_DAY).days * rng.random() ** 0.6))
    year = day.year
    fill = {"agency": agency, "a": a, "b": b, "c": c, "year": year, "genre": genre_name, "town": rng.choice(TOWNS),
            "law": rng.choice(LAWS), "common": rng.choice(COMMON), "common2": rng.choice(COMMON),
            "k": rng.randint(1, 60), "p": rng.randint(1, 15), "month": rng.randint(1, 12), "day": rng.randint(1, 28),
            "money": rng.randint(20, 5000), "n": rng.choice((5, 10, 15, 20))}
    title = rng.choice(TITLES).format(**fill)
    sentences = [SENTENCES[0], *rng.sample(SENTENCES[1:], rng.randint(4, 7))]
    paragraphs = [s.format(**fill) for s in sentences]
    for word, every in RARE:
        if n % every == 0:
            paragraphs.insert(rng.randint(1, len(paragraphs)), f"同时，做好{word}相关工作，按要求报送有关材料。")
    paragraphs.append(f"联系人：{rng.choice(NAMES)}，联系电话：0825-{rng.randint(4000000, 8999999)}。")
    summary = f"本{genre_name}明确了{a}的工作目标、主要任务和保障措施。" if rng.random() < 0.3 else ""

    kind, issued, effective, expired, repealed, note, years = "other", None, None, None, None, "", 5
    if (article20 == 1 and rng.random() < 0.6) or rng.random() < 0.03:
        kind = "rule" if code == "QS-ZF" and rng.random() < 0.2 else "normative_document"
        issued = day - timedelta(days=rng.randint(0, 10))
        effective = issued + timedelta(days=30)
        r = rng.random()
        if r < 0.12 and day < LAST_DAY - timedelta(days=400):
            repealed = day + timedelta(days=rng.randint(200, min(2500, (LAST_DAY - day).days)))
            note = (f"《{COUNTY}人民政府关于公布规范性文件清理结果的决定》"
                    f"（青府发〔{repealed.year}〕{rng.randint(1, 30)}号）")
        elif r < 0.3:
            years = rng.choice((2, 3, 5))
            expired = effective + timedelta(days=365 * years)
        paragraphs.append(f"本{genre_name}自{effective.year}年{effective.month}月{effective.day}日起施行，"
                          f"有效期{'二三五'[(2, 3, 5).index(years)] if expired else '五'}年。")
    withdrawn = rng.random() < WITHDRAWN_SHARE
    return {
        "agency": a_index, "n": n, "title": title, "summary": summary,
        "body": "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
        "written_on": day - timedelta(days=rng.randint(0, 20)), "published_on": day,
        "document_number": f"{prefix}发〔{year}〕{rng.randint(1, 120)}号" if genre in ("notice", "opinion", "decision")
        else "",
        "genre": genre, "article20_item": article20, "kind": kind, "issued_on": issued, "effective_from": effective,
        "expired_on": expired, "repealed_on": repealed, "repeal_note": note,
        "index_number": f"{code}-{year}-{n + 1:07d}",
        "state": "withdrawn" if withdrawn else "published",
        "withdrawn_on": day + timedelta(days=rng.randint(1, 90)) if withdrawn else None,
    }


# -- the seeding pool (pure Python: no Django in the workers) -----------------------------------------

_cache_dir: Path | None = None
_wait_for_tokens = False


def _worker_init(cache_dir: str | None, wait: bool) -> None:
    global _cache_dir, _wait_for_tokens
    from gongkai.catalogue import segment

    _cache_dir = Path(cache_dir) if cache_dir else None
    _wait_for_tokens = wait
    segment.document_tokens("预热")  # load jieba's dictionary once per process


Tokens = list[tuple[list[str], list[str]]]  # (title, summary + body) per item


def prepare(task: tuple[int, int, int]) -> tuple[list[dict[str, Any]], Tokens, float, bool]:
    """Items ``start``…``end - 1``: their fields (the body sanitised and its text extracted, as
    ``Item.save`` does) and their index tokens (as ``search.index_item`` makes them; none for a
    withdrawn item).  Also the seconds spent segmenting and whether the tokens came from the cache."""
    from gongkai.catalogue import segment
    from gongkai.catalogue.bodytext import html_to_text, sanitize_html

    start, end, seed = task
    rows = [make_item(n, seed) for n in range(start, end)]
    for row in rows:
        row["body"] = sanitize_html(row["body"])
        row["body_text"] = html_to_text(row["body"])
    cached = _cache_dir / f"{start:08d}-{end:08d}.z" if _cache_dir else None
    while cached is not None and _wait_for_tokens and not cached.exists():  # the other run is segmenting
        time.sleep(1)
    if cached is not None and cached.exists():
        stored = marshal.loads(zlib.decompress(cached.read_bytes()))
        return rows, [(t.split(), d.split()) for t, d in stored], 0.0, True
    t0 = time.perf_counter()
    tokens = [(segment.document_tokens(r["title"]), segment.document_tokens(f"{r['summary']}\n{r['body_text']}"))
              if r["state"] == "published" else ([], []) for r in rows]
    took = time.perf_counter() - t0
    if cached is not None:
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(zlib.compress(marshal.dumps([(" ".join(t), " ".join(d)) for t, d in tokens]), 1))
        tmp.replace(cached)
    return rows, tokens, took, False


def token_cache_dir(data_dir: Path, seed: int) -> Path:
    """Tokens depend on the generator, the seed, the segmenter and jieba's version."""
    import jieba

    from gongkai.catalogue import bodytext, segment

    key = hashlib.sha256(f"{GENERATOR_VERSION}:{seed}:{jieba.__version__}".encode()
                         + inspect.getsource(segment).encode() + inspect.getsource(bodytext).encode()
                         + inspect.getsource(make_item).encode()).hexdigest()[:12]
    return data_dir / f"tokens-{key}"


# -- in the per-database subprocess ---------------------------------------------------------------------

def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_agencies() -> dict[int, int]:
    from gongkai.agencies.models import Agency

    ids: dict[int, int] = {}
    parent = None
    for i, (code, name, _, kind, _) in enumerate(AGENCIES):
        agency, _ = Agency.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "parent": parent, "office_name": f"{name}政务公开办公室",
            "office_address": f"{COUNTY}城关镇人民路{i + 1}号", "office_hours": "工作日 9:00-12:00，14:00-17:30"})
        parent = parent or agency
        ids[i] = agency.pk
    return ids


def in_order(pool: Any, tasks: Sequence[tuple[int, int, int]], window: int) -> Iterator[Any]:
    """``prepare`` of each task in the pool, in order, at most ``window`` ahead of the reader
    (``imap`` would run ahead without bound and keep every result in memory)."""
    ahead: deque[Any] = deque()
    queue = iter(tasks)
    for task in islice(queue, window):
        ahead.append(pool.apply_async(prepare, (task,)))
    while ahead:
        result = ahead.popleft().get()
        for task in islice(queue, 1):
            ahead.append(pool.apply_async(prepare, (task,)))
        yield result


def write_index(backend: Any, entries: Sequence[tuple[int, date, list[str], list[str]]]) -> None:
    """``backend.write`` of every entry, its statements sent together: the backend makes them as
    always (they are collected instead of run), and each is then run with ``executemany`` for all
    the items (psycopg pipelines them; SQLite loops in C).  Statements keep their order (an
    item's ``DELETE`` before its ``INSERT`` on SQLite)."""
    from django.db import connection

    statements: dict[str, list[Any]] = {}

    def collect(execute: Any, sql: str, params: Any, many: bool, context: Any) -> None:
        statements.setdefault(sql, []).append(params)

    with connection.execute_wrapper(collect):
        for item_id, published_on, title, body in entries:
            backend.write(item_id, published_on, title, body)
    with connection.cursor() as cursor:
        for sql, param_list in statements.items():
            cursor.executemany(sql, param_list)


def seed_items(n_items: int, seed: int, processes: int, cache: Path | None, wait: bool) -> dict[str, Any]:
    """Seed items up to ``n_items`` (continuing where an earlier run stopped); what it took."""
    from django.db import transaction

    from gongkai.catalogue import search
    from gongkai.catalogue.models import Item, State

    agency_ids = setup_agencies()
    have = Item.objects.filter(agency__code__startswith=AGENCY_PREFIX).count()
    if have >= n_items:
        return {"seeded": 0, "have": have}
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    tasks = [(s, min(s + CHUNK, n_items), seed) for s in range(have, n_items, CHUNK)]
    backend = search.backend()
    took = {"wait": 0.0, "items": 0.0, "index": 0.0, "segment": 0.0}
    from_cache = 0
    done = 0
    start = time.perf_counter()
    last_report = start
    ctx = multiprocessing.get_context("spawn")  # no inherited database connection in the workers
    init = (str(cache) if cache else None, wait)
    pool = ctx.Pool(processes, initializer=_worker_init, initargs=init) if processes > 0 else None
    if pool is None:
        _worker_init(*init)
    try:
        results = in_order(pool, tasks, 2 * processes) if pool is not None else map(prepare, tasks)
        while True:
            t0 = time.perf_counter()
            try:
                rows, tokens, segmenting, cached = next(results)
            except StopIteration:
                break
            t1 = time.perf_counter()
            took["wait"] += t1 - t0
            took["segment"] += segmenting
            from_cache += len(rows) if cached else 0
            with transaction.atomic():
                items = [Item(agency_id=agency_ids[r.pop("agency")], **{k: v for k, v in r.items() if k != "n"})
                         for r in rows]
                Item.objects.bulk_create(items, batch_size=1000)
                t2 = time.perf_counter()
                write_index(backend, [(item.pk, item.published_on, t, b)
                                      for item, (t, b) in zip(items, tokens, strict=True)
                                      if item.state == State.PUBLISHED])  # as index_item: published items only
            t3 = time.perf_counter()
            took["items"] += t2 - t1
            took["index"] += t3 - t2
            done += len(rows)
            if t3 - last_report > 15 or have + done == n_items:
                last_report = t3
                rate = done / (t3 - start)
                log(f"  seeded {have + done:,}/{n_items:,} ({rate:,.0f} items/s, "
                    f"{(n_items - have - done) / rate / 60:.1f} min to go)")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return {"seeded": done, "have": have, "seconds": time.perf_counter() - start, "from_cache": from_cache, **took}


def check_index(sample: int, seed: int) -> str:
    """Whether the index rows of ``sample`` random published items are what ``search.index_item``
    writes for them (each rewritten by it in a transaction that is rolled back)."""
    from django.db import connection, transaction
    from django.db.models import Max

    from gongkai.catalogue import search
    from gongkai.catalogue.models import Item, State

    rng = random.Random(seed + 13)
    top = Item.objects.aggregate(top=Max("id"))["top"] or 0
    items = list(Item.objects.filter(pk__in=[rng.randint(1, top) for _ in range(sample * 2)], state=State.PUBLISHED)
                 [:sample])
    sql = ("SELECT title::text, document::text FROM catalogue_fts WHERE item_id = %s"
           if connection.vendor == "postgresql" else
           "SELECT title, body FROM catalogue_fts WHERE rowid = (SELECT key FROM catalogue_fts_key WHERE item_id = %s)")
    differ = 0
    with transaction.atomic(), connection.cursor() as c:
        for item in items:
            c.execute(sql, [item.pk])
            before = c.fetchall()
            search.index_item(item)
            c.execute(sql, [item.pk])
            differ += before != c.fetchall()
        transaction.set_rollback(True)
    return (f"index rows of {len(items)} random published items: "
            f"{'the same as' if not differ else f'{differ} DIFFERENT from'} what search.index_item writes")


def analyze() -> float:
    """PostgreSQL: VACUUM ANALYZE what was loaded (autovacuum would, some time later).  SQLite: nothing
    (the project never runs ANALYZE there, so neither does the benchmark)."""
    from django.db import connection

    t = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            for table in ("catalogue_item", "catalogue_fts"):
                c.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - t


def date_order() -> None:
    """PostgreSQL: the index rows in 发布日期 order, as a site's are (items are published day by day)
    and as ``catalogue_reindex --date-order`` puts them after a bulk import.  Seeding writes them in
    item order, each item with a random date: that table order no site has."""
    from django.db import connection

    from gongkai.catalogue.search import backend

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as c:
        c.execute("SELECT correlation FROM pg_stats WHERE tablename = 'catalogue_fts' AND attname = 'published_on'")
        row = c.fetchone()
    if row is not None and row[0] is not None and row[0] > 0.9:
        return
    t = time.perf_counter()
    done = backend().in_date_order()
    print(f"  index rows in date order (catalogue_reindex --date-order): {time.perf_counter() - t:.0f} s; {done}")


def describe() -> str:
    from django.db import connection
    from django.db.models import Count, Max, Min, Q

    from gongkai.catalogue.models import Item

    qs = Item.objects.filter(agency__code__startswith=AGENCY_PREFIX)
    f = qs.aggregate(total=Count("id"), published=Count("id", filter=Q(state="published")),
                     withdrawn=Count("id", filter=Q(state="withdrawn")),
                     normative=Count("id", filter=Q(kind__in=("rule", "normative_document"))),
                     repealed=Count("id", filter=Q(repealed_on__isnull=False)),
                     first=Min("published_on"), last=Max("published_on"))
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM catalogue_fts")
        indexed = c.fetchone()[0]
    return (f"{f['total']:,} items ({f['published']:,} published, {f['withdrawn']:,} withdrawn; "
            f"{f['normative']:,} 规章/行政规范性文件, {f['repealed']:,} of them repealed) of {len(AGENCIES)} agencies, "
            f"published {f['first']:%Y-%m-%d} to {f['last']:%Y-%m-%d}; {indexed:,} rows in the search index")


def make_queries(seed: int, agency_ids: dict[int, int]) -> list[tuple[str, dict[str, Any], str]]:
    """The 200 queries: (text, filters for ``search``, label of the filters)."""
    rng = random.Random(seed + 7)
    topic_words = [w for words in TOPICS.values() for w in words]
    queries: list[tuple[str, dict[str, Any], str]] = []
    for w in rng.sample(topic_words, 81):
        queries.append((w, {}, ""))
    for w in rng.sample(COMMON, 10) + rng.sample(LAWS, 5) + rng.sample([*TOWNS, "通知", "公告", "实施方案"], 5):
        queries.append((w, {}, ""))
    for _ in range(30):  # two words about the same thing
        a, b = rng.sample(TOPICS[rng.randint(1, 15)], 2)
        queries.append((f"{a} {b}", {}, ""))
    for _ in range(15):  # two words about different things
        i, j = rng.sample(range(1, 16), 2)
        queries.append((f"{rng.choice(TOPICS[i])} {rng.choice(TOPICS[j])}", {}, ""))
    for _ in range(5):  # a year and a word, as people type them
        queries.append((f"{rng.randint(2016, 2025)}年 {rng.choice(topic_words)}", {}, ""))
    queries += [(w, {}, "") for w, _ in RARE] + [(w, {}, "") for w in ABSENT]
    queries.append((f"{RARE[0][0]} {RARE[1][0]}", {}, ""))  # rare words together: nothing or almost
    queries.append(("乡村振兴 高标准农田", {}, ""))  # a common word and one found nowhere
    for _ in range(15):
        item = rng.randint(1, 15)
        queries.append((rng.choice(TOPICS[item] + COMMON), {"article20_item": item}, f"第二十条第{item}项"))
    for _ in range(15):
        year = rng.randint(2013, 2026)
        queries.append((rng.choice(topic_words + list(COMMON)), {"year": year}, f"{year}年"))
    for _ in range(10):
        i = rng.randrange(len(AGENCIES))
        word = rng.choice(TOPICS[rng.choice(AGENCIES[i][4])] + COMMON[:4])
        queries.append((word, {"agency_ids": [agency_ids[i]]}, AGENCIES[i][1]))
    assert len(queries) == 200, len(queries)
    return queries


def percentiles(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(p: float) -> float:  # nearest rank
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"p50": at(50), "p90": at(90), "p95": at(95), "p99": at(99), "max": ordered[-1]}


def fmt(p: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:7.1f}" for k, v in p.items()) + "  ms"


def run_search(seed: int, out: Path) -> None:
    from django.db import connection
    from django.db.models import Q

    from gongkai.agencies.models import Agency
    from gongkai.catalogue import search, segment
    from gongkai.catalogue.models import Item, State

    agency_ids = {i: Agency.objects.get(code=a[0]).pk for i, a in enumerate(AGENCIES)}
    queries = make_queries(seed, agency_ids)
    log(f"  search: warm-up ({WARM_QUERIES} queries), then {len(queries)} timed")
    for text, filters, _ in queries[::len(queries) // WARM_QUERIES]:
        search.search(text, **filters)
    first: list[float] = []
    pages = []
    disorder = []
    for i, (text, filters, label) in enumerate(queries):
        t = time.perf_counter()
        page = search.search(text, **filters)
        first.append((time.perf_counter() - t) * 1000)
        pages.append(page)
        keys = [(h.in_title, h.item.published_on, h.item.pk) for h in page.hits]
        if keys != sorted(keys, reverse=True) or any(h.item.state != State.PUBLISHED for h in page.hits):
            disorder.append(f"{text} {label}")
        if (i + 1) % 50 == 0:
            log(f"    {i + 1} queries, last {first[-1]:.0f} ms")
    second: list[float] = []
    for (text, filters, _), page in zip(queries, pages, strict=True):
        if page.next_cursor and len(second) < NEXT_PAGES:
            t = time.perf_counter()
            search.search(text, **filters, after=page.next_cursor)
            second.append((time.perf_counter() - t) * 1000)
    # how many items each query's words match: the backend's own SQL over the index, which holds the
    # published items (before any filter: the filtered query shows a part of these)
    with connection.cursor() as c:
        counts = []
        for text, _, _ in queries:
            sql, params = search.backend().hits(segment.query_terms(text))
            c.execute(f"SELECT COUNT(*) FROM ({sql}) m", params)
            counts.append(int(c.fetchone()[0]))

    p = percentiles(first)
    print(f"search: {len(queries)} queries through gongkai.catalogue.search.search(), first page of "
          f"{search.DEFAULT_LIMIT}; {WARM_QUERIES} warm-up queries, then each query timed once")
    print(f"  first page            {fmt(p)}")
    if second:
        print(f"  next page (cursor)    {fmt(percentiles(second))}   (the first {len(second)} queries with one)")
    verdict = "met" if p["p95"] <= 50 else "NOT met"
    print(f"  target p95 <= 50 ms: {verdict} (p95 {p['p95']:.1f} ms)")
    ordered_counts = sorted(counts)
    print("  matches of the query's words in the index (filtered queries show a part of them):")
    print(f"  matches per query: median {ordered_counts[len(counts) // 2]:,}, p90 {percentiles(counts)['p90']:,.0f}, "
          f"max {ordered_counts[-1]:,}; {sum(1 for c in counts if c == 0)} queries find nothing")
    buckets = ((0, 0), (1, 999), (1000, 9999), (10000, 99999), (100000, 10**9))
    for lo, hi in buckets:  # time by number of matches
        sel = [ms for ms, c in zip(first, counts, strict=True) if lo <= c <= hi]
        if sel:
            span = f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}" if hi < 10**9 else f"≥ {lo:,}"
            print(f"    {span:>17} matches: {len(sel):3} queries, median {sorted(sel)[len(sel) // 2]:7.1f} ms, "
                  f"max {max(sel):7.1f} ms")
    print("  slowest 10:")
    for ms, c, (text, _, label) in sorted(zip(first, counts, queries, strict=True), key=lambda x: -x[0])[:10]:
        print(f"    {ms:8.1f} ms  {c:>9,} matches  {text}{'  [' + label + ']' if label else ''}")
    with out.open("w", encoding="utf-8") as fh:
        fh.write("ms\tmatches\tquery\tfilter\n")
        for ms, c, (text, _, label) in zip(first, counts, queries, strict=True):
            fh.write(f"{ms:.2f}\t{c}\t{text}\t{label}\n")
    print(f"  every query's time and matches: {out}")
    print(f"  order (in title first, then newest) of every first page: "
          f"{'right' if not disorder else 'WRONG for ' + ', '.join(disorder)}")
    # the planted words: the index against a scan of the table
    published = Item.objects.filter(state=State.PUBLISHED)
    for word, every in RARE:
        found = search.search(word, limit=1, count=True).total
        scanned = published.filter(Q(title__contains=word) | Q(summary__contains=word)
                                   | Q(body_text__contains=word)).count()
        mark = "same" if found == scanned else \
            f"DIFFERENT: the query's words are {' + '.join(t.word for t in segment.query_terms(word))}"
        print(f"  {word} (planted in every {every:,}th item): search finds {found:,}, a scan of the table "
              f"{scanned:,}: {mark}")


# -- HTTP -------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load(port: int, targets: Sequence[tuple[str, bytes | None]], clients: int,
         seconds: float) -> tuple[int, int, float]:
    """GET the paths from ``clients`` threads, each with its own connection (reopened when the
    server closes it), until all are done or, after ``seconds``, the requests under way are;
    (successes, failures, seconds)."""
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    position = [0]
    ok = [0]
    bad = [0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        good = failed = 0
        while True:
            with lock:
                i = position[0]
                position[0] += 1
            if i >= len(targets) or time.perf_counter() > stop:
                break
            path, expect = targets[i]
            try:
                conn.request("GET", path, headers={"Connection": "keep-alive"})
                response = conn.getresponse()
                body = response.read()
                if response.status == 200 and (expect is None or expect in body):
                    good += 1
                else:
                    failed += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
        conn.close()
        with lock:
            ok[0] += good
            bad[0] += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return ok[0], bad[0], time.perf_counter() - t


def item_targets(n: int, rng: random.Random) -> list[tuple[str, bytes]]:
    """``n`` item pages of random published items, each with the title the page must show."""
    from django.db.models import Max, Min
    from django.utils.html import escape

    from gongkai.catalogue.models import Item, State

    bounds = Item.objects.aggregate(lo=Min("id"), hi=Max("id"))
    found: list[tuple[str, bytes]] = []
    while len(found) < n:
        ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(n)]
        rows = {pk: (number, title) for pk, number, title in Item.objects.filter(pk__in=ids, state=State.PUBLISHED)
                .values_list("pk", "index_number", "title")}
        found += [(f"/items/{quote(rows[pk][0])}/", f'<h1 id="item-title">{escape(rows[pk][1])}</h1>'.encode())
                  for pk in ids if pk in rows]
    return found[:n]


def run_http(requests: int, seconds: float, clients: int, seed: int, log_path: Path) -> None:
    from django.db import connection

    rng = random.Random(seed + 11)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="portal_urls", GONGKAI_ALLOWED_HOSTS="127.0.0.1,localhost")
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync", "--timeout", "600",
               "--bind", f"127.0.0.1:{port}", "--pythonpath", str(BENCH_DIR), "--log-level", "warning",
               "gongkai.site.wsgi:application"]
    warm, rounds = 20, 2
    per = requests // rounds
    items = item_targets(warm + requests, rng)
    minimal: list[tuple[str, bytes | None]] = [("/bench/minimal/", b"ok")] * (warm + requests)
    connection.close()
    totals = {"minimal": [0, 0, 0.0], "item": [0, 0, 0.0]}
    lines = []
    with log_path.open("w") as server_log:
        server = subprocess.Popen(command, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    probe.request("GET", "/bench/minimal/")
                    status = probe.getresponse().status
                    probe.close()
                    if status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"gunicorn did not start; see {log_path}")
                time.sleep(0.3)
            log("  HTTP: warm-up")
            load(port, minimal[:warm], clients, seconds / rounds)
            load(port, items[:warm], clients, seconds / rounds)
            for r in range(rounds):
                for name, targets in (("minimal", minimal), ("item", items)):
                    log(f"  HTTP: round {r + 1}, {name}")
                    good, bad, secs = load(port, targets[warm + r * per: warm + (r + 1) * per], clients,
                                           seconds / rounds)
                    for i, v in enumerate((good, bad, secs)):
                        totals[name][i] += v
                    cut = " (time limit)" if good + bad < per else ""
                    lines.append(f"    round {r + 1} {name:8} {good / secs:8.1f} req/s ({good} ok, {bad} failed in "
                                 f"{secs:.1f} s{cut})")
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    m_ok, m_bad, m_s = totals["minimal"]
    i_ok, i_bad, i_s = totals["item"]
    ratio = (i_ok / i_s) / (m_ok / m_s) if m_ok and i_ok else 0.0
    print(f"HTTP: gunicorn 2 sync workers (DEBUG off) on 127.0.0.1; {clients} client threads (http.client); "
          f"up to {requests} requests per target in {rounds} alternating rounds of at most {seconds / rounds:.0f} s, "
          f"after {warm} warm-up requests each")
    print(f"  this machine has {os.cpu_count()} cores, shared by the 2 workers and the load generator; sync "
          "workers close the connection after each response, so every request opens a new one")
    print(*lines, sep="\n")
    print(f"  minimal view (HttpResponse('ok'))  {m_ok / m_s:8.1f} req/s   {m_bad} failed")
    print(f"  item page (random published item)  {i_ok / i_s:8.1f} req/s   {i_bad} failed "
          "(200 and the item's title in <h1>)")
    print(f"  item page / minimal view: {ratio:.1%} (target >= 50%: {'met' if ratio >= 0.5 else 'NOT met'})")


def child(args: argparse.Namespace) -> None:
    """One database, as configured by the environment."""
    os.environ.pop("GONGKAI_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    data_dir = Path(args.data_dir).resolve()
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    where = connection.settings_dict["NAME"]
    print(f"\n=== {label} ({where}) ===", flush=True)
    from django.db.migrations.executor import MigrationExecutor

    t = time.perf_counter()
    pending = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)
    if pending:  # migrations that rewrite the index leave it for autovacuum: do its work now, as after seeding
        log(f"migrate: {len(pending)} migrations in {time.perf_counter() - t:.0f} s, then VACUUM ANALYZE in "
            f"{analyze():.0f} s")
    cache = None if args.no_token_cache else token_cache_dir(data_dir, args.seed)
    log(f"seeding up to {args.items:,} items ({args.processes} segmenting processes)")
    seeded = seed_items(args.items, args.seed, args.processes, cache, args.wait_for_tokens)
    if seeded["seeded"]:
        s = seeded
        rate = s["seeded"] / s["seconds"]
        segmented = s["seeded"] - s["from_cache"]
        how = (f"segmented {segmented:,} in {args.processes} processes ({s['segment']:.0f} s of segmenting in them)"
               if segmented else "")
        if s["from_cache"]:
            how += ("; " if how else "") + (f"tokens of {s['from_cache']:,} reused from {cache} (segmented for "
                                            "the other database by the same code)")
        print(f"seeding: {s['seeded']:,} items in {s['seconds']:.0f} s ({rate:,.0f} items/s"
              f"{', continuing from ' + format(s['have'], ',') if s['have'] else ''}): {how}; the main process "
              f"waited {s['wait']:.0f} s for the pool, inserted the items in {s['items']:.0f} s and wrote the index "
              f"in {s['index']:.0f} s")
        took = analyze()
        if connection.vendor == "postgresql":
            print(f"  VACUUM ANALYZE of catalogue_item and catalogue_fts: {took:.0f} s")
    else:
        print(f"seeding: skipped, {seeded['have']:,} items already there (a smaller --items uses them all)")
    date_order()
    print(describe())
    print(check_index(50, args.seed), flush=True)
    if args.seed_only:
        return
    run_search(args.seed, data_dir / f"queries-{connection.vendor}.tsv")
    sys.stdout.flush()
    if not args.skip_http:
        run_http(args.requests, args.http_seconds, args.clients, args.seed,
                 data_dir / f"gunicorn-{connection.vendor}.log")


def ensure_pg_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created the PostgreSQL database {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000, help="items to seed (default 1,000,000)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--skip-http", action="store_true", help="search only, no gunicorn")
    parser.add_argument("--data-dir", default="var/bench-portal", help="SQLite file, token cache, logs")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--processes", type=int, default=2, help="segmenting processes (0: in the main one)")
    parser.add_argument("--no-token-cache", action="store_true", help="segment even if another run did")
    parser.add_argument("--wait-for-tokens", action="store_true",
                        help="take every item's tokens from the cache, waiting for the run that segments them "
                        "(to seed the two databases side by side)")
    parser.add_argument("--seed-only", action="store_true", help="seed, and measure nothing")
    parser.add_argument("--requests", type=int, default=2000, help="HTTP requests per target")
    parser.add_argument("--http-seconds", type=float, default=120,
                        help="time limit of the requests to one target (default 120 s)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP client threads")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    data_dir = Path(args.data_dir).resolve()
    started = time.perf_counter()
    for db in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        env = os.environ.copy()
        env["GONGKAI_DATA_DIR"] = str(data_dir / db)
        if db == "postgresql":
            ensure_pg_database(args.pg_url)
            env["GONGKAI_DATABASE_URL"] = args.pg_url
        else:
            env.pop("GONGKAI_DATABASE_URL", None)
        argv = [a for a in sys.argv[1:]]
        done = subprocess.run([sys.executable, __file__, *argv, "--child", "--data-dir", str(data_dir)], env=env)
        if done.returncode:
            raise SystemExit(f"the {db} run failed (exit {done.returncode})")
    print(f"\nwhole run: {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
