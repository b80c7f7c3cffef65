"""The roles of Tawasul and what each may do: the one place that says it.

A role is a Django group; `roles_sync()` (run after every migrate) gives each group exactly the
permissions listed here. Views and API endpoints check permissions, never group names, so a
role's reach is read off this table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    TEAM_LEADER = "team_leader", _("Team leader")
    NURSE = "nurse", _("Nurse")
    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR")
    ADMINISTRATOR = "administrator", _("Administrator")
    CLAIMS_ASSESSOR = "claims_assessor", _("Claims assessor")
    API_CLIENT = "api_client", _("API client")


# Workspace permissions, declared on staff.User's Meta (codename -> label).
WORKSPACE_PERMISSIONS = {
    "use_agent_desk": _("Can use the agent desktop"),
    "use_nurse_line": _("Can work the nurse advice line"),
    "lead_team": _("Can lead a team (team workspace)"),
    "view_management": _("Can view management dashboards"),
    "manage_people": _("Can manage people (HR workspace)"),
    "view_system_status": _("Can view system status"),
    "use_api": _("Can call the REST API"),
    "evaluate_quality": _("Can evaluate contacts for quality (scorecards, calibration)"),
    "view_people_reports": _("Can view people reports (recruitment, attrition, upward feedback)"),
}

_ALL_STAFF = ["staff.view_site", "staff.view_team"]
# Reading members and their cover (every read of a member's record is audited).
_MEMBER_READ = [
    "customers.view_customer",
    "claims.view_policy",
    "claims.view_provider",
    "claims.view_claim",
    "claims.view_covercheck",
    "claims.view_preauthorisation",
]
# What a front-line agent does on a call: verify, check cover, pre-authorise, take a claim.
_AGENT_COVER = [
    *_MEMBER_READ,
    "customers.add_identitycheck",
    "claims.add_covercheck",
    "claims.add_preauthorisation",
    "claims.add_claim",
    "claims.withdraw_claim",
]

# Working contacts at the desk: log, wrap up, promise callbacks, take complaints.
_DESK = [
    "calls.view_contact",
    "calls.add_contact",
    "calls.change_contact",
    "calls.view_queue",
    "calls.view_reasoncode",
    "calls.view_followup",
    "calls.add_followup",
    "calls.change_followup",
    "calls.view_complaint",
    "calls.add_complaint",
    "calls.change_complaint",
]
# Clinical records of the nurse line: nurses only (every read audited). A triage is not amended once
# recorded, so nobody holds the change permission.
_TRIAGE = ["calls.view_nursetriage", "calls.add_nursetriage"]
# HR: the people records, recruitment and the training catalogue (staff/models/*). Object scoping
# (a team leader sees their own team) is in the selectors, not here.
_HR_PEOPLE = [
    "staff.manage_people",
    "staff.view_people_reports",
    *[
        f"staff.{verb}_{model}"
        for model in (
            "employee", "qualification", "jobrole", "competency", "personspecitem", "vacancy", "application",
            "course", "inductionitem", "trainingsession", "enrolment", "appraisalcycle",
        )
        for verb in ("view", "add", "change")
    ],
    "staff.add_assessmentscore",
    "staff.add_interviewnote",
    "staff.view_appraisal",
    "staff.view_trainingneed",
    "staff.add_trainingneed",
    "staff.view_upwardfeedback",
]  # fmt: skip
# Leading people: their team's records, training, appraisals, quality evaluations and recognition.
_LEAD_PEOPLE = [
    "staff.evaluate_quality",
    "staff.view_employee",
    "staff.view_qualification",
    "staff.view_course",
    "staff.view_enrolment",
    "staff.add_enrolment",
    "staff.view_trainingneed",
    "staff.add_trainingneed",
    "staff.view_appraisal",
    "staff.add_appraisal",
    "staff.change_appraisal",
    "staff.view_evaluation",
    "staff.add_evaluation",
    "staff.view_calibrationsession",
    "staff.add_calibrationsession",
    "staff.view_recognition",
    "staff.add_recognition",
]
# Customer research (surveys app): results and verbatims, coding comments to themes, closing the loop
# with dissatisfied members. Team leaders see their teams' results (scoped in surveys/selectors).
_SURVEY_RESULTS = [
    "surveys.view_results",
    "surveys.code_comments",
    "surveys.view_theme",
    "surveys.view_loopfollowup",
    "surveys.change_loopfollowup",
]
# Running the research: survey definitions and sampling, SERVQUAL panels, focus groups and themes.
_SURVEY_RESEARCH = [
    "surveys.view_all_results",
    *[
        f"surveys.{verb}_{model}"
        for model in ("survey", "samplingrule", "theme", "focusgroup", "invitation")
        for verb in ("view", "add", "change")
    ],
    "surveys.view_response",
]
# Managing performance: standards and their history, the wallboard, staffing and the roster,
# scheduled reports and their runs.
_PERFORMANCE = [
    "performance.view_servicestandard",
    "performance.set_standards",
    "performance.view_wallboard",
    "performance.view_staffing",
    *[f"performance.{verb}_rostershift" for verb in ("view", "add", "change", "delete")],
    *[f"performance.{verb}_reportschedule" for verb in ("view", "add", "change")],
    "performance.view_reportrun",
    "performance.run_report",
]
# Reading what happened, for oversight.
_CONTACTS_READ = ["calls.view_contact", "calls.view_queue", "calls.view_followup", "calls.view_complaint"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.AGENT: ["staff.use_agent_desk", "staff.use_api", *_AGENT_COVER, *_DESK, *_ALL_STAFF],
    Role.NURSE: [
        "staff.use_nurse_line",
        "staff.use_agent_desk",
        "staff.use_api",
        *_MEMBER_READ,
        "customers.add_identitycheck",
        "claims.add_covercheck",
        *_DESK,
        *_TRIAGE,
        *_ALL_STAFF,
    ],
    Role.TEAM_LEADER: [
        "staff.lead_team",
        "staff.use_agent_desk",
        "staff.use_api",
        "staff.view_user",
        *_AGENT_COVER,
        *_DESK,
        "calls.respond_complaint",
        *_LEAD_PEOPLE,
        *_SURVEY_RESULTS,
        "performance.view_wallboard",
        *_ALL_STAFF,
    ],
    Role.MANAGER: [
        "staff.view_management",
        "staff.lead_team",
        "staff.use_api",
        "staff.view_user",
        *_MEMBER_READ,
        *_CONTACTS_READ,
        "calls.change_complaint",
        "calls.respond_complaint",
        *_LEAD_PEOPLE,
        "staff.view_people_reports",
        "staff.view_upwardfeedback",
        *_SURVEY_RESULTS,
        *_SURVEY_RESEARCH,
        *_PERFORMANCE,
        *_ALL_STAFF,
    ],
    Role.HR: [
        *_HR_PEOPLE,
        "staff.use_api",
        "staff.view_user",
        "staff.add_user",
        "staff.change_user",
        *_ALL_STAFF,
    ],
    Role.ADMINISTRATOR: [
        "staff.view_system_status",
        "staff.use_api",
        "staff.view_user",
        "staff.add_user",
        "staff.change_user",
        "staff.add_site",
        "staff.change_site",
        "staff.add_team",
        "staff.change_team",
        "contactcentre.view_auditevent",
        "contactcentre.view_heartbeat",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "knox.view_authtoken",
        "knox.delete_authtoken",
        # The calls reference data: queues and their service levels, skills, the reason taxonomy,
        # agents' extensions.
        *[f"calls.{verb}_{model}" for model in ("queue", "skill", "reasoncode") for verb in ("view", "add", "change")],
        "calls.view_agentstatus",
        "calls.add_agentstatus",
        "calls.change_agentstatus",
        # The people side's reference data: job descriptions and person specifications, induction
        # plans, competencies, courses, quality scorecards.
        *[
            f"staff.{verb}_{model}"
            for model in (
                "jobrole",
                "personspecitem",
                "inductionitem",
                "competency",
                "course",
                "scorecard",
                "scorecarditem",
            )
            for verb in ("view", "add", "change")
        ],
        *_ALL_STAFF,
    ],
    Role.CLAIMS_ASSESSOR: [
        "staff.use_api",
        *_MEMBER_READ,
        "claims.add_claim",
        "claims.assess_claim",
        "claims.pay_claim",
        "claims.withdraw_claim",
        *_ALL_STAFF,
    ],
    # A machine user: the REST API and nothing else (it has no password, so it cannot log in). The
    # telephony platform looks members up by phone number for the screen-pop, and sends its call events.
    # Workforce tools read the roster (employees, their skills) and the agents' states.
    Role.API_CLIENT: [
        "staff.use_api",
        "customers.lookup_customer",
        "calls.add_telephonyevent",
        "staff.view_employee",
        "calls.view_skill",
        "calls.view_agentstatus",
        # An external survey tool, or an SMS or IVR survey provider, posts responses; reporting tools
        # read the results.
        "surveys.add_response",
        "surveys.view_results",
        "surveys.view_all_results",
        # Workforce tools ask the Erlang C calculator for staffing.
        "performance.view_staffing",
        *_ALL_STAFF,
    ],
}

# Where each role lands after login, most specific first for people holding several roles.
WORKSPACES: list[tuple[str, str]] = [
    ("staff.view_system_status", "system-status"),
    ("staff.view_management", "performance:dashboard"),
    ("staff.manage_people", "staff:hr"),
    ("claims.assess_claim", "claims:queue"),
    ("staff.lead_team", "staff:team"),
    ("staff.use_nurse_line", "calls:nurse-desk"),
    ("staff.use_agent_desk", "calls:desk"),
]
