"""The surveys app's rows of the role matrix (contactcentre/tests/test_access.py), gathered from each
area's tests, and the records they name. `base` has the matrix's contact, member, team and site."""

from .api import access as api
from .definitions import access as definitions
from .invitations import access as invitations
from .research import access as research
from .results import access as results
from .servqual import access as servqual

AREAS = [invitations, results, servqual, definitions, research, api]
SURVEYS_MATRIX = [row for area in AREAS for row in area.ROWS]


def surveys_records(people: dict, base: dict) -> dict:
    records: dict = {}
    for area in AREAS:
        records |= area.records(people, base | records)
    return records
