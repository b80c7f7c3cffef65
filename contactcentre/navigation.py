"""The role-aware navigation: each entry names the permission that shows it (staff/roles.py)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    icon: str = ""


NAVIGATION: list[NavItem] = [
    NavItem(_("Agent desk"), "calls:desk", "staff.use_agent_desk"),
    NavItem(_("Members"), "customers:search", "customers.view_customer"),
    NavItem(_("Follow-ups"), "calls:follow-ups", "calls.view_followup"),
    NavItem(_("Complaints"), "calls:complaints", "calls.view_complaint"),
    NavItem(_("Claims"), "claims:queue", "claims.assess_claim"),
    NavItem(_("Nurse line"), "calls:nurse-desk", "staff.use_nurse_line"),
    NavItem(_("My team"), "staff:team", "staff.lead_team"),
    NavItem(_("Performance"), "performance:dashboard", "staff.view_management"),
    NavItem(_("People"), "staff:hr", "staff.manage_people"),
    NavItem(_("System status"), "system-status", "staff.view_system_status"),
]


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAVIGATION
        if user.has_perm(item.permission)
    ]
