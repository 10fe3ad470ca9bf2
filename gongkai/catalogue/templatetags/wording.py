"""Template filters for lists inside a sentence, worded for the active language (:mod:`..wording`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from gongkai.site import wording

register = template.Library()


@register.filter
def clauses(items: Iterable[object]) -> str:
    """Statements one after another: 甲；乙 (English: a; b) — a field's errors, say."""
    return wording.clauses(items)
