from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Competency,
    Course,
    InductionItem,
    JobRole,
    PersonSpecItem,
    Scorecard,
    ScorecardItem,
    Site,
    Team,
    User,
)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "timezone", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "leader", "is_active"]
    list_filter = ["site", "is_active"]
    list_select_related = ["site", "leader"]
    search_fields = ["name"]
    autocomplete_fields = ["leader"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "site", "team", "is_active"]
    list_filter = ["is_active", "groups", "site"]
    list_select_related = ["site", "team"]
    search_fields = ["full_name", "email", "full_name_ar"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "full_name_ar", "preferred_language", "site", "team"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser makes a superuser: administrators manage roles, not the rule-free account.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "is_superuser"]


# Reference data of the people side, kept by administrators: job descriptions with their person
# specifications and induction plans, competencies, courses, and quality scorecards.
class PersonSpecItemInline(admin.TabularInline):
    model = PersonSpecItem
    extra = 1
    autocomplete_fields = ["competency"]


class InductionItemInline(admin.TabularInline):
    model = InductionItem
    extra = 1
    autocomplete_fields = ["course"]


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "access_role", "needs_nurse_registration", "is_active"]
    list_filter = ["access_role", "is_active"]
    search_fields = ["title", "title_ar", "code"]
    inlines = [PersonSpecItemInline, InductionItemInline]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "name_ar", "code"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "code",
        "kind",
        "duration_hours",
        "renewal_months",
        "pass_mark",
        "grants_skill",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    list_select_related = ["grants_skill"]
    search_fields = ["title", "title_ar", "code"]


class ScorecardItemInline(admin.TabularInline):
    model = ScorecardItem
    extra = 1


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "pass_mark", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_ar"]
    inlines = [ScorecardItemInline]
