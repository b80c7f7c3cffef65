"""The performance app in the Django admin, for administrators: service standards (read-only: the
history must stay true, so standards are set, changed and ended in the app, which audits them),
the roster, report schedules (editable; their timing is the django-celery-beat periodic task's
crontab) and report runs (read-only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ReportRun, ReportSchedule, RosterShift, ServiceStandard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceStandard)
class ServiceStandardAdmin(ReadOnlyAdmin):
    list_display = [
        "metric",
        "target",
        "warning",
        "queue",
        "site",
        "plan_tier",
        "corporate_account",
        "effective_from",
        "effective_to",
        "changed_by",
    ]
    list_filter = ["metric", "site", "plan_tier", "queue"]
    list_select_related = ["queue", "site", "corporate_account", "changed_by"]
    date_hierarchy = "effective_from"


@admin.register(RosterShift)
class RosterShiftAdmin(admin.ModelAdmin):
    list_display = ["agent", "queue", "starts_at", "ends_at"]
    list_filter = ["queue"]
    list_select_related = ["agent", "queue"]
    raw_id_fields = ["agent"]
    date_hierarchy = "starts_at"


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "language", "site", "is_active", "periodic_task"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["site", "periodic_task"]
    readonly_fields = ["periodic_task"]

    def save_model(self, request, obj, form, change) -> None:
        """Keep the periodic task in step (created if missing, enabled with the schedule)."""
        from .services.reports import schedule_timing, timing_sync

        super().save_model(request, obj, form, change)
        timing_sync(obj, schedule_timing(obj))


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "period_start", "period_end", "status", "attempts", "duration_ms", "sent_at"]
    list_filter = ["status", "schedule"]
    list_select_related = ["schedule"]
    exclude = ["pdf", "xlsx"]
    readonly_fields = ["has_pdf", "has_xlsx"]

    @admin.display(description=_("PDF stored"), boolean=True)
    def has_pdf(self, obj) -> bool:
        return bool(obj.pdf)

    @admin.display(description=_("XLSX stored"), boolean=True)
    def has_xlsx(self, obj) -> bool:
        return bool(obj.xlsx)
