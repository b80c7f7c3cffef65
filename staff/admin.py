from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Site, Team, User


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
