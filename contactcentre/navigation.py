"""The role-aware navigation: each entry names the permission that shows it (staff/roles.py).

Entries with a `menu` are gathered into one drop-down of that name (the people side has many pages;
the bar keeps one entry per workspace). A permission of "" shows the entry to every person logged
in; a tuple shows it to anyone holding one of them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | tuple[str, ...]
    menu: str | Promise = ""


LEAD_OR_HR = ("staff.lead_team", "staff.manage_people")
PEOPLE_MENU = _("People")
RESEARCH_MENU = _("Customer research")
PERFORMANCE_MENU = _("Performance")
ME_MENU = _("Me")

NAVIGATION: list[NavItem] = [
    NavItem(_("Agent desk"), "calls:desk", "staff.use_agent_desk"),
    NavItem(_("Members"), "customers:search", "customers.view_customer"),
    NavItem(_("Follow-ups"), "calls:follow-ups", "calls.view_followup"),
    NavItem(_("Complaints"), "calls:complaints", "calls.view_complaint"),
    NavItem(_("Claims"), "claims:queue", "claims.assess_claim"),
    NavItem(_("Nurse line"), "calls:nurse-desk", "staff.use_nurse_line"),
    NavItem(_("My team"), "staff:team", "staff.lead_team"),
    NavItem(_("System status"), "system-status", "staff.view_system_status"),
    # The people side, for HR, team leaders and managers.
    NavItem(_("People directory"), "staff:hr", "staff.manage_people", PEOPLE_MENU),
    NavItem(_("Employees"), "staff:employees", "staff.manage_people", PEOPLE_MENU),
    NavItem(_("Vacancies"), "staff:vacancies", "staff.manage_people", PEOPLE_MENU),
    NavItem(_("Recruitment metrics"), "staff:recruitment-metrics", "staff.view_people_reports", PEOPLE_MENU),
    NavItem(_("Training matrix"), "staff:training-matrix", LEAD_OR_HR, PEOPLE_MENU),
    NavItem(_("Courses"), "staff:training-courses", LEAD_OR_HR, PEOPLE_MENU),
    NavItem(_("Training needs"), "staff:training-needs", "staff.view_trainingneed", PEOPLE_MENU),
    NavItem(_("Appraisals"), "staff:appraisals", "staff.view_appraisal", PEOPLE_MENU),
    NavItem(_("Appraisal cycles"), "staff:appraisal-cycles", "staff.view_appraisalcycle", PEOPLE_MENU),
    NavItem(_("Feedback summary"), "staff:feedback-summary", "staff.view_upwardfeedback", PEOPLE_MENU),
    NavItem(_("Quality"), "staff:quality", "staff.evaluate_quality", PEOPLE_MENU),
    NavItem(_("Calibration"), "staff:calibrations", "staff.evaluate_quality", PEOPLE_MENU),
    NavItem(_("Retention"), "staff:retention", "staff.view_people_reports", PEOPLE_MENU),
    NavItem(_("Recognition"), "staff:recognition", "", PEOPLE_MENU),
    NavItem(_("Job descriptions"), "staff:jobs", "", PEOPLE_MENU),
    # Managing performance: managers, and the wallboard for team leaders too.
    NavItem(_("Dashboard"), "performance:dashboard", "staff.view_management", PERFORMANCE_MENU),
    NavItem(_("Wallboard"), "performance:wallboard", "performance.view_wallboard", PERFORMANCE_MENU),
    NavItem(_("The five gaps"), "performance:gaps", "staff.view_management", PERFORMANCE_MENU),
    NavItem(_("Service standards"), "performance:standards", "performance.view_servicestandard", PERFORMANCE_MENU),
    NavItem(_("Promises and delivery"), "performance:promises", "staff.view_management", PERFORMANCE_MENU),
    NavItem(_("Sites compared"), "performance:sites", "staff.view_management", PERFORMANCE_MENU),
    NavItem(_("Staffing"), "performance:staffing", "performance.view_staffing", PERFORMANCE_MENU),
    NavItem(_("Roster"), "performance:roster", "performance.view_rostershift", PERFORMANCE_MENU),
    NavItem(_("Scheduled reports"), "performance:reports", "performance.view_reportrun", PERFORMANCE_MENU),
    # Customer research.
    NavItem(_("Survey results"), "surveys:results", "surveys.view_results", RESEARCH_MENU),
    NavItem(_("Verbatims"), "surveys:verbatims", "surveys.view_results", RESEARCH_MENU),
    NavItem(_("Closing the loop"), "surveys:loops", "surveys.view_loopfollowup", RESEARCH_MENU),
    NavItem(_("SERVQUAL"), "surveys:servqual", "surveys.view_response", RESEARCH_MENU),
    NavItem(_("Management study"), "surveys:management-study", "staff.view_management", RESEARCH_MENU),
    NavItem(_("Themes"), "surveys:themes", "surveys.view_theme", RESEARCH_MENU),
    NavItem(_("Focus groups and panels"), "surveys:focus-groups", "surveys.view_focusgroup", RESEARCH_MENU),
    NavItem(_("Survey definitions"), "surveys:definitions", "surveys.view_survey", RESEARCH_MENU),
    NavItem(_("Sampling rules"), "surveys:sampling", "surveys.view_samplingrule", RESEARCH_MENU),
    # Every person's own pages.
    NavItem(_("My record"), "staff:me", "", ME_MENU),
    NavItem(_("My training"), "staff:my-training", "", ME_MENU),
    NavItem(_("My appraisals"), "staff:my-appraisals", "", ME_MENU),
    NavItem(_("My evaluations"), "staff:my-evaluations", "", ME_MENU),
    NavItem(_("Give upward feedback"), "staff:feedback", "", ME_MENU),
]


def _allowed(user, permission: str | tuple[str, ...]) -> bool:
    if not permission:
        return True
    if isinstance(permission, tuple):
        return any(user.has_perm(p) for p in permission)
    return user.has_perm(permission)


def navigation_for(user) -> list[dict]:
    """The bar's entries for `user`, in order: a link ({label, url, url_name}) or a drop-down
    ({label, children: [links]}, placed where its first visible child is)."""
    if not user.is_authenticated:
        return []
    entries: list[dict] = []
    menus: dict[str, dict] = {}
    for item in NAVIGATION:
        if not _allowed(user, item.permission):
            continue
        link = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        if not item.menu:
            entries.append(link)
            continue
        key = str(item.menu)
        if key not in menus:
            menus[key] = {"label": item.menu, "children": []}
            entries.append(menus[key])
        menus[key]["children"].append(link)
    return entries
