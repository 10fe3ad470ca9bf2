from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from gongkai.catalogue.search import backend, rebuild_index


class Command(BaseCommand):
    help = "重建主动公开目录的全文检索索引 / rebuild the catalogue's full-text index"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date-order", action="store_true",
                            help="只把现有索引按发布日期重排（批量导入往年信息后运行）/ only put the existing index "
                                 "rows in date order (after a bulk import of past years' items)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["date_order"]:
            self.stdout.write(backend().in_date_order())
            return
        with transaction.atomic():
            n = rebuild_index()
        self.stdout.write(f"已索引{n}条已发布信息 / indexed {n} published items")
