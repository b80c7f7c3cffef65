"""Least privilege, as a matrix: every URL the project serves, for every role and for anonymous
callers. A new URL without a row here fails `test_every_url_is_in_the_matrix`."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from staff.roles import Role
from staff.services import api_token_create, user_create
from staff.tests.factories import SiteFactory, TeamFactory

pytestmark = pytest.mark.django_db

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

# (url name, path, method, expected status per role)
MATRIX = [
    ("home", "/", "get", every(302, 302)),
    ("login", "/login/", "get", {**dict.fromkeys(PEOPLE, 302), Role.API_CLIENT: 200, ANON: 200}),
    ("logout", "/logout/", "get", every(405, 405)),
    ("set_language", "/i18n/setlang/", "get", every(405, 405)),
    ("healthz", "/healthz/", "get", every(200, 200)),
    ("system-status", "/system/status/", "get", only(Role.ADMINISTRATOR)),
    ("calls:desk", "/calls/desk/", "get", only(Role.AGENT, Role.NURSE, Role.TEAM_LEADER)),
    ("calls:nurse-desk", "/calls/nurse/", "get", only(Role.NURSE)),
    ("staff:team", "/staff/team/", "get", only(Role.TEAM_LEADER, Role.MANAGER)),
    ("staff:hr", "/staff/people/", "get", only(Role.HR)),
    ("performance:dashboard", "/performance/", "get", only(Role.MANAGER)),
    ("api-root", "/api/v1/", "get", API),
    ("me", "/api/v1/me/", "get", API),
    ("schema", "/api/v1/schema/", "get", API),
    ("site-list", "/api/v1/sites/", "get", API),
    ("site-detail", "/api/v1/sites/{site}/", "get", API),
    ("team-list", "/api/v1/teams/", "get", API),
    ("team-detail", "/api/v1/teams/{team}/", "get", API),
    ("site-list", "/api/v1/sites/", "post", every(405, 401)),
    ("api-not-found", "/api/v1/nothing-here/", "get", every(404, 404)),
    ("swagger-ui", "/api/docs/", "get", API),
    # The Django admin: administrators only (others are sent to the admin's own login).
    ("admin:index", "/admin/", "get", only(Role.ADMINISTRATOR, denied=302)),
    ("admin:staff_user_changelist", "/admin/staff/user/", "get", only(Role.ADMINISTRATOR, denied=302)),
    (
        "admin:contactcentre_auditevent_changelist",
        "/admin/contactcentre/auditevent/",
        "get",
        only(Role.ADMINISTRATOR, denied=302),
    ),
]


@pytest.fixture
def people(user_factory):
    site = SiteFactory(code="staines", name="Staines")
    return {role: user_factory(role=role, site=site, email=f"{role}@example.org") for role in ALL_ROLES}


def client_for(people, who) -> Client:
    """A person logs in (a session); an API client sends its token, the only way it has in."""
    if who == ANON:
        return Client()
    if who == Role.API_CLIENT:
        token = api_token_create(client=people[who]).clear_token
        return Client(HTTP_AUTHORIZATION=f"Token {token}")
    client = Client()
    client.force_login(people[who])
    return client


def _cases():
    for name, path, method, expected in MATRIX:
        for who, status in expected.items():
            yield pytest.param(path, method, who, status, id=f"{method} {path} as {who}")


@pytest.mark.parametrize(("path", "method", "who", "status"), list(_cases()))
def test_role_matrix(people, path, method, who, status):
    site = SiteFactory(code="staines")
    team = TeamFactory(site=site)
    client = client_for(people, who)
    response = getattr(client, method)(path.format(site=site.pk, team=team.pk))
    assert response.status_code == status, f"{method.upper()} {path} as {who}: {response.status_code}"


def _named_patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _named_patterns(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def test_every_url_is_in_the_matrix():
    """Each named route of the project (the admin's own pages aside) has a row above."""
    covered = {name for name, *_ in MATRIX}
    served = {name for name in _named_patterns(get_resolver().url_patterns) if not name.startswith("admin:")}
    assert served - covered == set(), "add these URLs to the role matrix"


@pytest.mark.parametrize(
    ("role", "workspace"),
    [
        (Role.AGENT, "/calls/desk/"),
        (Role.NURSE, "/calls/nurse/"),
        (Role.TEAM_LEADER, "/staff/team/"),
        (Role.MANAGER, "/performance/"),
        (Role.HR, "/staff/people/"),
        (Role.ADMINISTRATOR, "/system/status/"),
    ],
)
def test_home_sends_each_role_to_its_workspace(people, role, workspace):
    client = Client()
    client.force_login(people[role])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == workspace


def test_navigation_shows_only_what_the_role_may_open(people):
    client = Client()
    client.force_login(people[Role.AGENT])
    html = client.get("/calls/desk/").content.decode()
    assert 'href="/calls/desk/"' in html
    for forbidden in ("/staff/people/", "/performance/", "/system/status/", "/calls/nurse/"):
        assert f'href="{forbidden}"' not in html


def test_api_clients_cannot_log_in_to_the_browser_even_with_a_password(roles):
    machine = user_create(email="pbx@example.org", full_name="PBX", role=Role.API_CLIENT, password="x" * 12)
    assert not machine.has_usable_password()  # user_create gives machines none
    machine.set_password("a-password-someone-set")  # ...and if an administrator gives it one anyway:
    machine.save(update_fields=["password"])
    client = Client()
    response = client.post("/login/", {"username": "pbx@example.org", "password": "a-password-someone-set"})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_administrators_cannot_make_anyone_a_superuser(people):
    client = Client()
    client.force_login(people[Role.ADMINISTRATOR])
    page = client.get(f"/admin/staff/user/{people[Role.AGENT].pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="groups"' in page  # roles are theirs to give
