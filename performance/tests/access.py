"""The performance app's rows of the role matrix (contactcentre/tests/test_access.py), gathered from
each area's tests, and the records they name. `base` has the matrix's contact, member, team and site."""

from .dashboard import access as dashboard
from .gaps import access as gaps
from .kpis import access as kpis
from .reports import access as reports
from .standards import access as standards
from .workforce import access as workforce

AREAS = [kpis, dashboard, standards, gaps, workforce, reports]
PERFORMANCE_MATRIX = [row for area in AREAS for row in area.ROWS]


def performance_records(people: dict, base: dict) -> dict:
    records: dict = {}
    for area in AREAS:
        records |= area.records(people, base | records)
    return records
