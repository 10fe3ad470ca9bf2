"""Building blocks for catalogue tests: items drafted, submitted and published through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractUser

from gongkai.agencies.models import Agency
from gongkai.catalogue import services
from gongkai.catalogue.models import Item


def draft(where: Agency, editor: AbstractUser, title: str, body: str = "<p>正文</p>", **fields: Any) -> Item:
    return services.create_draft(where, editor, title=title, body=body, **fields)


def published(where: Agency, editor: AbstractUser, reviewer: AbstractUser, title: str, on: date,
              body: str = "<p>正文</p>", **fields: Any) -> Item:
    item = draft(where, editor, title, body, **fields)
    services.submit_for_review(item, editor)
    return services.publish(item, reviewer, on)


def normative(where: Agency, editor: AbstractUser, reviewer: AbstractUser, title: str, issued: date,
              published_on: date, number: str, **fields: Any) -> Item:
    return published(where, editor, reviewer, title, published_on, kind="normative_document", issued_on=issued,
                     written_on=issued, document_number=number, **fields)
