"""The calls app's reference data, managed by administrators: queues, skills, the reason taxonomy,
and agents' telephony extensions."""

from django.contrib import admin

from .models import AgentStatus, Queue, ReasonCode, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "name_ar"]
    search_fields = ["name", "code"]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "answer_threshold_seconds",
        "service_level_target",
        "short_abandon_seconds",
        "open_all_hours",
        "is_nurse_line",
        "site",
        "is_active",
    ]
    list_filter = ["is_active", "open_all_hours", "is_nurse_line", "site"]
    list_select_related = ["site"]
    filter_horizontal = ["skills"]
    search_fields = ["name", "code"]


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "position", "is_active"]
    list_filter = ["is_active", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_ar", "code"]

    # Only categories may be chosen as a parent (two levels; ReasonCode.clean says so too).
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = ReasonCode.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AgentStatus)
class AgentStatusAdmin(admin.ModelAdmin):
    list_display = ["user", "extension", "state", "since"]
    list_select_related = ["user"]
    search_fields = ["user__full_name", "user__email", "extension"]
    readonly_fields = ["state", "since"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["skills"]
