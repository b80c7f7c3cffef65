"""The vocabulary of the role matrix (contactcentre/tests/test_access.py): expected statuses per
caller, for browser pages and API endpoints. Apps with many URLs keep their rows beside their tests
(e.g. staff/tests/access.py) and the matrix gathers them."""

from staff.roles import Role

ANON = "anonymous"
ALL_ROLES = [r.value for r in Role]
PEOPLE = [r for r in ALL_ROLES if r != Role.API_CLIENT]


def only(*allowed, denied=403, anonymous=302):
    """Status per role on a browser page: 200 for the allowed roles, `denied` for the other people,
    and for anonymous callers and API clients (whose token means nothing to the browser side, and
    who can hold no session) the login redirect."""
    statuses = {role: (200 if role in allowed else denied) for role in PEOPLE}
    return {**statuses, Role.API_CLIENT: anonymous, ANON: anonymous}


def every(status, anonymous):
    return {**dict.fromkeys(ALL_ROLES, status), ANON: anonymous}


API = every(200, 401)
A, N, TL, M, HR, ADM, CA, API_C = (
    Role.AGENT,
    Role.NURSE,
    Role.TEAM_LEADER,
    Role.MANAGER,
    Role.HR,
    Role.ADMINISTRATOR,
    Role.CLAIMS_ASSESSOR,
    Role.API_CLIENT,
)
MEMBER_READERS = (A, N, TL, M, CA)


def api(*allowed, ok=200, denied=403):
    """Status per caller on an API endpoint: `ok` for the allowed roles, 403 for other callers who
    may use the API, 401 for no credentials."""
    return {**{role: (ok if role in allowed else denied) for role in ALL_ROLES}, ANON: 401}


def posted(*allowed, ok=302):
    """A browser form's POST: the allowed people are redirected after it; the rest get 403."""
    return only(*allowed) | dict.fromkeys(allowed, ok)
