"""System check: a malformed 索引号 pattern stops ``manage.py check`` and every server at start."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import numbering


@checks.register()
def index_number_pattern(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    value = numbering.pattern()
    try:
        numbering.pattern_fields(value)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="设置 GONGKAI_INDEX_NUMBER_PATTERN，例如 "
                             f"{numbering.DEFAULT_PATTERN!r}", id="catalogue.E001")]
    return []
