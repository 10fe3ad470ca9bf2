from django.contrib import admin

from .models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "version", "state", "include_subordinates", "published_at"]
    list_filter = ["state", "year", "include_subordinates"]
    readonly_fields = ["data", "created_at", "created_by", "published_at", "published_by"]
