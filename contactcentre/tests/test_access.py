"""Least privilege, as a matrix: every URL the project serves, for every role and for anonymous
callers. A new URL without a row here fails `test_every_url_is_in_the_matrix`."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from performance.tests.access import PERFORMANCE_MATRIX, performance_records
from staff.roles import Role
from staff.services import api_token_create, user_create
from staff.tests.access import STAFF_MATRIX, staff_records
from staff.tests.factories import SiteFactory, TeamFactory
from surveys.tests.access import SURVEYS_MATRIX, surveys_records

from .matrix import (
    ALL_ROLES,
    ANON,
    API,
    API_C,
    CA,
    MEMBER_READERS,
    PEOPLE,
    TL,
    A,
    M,
    N,
    api,
    every,
    only,
    posted,
)

pytestmark = pytest.mark.django_db

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
    ("calls:desk-live", "/calls/desk/live/", "get", only(A, N, TL)),
    ("calls:agent-state", "/calls/desk/state/", "post", posted(A, N, TL)),
    ("calls:log-contact", "/calls/contacts/new/", "get", only(A, N, TL)),
    ("calls:contact", "/calls/contacts/{contact}/", "get", only(A, N, TL, M)),
    ("calls:identify", "/calls/contacts/{contact}/identify/", "post", posted(A, N, TL)),
    ("calls:wrap-up", "/calls/contacts/{contact}/wrap-up/", "post", posted(A, N, TL, ok=400)),
    ("calls:triage-new", "/calls/nurse/calls/{nurse_call}/triage/", "get", only(N)),
    ("calls:triage-new", "/calls/nurse/calls/{nurse_call}/triage/", "post", only(N)),  # empty: the form again
    ("calls:triage-detail", "/calls/nurse/triages/{triage}/", "get", only(N)),
    ("calls:follow-ups", "/calls/follow-ups/", "get", only(A, N, TL, M)),
    ("calls:follow-up-new", "/calls/follow-ups/new/", "get", only(A, N, TL)),
    ("calls:follow-up-escalations", "/calls/follow-ups/escalated/", "get", only(TL, M)),
    ("calls:follow-up-complete", "/calls/follow-ups/{followup}/complete/", "post", posted(A, N, TL)),
    ("calls:follow-up-cancel", "/calls/follow-ups/{followup}/cancel/", "post", posted(A, N, TL)),
    ("calls:follow-up-reassign", "/calls/follow-ups/{followup}/reassign/", "post", posted(TL)),
    ("calls:complaints", "/calls/complaints/", "get", only(A, N, TL, M)),
    ("calls:complaint-export", "/calls/complaints/export.csv", "get", only(TL, M)),
    ("calls:complaint-report", "/calls/complaints/report/", "get", only(TL, M)),
    ("calls:complaint-new", "/calls/complaints/new/?customer={member}", "get", only(A, N, TL)),
    ("calls:complaint-detail", "/calls/complaints/{complaint}/", "get", only(A, N, TL, M)),
    # The complaint is closed: every action is refused (a message, back to the page) for those who may try.
    ("calls:complaint-action", "/calls/complaints/{complaint}/acknowledge/", "post", posted(A, N, TL, M)),
    ("calls:complaint-action", "/calls/complaints/{complaint}/final-response/", "post", posted(TL, M)),
    ("staff:team", "/staff/team/", "get", only(Role.TEAM_LEADER, Role.MANAGER)),
    ("staff:hr", "/staff/people/", "get", only(Role.HR)),
    ("customers:search", "/members/?q=smith", "get", only(*MEMBER_READERS)),
    ("customers:detail", "/members/{member}/", "get", only(*MEMBER_READERS)),
    ("customers:verify", "/members/{member}/verify/", "post", posted(A, N, TL)),
    ("claims:queue", "/claims/queue/", "get", only(CA)),
    ("claims:cover-check", "/claims/cover-check/{member}/", "get", only(A, N, TL)),
    ("claims:pre-authorise", "/claims/cover-check/result/{check}/pre-authorise/", "post", posted(A, TL)),
    ("claims:new", "/claims/new/{member}/", "get", only(A, TL, CA)),
    ("claims:detail", "/claims/{claim}/", "get", only(*MEMBER_READERS)),
    ("claims:action", "/claims/{claim}/start/", "post", posted(CA)),
    ("claims:action", "/claims/{claim}/withdraw/", "post", posted(A, TL, CA)),
    ("api-root", "/api/v1/", "get", API),
    ("customer-search", "/api/v1/customers/?q=smith", "get", api(*MEMBER_READERS, API_C)),
    ("customer-detail", "/api/v1/customers/{member}/", "get", api(*MEMBER_READERS)),
    ("customer-household", "/api/v1/customers/{member}/household/", "get", api(*MEMBER_READERS)),
    ("provider-list", "/api/v1/providers/", "get", api(*MEMBER_READERS)),
    ("policy-list", "/api/v1/policies/", "get", api(*MEMBER_READERS)),
    ("policy-detail", "/api/v1/policies/{policy}/", "get", api(*MEMBER_READERS)),
    ("cover-check-create", "/api/v1/cover-checks/", "post", api(A, N, TL, ok=400)),
    ("cover-check-detail", "/api/v1/cover-checks/{check}/", "get", api(*MEMBER_READERS)),
    ("pre-authorisation-list", "/api/v1/pre-authorisations/", "get", api(*MEMBER_READERS)),
    ("pre-authorisation-list", "/api/v1/pre-authorisations/", "post", api(A, TL, ok=400)),
    ("pre-authorisation-detail", "/api/v1/pre-authorisations/{preauth}/", "get", api(*MEMBER_READERS)),
    ("claim-list", "/api/v1/claims/", "get", api(*MEMBER_READERS)),
    ("claim-list", "/api/v1/claims/", "post", api(A, TL, CA, ok=400)),
    ("claim-detail", "/api/v1/claims/{claim}/", "get", api(*MEMBER_READERS)),
    *[
        (f"claim-{name}", f"/api/v1/claims/{{claim}}/{name}/", "post", api(*roles, ok=409))
        for name, roles in [
            ("start", (CA,)),
            ("request-information", (CA,)),
            ("resume", (CA,)),
            ("assess", (CA,)),
            ("reject", (CA,)),
            ("schedule-payment", (CA,)),
            ("pay", (CA,)),
            ("withdraw", (A, TL, CA)),
        ]
    ],
    ("telephony-events", "/api/v1/telephony/events/", "post", api(API_C, ok=400)),
    ("telephony-lookup", "/api/v1/telephony/lookup/?number=07700900321", "get", api(*MEMBER_READERS, API_C)),
    ("triage-detail", "/api/v1/triages/{triage}/", "get", api(N)),
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
    # The staff app's areas keep their rows beside their tests (staff/tests/<area>/access.py).
    *STAFF_MATRIX,
    # The surveys app's areas likewise (surveys/tests/<area>/access.py).
    *SURVEYS_MATRIX,
    *PERFORMANCE_MATRIX,
]


@pytest.fixture
def people(user_factory):
    site = SiteFactory(code="staines", name="Staines")
    return {role: user_factory(role=role, site=site, email=f"{role}@example.org") for role in ALL_ROLES}


@pytest.fixture
def cover_records(people):
    """One of each record the URLs name. The claim is paid, so every transition is refused (409) for
    those allowed to try: the matrix tests who may, not what happens."""
    from datetime import date
    from decimal import Decimal

    from calls.services.nurse import triage_record
    from calls.tests.factories import ContactFactory, FollowUpFactory, QueueFactory
    from claims import services
    from claims.tests.factories import ProviderFactory, covered_member

    site = SiteFactory(code="staines")
    team = TeamFactory(site=site)
    member = covered_member(start=date(2026, 1, 1))
    provider = ProviderFactory()
    check = services.cover_check_run(
        customer=member.customer,
        category="outpatient",
        treatment_date=date(2026, 3, 1),
        estimated_cost=Decimal("200"),
        actor=people[A],
        provider=provider,
    )
    inpatient = services.cover_check_run(
        customer=member.customer,
        category="inpatient",
        provider=provider,
        treatment_date=date(2026, 3, 1),
        estimated_cost=Decimal("900"),
        actor=people[A],
    )
    preauth = services.pre_authorisation_create(cover_check=inpatient, actor=people[A])
    claim = services.claim_create(
        customer=member.customer,
        provider=provider,
        actor=people[A],
        received_on=date(2026, 3, 5),
        lines=[services.LineInput("outpatient", "Consultation", date(2026, 3, 1), Decimal("200"))],
    )
    services.claim_transition(claim_id=claim.pk, target="assessing", actor=people[CA])
    services.claim_assess(claim_id=claim.pk, actor=people[CA])
    services.claim_schedule_payment(claim_id=claim.pk, actor=people[CA])
    services.claim_pay(claim_id=claim.pk, actor=people[CA])
    nurse_line = QueueFactory(nurse_line=True)
    triage = triage_record(
        nurse=people[N],
        contact=ContactFactory(agent=people[N], queue=nurse_line, customer=member.customer),
        presenting_problem="Rash on both arms",
        advice_given="Emollient twice a day",
        disposition="self_care",
        safety_netting="See a GP if it spreads",
    )
    follow_up = FollowUpFactory(owner=people[A], customer=member.customer)
    from django.utils import timezone

    from calls.services.complaints import complaint_create, complaint_final_response

    complaint = complaint_create(
        actor=people[A],
        customer=member.customer,
        channel="phone",
        received_at=timezone.now(),
        category="service",
        severity="low",
        summary="Kept waiting",
    )
    complaint_final_response(
        complaint_id=complaint.pk, actor=people[TL], outcome="not_upheld", root_cause="None", redress=Decimal(0)
    )
    records = {
        "site": site.pk,
        "team": team.pk,
        "member": member.customer_id,
        "policy": member.policy_id,
        "check": check.pk,
        "preauth": preauth.pk,
        "claim": claim.pk,
        "complaint": complaint.pk,
        "triage": triage.pk,
        "nurse_call": ContactFactory(agent=people[N], queue=nurse_line, customer=member.customer).pk,
        "followup": follow_up.pk,
        "contact": ContactFactory(customer=member.customer).pk,
        **staff_records(people),
    }
    records |= surveys_records(people, records)
    return records | performance_records(people, records)


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


@pytest.mark.parametrize("who", [*ALL_ROLES, ANON])
def test_role_matrix(people, cover_records, who):
    """Every URL of the matrix, as one caller; all mismatches are listed together."""
    mismatches = {}
    for _name, path, method, expected in MATRIX:
        cache.clear()  # throttles count across requests; the matrix is about permissions
        client = client_for(people, who)
        status = getattr(client, method)(path.format(**cover_records)).status_code
        if status != expected[who]:
            mismatches[f"{method.upper()} {path}"] = f"{status}, expected {expected[who]}"
    assert mismatches == {}


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
