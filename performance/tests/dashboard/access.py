"""The role matrix's rows for the manager dashboard (gathered by performance/tests/access.py): the
page, its exports and the drill-down are the managers' (staff.view_management), whatever the choices."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("performance:dashboard", "/performance/", "get", only(M)),
    (
        "performance:dashboard",
        "/performance/?preset=last_12_months&compare=last_year&site={site}&team={team}&sort=-aht",
        "get",
        only(M),
    ),
    ("performance:dashboard-export", "/performance/export.csv/?preset=last_week", "get", only(M)),
    (
        "performance:dashboard-export",
        "/performance/export.xlsx/?preset=custom&start=2026-01-01&end=2026-03-31",
        "get",
        only(M),
    ),
    ("performance:drilldown", "/performance/contacts/?figure=handled&preset=this_month", "get", only(M)),
    ("performance:drilldown", "/performance/contacts/?figure=repeat&plan_tier=premier&corporate=no", "get", only(M)),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder}: the matrix's own site and team serve."""
    return {}
