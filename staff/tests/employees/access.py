"""The role matrix's rows for the employees pages and endpoints (gathered by staff/tests/access.py).

The matrix's agent is in the team its team leader leads, at its manager's site: so the team leader,
the manager, HR and the agent themselves open the agent's record, and everyone else gets a 404 (a
refusal would tell that the record exists). Other teams and sites are tested in test_views.py."""

from contactcentre.tests.matrix import ADM, API, API_C, CA, HR, TL, A, M, N, api, every, only

PEOPLE = (A, N, TL, M, HR, ADM, CA)
AGENT = "/staff/employees/{employee_agent}"

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("staff:me", "/staff/me/", "get", only(*PEOPLE)),
    ("staff:employees", "/staff/employees/?q=a&status=active", "get", only(HR)),
    ("staff:employee-export", "/staff/employees/export.csv", "get", only(HR)),
    ("staff:employee-new", "/staff/employees/new/", "get", only(HR)),
    ("staff:employee-new", "/staff/employees/new/", "post", only(HR)),  # empty: the form again
    ("staff:employee", f"{AGENT}/", "get", only(A, TL, M, HR, denied=404)),
    ("staff:employee-edit", f"{AGENT}/edit/", "get", only(HR)),
    ("staff:employee-edit", f"{AGENT}/edit/", "post", only(HR)),
    ("staff:qualification-new", f"{AGENT}/qualifications/new/", "get", only(HR)),
    ("staff:qualification-new", f"{AGENT}/qualifications/new/", "post", only(HR)),
    ("staff:qualification-edit", "/staff/employees/{employee_nurse}/qualifications/{qualification}/", "get", only(HR)),
    ("staff:qualification-edit", "/staff/employees/{employee_nurse}/qualifications/{qualification}/", "post", only(HR)),
    ("staff:employee-leaver", f"{AGENT}/leaver/", "get", only(HR)),
    ("staff:employee-leaver", f"{AGENT}/leaver/", "post", only(HR)),
    ("staff:employee-profit-share", f"{AGENT}/profit-share/", "get", only(HR)),
    ("staff:employee-profit-share", f"{AGENT}/profit-share/", "post", only(HR)),  # empty: the form again
    ("staff:jobs", "/staff/jobs/", "get", only(*PEOPLE)),
    ("staff:job", "/staff/jobs/{job_role}/", "get", only(*PEOPLE)),
    ("staff:retention", "/staff/retention/", "get", only(HR, M)),
    ("staff:retention-export", "/staff/retention/export.csv", "get", only(HR, M)),
    ("employee-list", "/api/v1/employees/?skill=claims", "get", api(TL, M, HR, API_C)),
    ("employee-list", "/api/v1/employees/", "post", api(TL, M, HR, API_C, ok=405)),
    ("employee-detail", "/api/v1/employees/{employee_agent}/", "get", api(TL, M, HR, API_C)),
    ("employee-detail", "/api/v1/employees/{employee_agent}/", "delete", api(TL, M, HR, API_C, ok=405)),
    ("skill-list", "/api/v1/skills/", "get", API),
    ("skill-list", "/api/v1/skills/", "post", every(405, 401)),
    ("agent-state-list", "/api/v1/agent-states/?state=available", "get", api(TL, M, ADM, API_C)),
    ("agent-state-list", "/api/v1/agent-states/", "post", api(TL, M, ADM, API_C, ok=405)),
]


def records(people: dict, base: dict) -> dict:
    """The objects ROWS name, as {placeholder: primary key}. `people` maps each role to a user;
    `base` holds what staff/tests/access.py made for every area (team, employees)."""
    from staff.models import Employee

    from .factories import NurseRegistrationFactory

    nurse = Employee.objects.get(pk=base["employee_nurse"])
    return {
        "qualification": NurseRegistrationFactory(employee=nurse).pk,
        "job_role": Employee.objects.get(pk=base["employee_agent"]).job_role_id,
    }
