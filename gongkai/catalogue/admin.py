"""Django admin for configuration: topics, catalogue nodes and per-agency settings.  Items change
only through :mod:`gongkai.catalogue.services` and the yearly figures of the report's 第二部分 only
through :mod:`gongkai.catalogue.figures` (the staff desk), so that every change is logged: the
admin shows both read-only with their event logs."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AgencyCatalogueSettings,
    CatalogueNode,
    Item,
    ItemAttachment,
    ItemEvent,
    Topic,
    YearlyFigure,
    YearlyFigureEvent,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "position"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(CatalogueNode)
class CatalogueNodeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agency", "code", "article20_item", "position"]
    list_filter = ["agency"]
    search_fields = ["name", "code", "agency__name"]
    autocomplete_fields = ["agency", "parent"]


@admin.register(AgencyCatalogueSettings)
class AgencyCatalogueSettingsAdmin(admin.ModelAdmin):
    list_display = ["agency", "region_code"]
    search_fields = ["agency__name", "region_code"]
    autocomplete_fields = ["agency"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ItemEventInline(_ReadOnlyInline):
    model = ItemEvent
    readonly_fields = ["at", "actor", "action", "state_before", "state_after", "data"]


class ItemAttachmentInline(_ReadOnlyInline):
    model = ItemAttachment
    readonly_fields = ["name", "file", "size", "content_type", "uploaded_at", "uploaded_by"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["index_number", "title", "agency", "state", "kind", "published_on"]
    list_filter = ["state", "kind", "article20_item", "agency"]
    search_fields = ["index_number", "title", "document_number"]
    inlines = [ItemAttachmentInline, ItemEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # drafted, reviewed and published through the services, which number and log items

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class YearlyFigureEventInline(_ReadOnlyInline):
    model = YearlyFigureEvent
    readonly_fields = ["at", "actor", "action", "changes", "source"]


@admin.register(YearlyFigure)
class YearlyFigureAdmin(admin.ModelAdmin):
    """Read-only: figures are entered on the staff desk (目录 → 年度统计数), which logs every change."""

    list_display = ["agency", "year", "licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount"]
    list_filter = ["year"]
    search_fields = ["agency__name", "agency__code"]
    fieldsets = [
        (None, {"fields": ["agency", "year"]}),
        ("2021年起的格式", {"fields": ["licensing_decisions", "penalty_decisions", "coercion_decisions",
                                    "fee_amount"]}),
        ("2019年格式（2019、2020年度）", {"fields": [
            "licensing_items", "other_services_items", "other_services_decisions", "penalty_items", "coercion_items",
            "fee_items", "procurement_projects", "procurement_amount"]}),
    ]
    inlines = [YearlyFigureEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
