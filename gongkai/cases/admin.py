"""Django admin for configuration and inspection.  Cases change only through the workflow, so
the admin shows them read-only; appeals and holiday schedules are edited here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Appeal, CalendarYear, Case, CaseEvent, LetterTemplate


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "state_before", "state_after", "data"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "agency", "applicant_type", "state", "outcome", "received_on", "decided_on"]
    list_filter = ["state", "applicant_type", "channel", "agency"]
    search_fields = ["tracking_number", "description"]
    inlines = [CaseEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # register through the staff desk, which numbers and logs the case

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["agency", "route", "filed_on", "result", "decided_on", "reference"]
    list_filter = ["route", "result"]
    raw_id_fields = ["case"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "imported_at", "imported_by"]
    readonly_fields = ["imported_at", "imported_by"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "outcome", "title"]
    list_filter = ["kind"]
