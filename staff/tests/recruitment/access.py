"""The role matrix's rows for the recruitment pages and endpoints (gathered by staff/tests/access.py).

HR runs recruitment (staff.manage_people); HR and managers read the metrics
(staff.view_people_reports); the careers site's two endpoints need no account. An empty POST to a
candidate page's form is the page again with the errors (200); a move or a close of the vacancy goes
back to the board (302)."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("staff:vacancies", "/staff/recruitment/vacancies/", "get", only(HR)),
    ("staff:vacancy-new", "/staff/recruitment/vacancies/new/", "get", only(HR)),
    ("staff:vacancy-new", "/staff/recruitment/vacancies/new/", "post", only(HR)),
    ("staff:vacancy-board", "/staff/recruitment/vacancies/{vacancy}/", "get", only(HR)),
    ("staff:vacancy-close", "/staff/recruitment/vacancies/{vacancy}/close/", "post", posted(HR)),
    ("staff:application-new", "/staff/recruitment/vacancies/{vacancy}/applications/new/", "get", only(HR)),
    ("staff:application-new", "/staff/recruitment/vacancies/{vacancy}/applications/new/", "post", only(HR)),
    ("staff:application-detail", "/staff/recruitment/applications/{application}/", "get", only(HR)),
    ("staff:application-move", "/staff/recruitment/applications/{application}/move/", "post", posted(HR)),
    ("staff:application-close", "/staff/recruitment/applications/{application}/close/", "post", only(HR)),
    ("staff:application-score", "/staff/recruitment/applications/{application}/scores/", "post", only(HR)),
    ("staff:application-note", "/staff/recruitment/applications/{application}/notes/", "post", only(HR)),
    ("staff:application-hire", "/staff/recruitment/applications/{application}/hire/", "post", only(HR)),
    ("staff:recruitment-metrics", "/staff/recruitment/metrics/", "get", only(M, HR)),
    ("staff:recruitment-metrics-export", "/staff/recruitment/metrics/export.csv", "get", only(M, HR)),
    # The careers site: no account needed (a token or a session changes nothing); an empty application is a 400.
    ("careers-vacancies", "/api/v1/careers/vacancies/", "get", every(200, 200)),
    ("careers-applications", "/api/v1/careers/applications/", "post", every(400, 400)),
    ("vacancy-list", "/api/v1/recruitment/vacancies/", "get", api(HR)),
    ("vacancy-applications", "/api/v1/recruitment/vacancies/{vacancy}/applications/", "get", api(HR)),
]


def records(people: dict, base: dict) -> dict:
    """The objects ROWS name, as {placeholder: primary key}. `people` maps each role to a user;
    `base` holds what staff/tests/access.py made for every area (team, employees)."""
    from .factories import ApplicationFactory, VacancyFactory

    vacancy = VacancyFactory(site=people[HR].site)
    return {"vacancy": vacancy.pk, "application": ApplicationFactory(vacancy=vacancy).pk}
