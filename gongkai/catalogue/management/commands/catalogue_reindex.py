from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from gongkai.catalogue.search import rebuild_index


class Command(BaseCommand):
    help = "重建主动公开目录的全文检索索引 / rebuild the catalogue's full-text index"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            n = rebuild_index()
        self.stdout.write(f"已索引{n}条已发布信息 / indexed {n} published items")
