"""The role matrix's rows for the appraisal pages (gathered by staff/tests/access.py).

The agent's appraisal is in draft, by the team leader (who leads the agent's team); the manager is at
the same site. So the agent and the team leader are its parties, the manager and HR may read it but
not act on it, and everybody else gets a 404: another person's appraisal is not even said to exist."""

from datetime import date

from contactcentre.tests.matrix import ANON, API_C, HR, PEOPLE, TL, A, M, only, posted
from staff.models import Appraisal, AppraisalCycle

READERS = (A, TL, M, HR)


def _people(status: int) -> dict:
    return {**dict.fromkeys(PEOPLE, status), API_C: 302, ANON: 302}


def _readers_only(*, party: int, reader: int) -> dict:
    """The agent's appraisal: its parties get `party`, others who may read it `reader`, the rest 404."""
    statuses = _people(404) | {A: party, TL: party, M: reader, HR: reader}
    return statuses


# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("staff:appraisals", "/staff/appraisals/", "get", only(TL, M, HR)),
    ("staff:appraisals", "/staff/appraisals/?cycle={appraisal_cycle}&status=draft", "get", only(TL, M, HR)),
    ("staff:appraisal-new", "/staff/appraisals/new/", "get", only(TL, M, HR)),
    ("staff:appraisal-new", "/staff/appraisals/new/", "post", only(TL, M, HR)),  # empty: the form again
    ("staff:appraisal-cycles", "/staff/appraisals/cycles/", "get", only(HR)),
    ("staff:appraisal-cycles", "/staff/appraisals/cycles/", "post", only(HR)),  # empty: the form again
    # Already closed: refused with a message, back to the cycles.
    ("staff:appraisal-cycle-close", "/staff/appraisals/cycles/{appraisal_cycle_closed}/close/", "post", posted(HR)),
    ("staff:appraisal", "/staff/appraisals/{appraisal}/", "get", _readers_only(party=200, reader=200)),
    # Not reviewed yet: the parties are told so (a message, back to the page); readers may not sign.
    ("staff:appraisal-action", "/staff/appraisals/{appraisal}/sign/", "post", _readers_only(party=302, reader=403)),
    # An empty rating: the appraiser sees the page again with the field errors; the appraisee may not rate.
    (
        "staff:appraisal-action",
        "/staff/appraisals/{appraisal}/rating/",
        "post",
        _readers_only(party=400, reader=403) | {A: 403},
    ),
    ("staff:appraisal-action", "/staff/appraisals/{appraisal}/sign/", "get", _people(405)),
    ("staff:my-appraisals", "/staff/me/appraisals/", "get", _people(200)),
    (
        "staff:employee-appraisals",
        "/staff/employees/{employee_agent}/appraisals/",
        "get",
        _people(404) | dict.fromkeys(READERS, 200),
    ),
    ("staff:feedback", "/staff/feedback/", "get", _people(200)),
    ("staff:feedback", "/staff/feedback/", "post", _people(200)),  # empty: the form again
    ("staff:feedback-summary", "/staff/feedback/summary/", "get", only(M, HR)),
    ("staff:feedback-summary", "/staff/feedback/summary/?cycle={appraisal_cycle_closed}", "get", only(M, HR)),
    (
        "staff:feedback-summary-export",
        "/staff/feedback/summary/export.csv?cycle={appraisal_cycle_closed}",
        "get",
        only(M, HR),
    ),
    # An open cycle has no summary yet: back to the page, which says so.
    (
        "staff:feedback-summary-export",
        "/staff/feedback/summary/export.csv?cycle={appraisal_cycle}",
        "get",
        only(M, HR) | {M: 302, HR: 302},
    ),
]


def records(people: dict, base: dict) -> dict:
    """The objects ROWS name, as {placeholder: primary key}. `people` maps each role to a user;
    `base` holds what staff/tests/access.py made for every area (team, employees)."""
    cycle = AppraisalCycle.objects.create(name="Matrix cycle", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    closed = AppraisalCycle.objects.create(
        name="Matrix cycle closed", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31), is_open=False
    )
    appraisal = Appraisal.objects.create(cycle=cycle, appraisee=people[A], appraiser=people[TL])
    return {"appraisal_cycle": cycle.pk, "appraisal_cycle_closed": closed.pk, "appraisal": appraisal.pk}
