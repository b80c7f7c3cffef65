"""The browser shell: login in the person's language, the audit trail of logins, lockout after
repeated failures, the workspaces' content and their bounded query counts, status and health."""

import pytest
from django.test import Client
from django.utils import timezone

from contactcentre.models import AuditAction, AuditEvent, Heartbeat
from staff.roles import Role
from staff.tests.factories import PASSWORD, SiteFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_login_opens_the_interface_in_the_persons_language_and_is_audited(user_factory):
    user_factory(role=Role.AGENT, email="amira@example.org", preferred_language="ar")
    client = Client()
    response = client.post("/login/", {"username": "Amira@Example.org", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor__email="amira@example.org").count() == 1


def test_logout_is_audited_and_ends_the_session(user_factory):
    person = user_factory(role=Role.AGENT)
    client = Client()
    client.force_login(person)
    assert client.post("/logout/").status_code == 302
    assert client.get("/calls/desk/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=person).exists()


def test_language_switch_is_remembered_on_the_account(user_factory):
    person = user_factory(role=Role.AGENT)
    client = Client()
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/calls/desk/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "ar"
    assert 'dir="rtl"' in client.get("/calls/desk/").content.decode()


def test_language_switch_works_before_login():
    client = Client()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/login/"})
    html = client.get("/login/").content.decode()
    assert 'dir="rtl"' in html
    assert "تسجيل الدخول" in html


def test_repeated_wrong_passwords_lock_the_account_out(user_factory, settings):
    user_factory(role=Role.AGENT, email="target@example.org")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "target@example.org", "password": "wrong-password"})
    response = client.post("/login/", {"username": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_agent_desk_names_the_team_and_its_leader(user_factory):
    site = SiteFactory(name="Manchester")
    leader = user_factory(role=Role.TEAM_LEADER, full_name="Tom Whitfield", site=site)
    team = TeamFactory(site=site, name="Claims", leader=leader)
    agent = user_factory(role=Role.AGENT, site=site, team=team)
    client = Client()
    client.force_login(agent)
    html = client.get("/calls/desk/").content.decode()
    assert "Team Claims at Manchester" in html
    assert "Tom Whitfield" in html
    assert 'data-testid="empty-state"' in html


def _team_with_members(user_factory, leader, size):
    team = TeamFactory(site=leader.site, leader=leader)
    for _ in range(size):
        user_factory(role=Role.AGENT, site=leader.site, team=team)
    return team


def test_team_page_queries_do_not_grow_with_the_team(user_factory, django_assert_max_num_queries):
    leader = user_factory(role=Role.TEAM_LEADER)
    _team_with_members(user_factory, leader, 3)
    client = Client()
    client.force_login(leader)
    with django_assert_max_num_queries(8):
        small = client.get("/staff/team/")
    _team_with_members(user_factory, leader, 30)
    with django_assert_max_num_queries(8):
        large = client.get("/staff/team/")
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("<tr>") >= 33


def test_people_directory_searches_filters_and_paginates(user_factory, django_assert_max_num_queries):
    hr = user_factory(role=Role.HR, full_name="Layla Mansour")
    manchester = SiteFactory(code="manchester", name="Manchester")
    for i in range(30):
        user_factory(role=Role.AGENT, full_name=f"Agent Number{i:02d}", site=manchester)
    user_factory(role=Role.NURSE, full_name="Grace Okafor", full_name_ar="غريس")
    user_factory(role=Role.API_CLIENT, full_name="PBX machine", password=None)
    client = Client()
    client.force_login(hr)

    with django_assert_max_num_queries(10):
        first = client.get("/staff/people/", {"site": manchester.pk, "role": Role.AGENT}).content.decode()
    assert "30 people" in first
    assert "Page 1 of 2" in first
    assert "PBX machine" not in client.get("/staff/people/", {"q": "PBX"}).content.decode()
    found = client.get("/staff/people/", {"q": "okafor"}).content.decode()
    assert "Grace Okafor" in found and "1 person" in found
    empty = client.get("/staff/people/", {"q": "nobody-like-this"}).content.decode()
    assert 'data-testid="empty-state"' in empty


def test_people_directory_answers_htmx_with_the_table_only(user_factory):
    client = Client()
    client.force_login(user_factory(role=Role.HR))
    html = client.get("/staff/people/", {"q": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in html
    assert "<html" not in html


def test_status_page_shows_the_last_heartbeat(user_factory):
    Heartbeat.objects.create(name="celery", last_run_at=timezone.now(), worker="celery@box", run_count=3)
    client = Client()
    client.force_login(user_factory(role=Role.ADMINISTRATOR))
    html = client.get("/system/status/").content.decode()
    assert "Running" in html
    assert "celery@box" in html
    assert "PostgreSQL" in html and "Redis" in html


def test_status_page_says_when_no_heartbeat_has_arrived(user_factory):
    client = Client()
    client.force_login(user_factory(role=Role.ADMINISTRATOR))
    assert "No heartbeat yet" in client.get("/system/status/").content.decode()


def test_stale_heartbeat_is_shown_as_late(user_factory, settings):
    stale = timezone.now() - timezone.timedelta(seconds=3 * settings.HEARTBEAT_INTERVAL_SECONDS)
    Heartbeat.objects.create(name="celery", last_run_at=stale, worker="celery@box", run_count=1)
    client = Client()
    client.force_login(user_factory(role=Role.ADMINISTRATOR))
    assert "Late" in client.get("/system/status/").content.decode()


def test_healthz_reports_the_database():
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_page_is_a_friendly_404_in_html(user_factory):
    client = Client()
    client.force_login(user_factory(role=Role.AGENT))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_arabic_readers_see_arabic_renderings_of_names(user_factory):
    site = SiteFactory(code="manchester", name="Manchester", name_ar="مانشستر")
    team = TeamFactory(site=site, name="Claims")
    agent = user_factory(
        role=Role.AGENT,
        site=site,
        team=team,
        full_name="Amira Haddad",
        full_name_ar="أميرة حداد",
        preferred_language="ar",
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(agent)
    client.cookies["django_language"] = "ar"
    html = client.get("/calls/desk/").content.decode()
    assert "أميرة حداد" in html and "مانشستر" in html
    client.cookies["django_language"] = "en"
    html = client.get("/calls/desk/").content.decode()
    assert "Amira Haddad" in html and "Manchester" in html


def test_lockout_counts_every_spelling_of_an_email_as_one_account(user_factory, settings):
    user_factory(role=Role.AGENT, email="target@example.org")
    client = Client()
    spellings = [
        "target@example.org",
        "Target@example.org",
        "TARGET@example.org",
        "tArget@example.org",
        "targeT@example.org",
    ]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        client.post("/login/", {"username": spelling, "password": "wrong-password"})
    response = client.post("/login/", {"username": "TaRgEt@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_the_lockout_and_audit_see_the_callers_address(user_factory, settings):
    settings.PROXY_COUNT = 1
    user_factory(role=Role.AGENT, email="agent@example.org")
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/login/", {"username": "agent@example.org", "password": "wrong-password"})
    # The agent, behind the same proxy, from their own address, still gets in.
    agent = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert agent.post("/login/", {"username": "agent@example.org", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).ip_address == "198.51.100.20"


def test_healthz_answers_a_load_balancer_probing_by_address_over_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST="10.1.2.3:8000").get("/healthz/")
    assert response.status_code == 200


def test_server_error_page_follows_the_language(rf):
    from django.utils import translation

    from contactcentre.views import server_error

    with translation.override("ar"):
        html = server_error(rf.get("/x/")).content.decode()
    assert 'dir="rtl"' in html and "حدث خطأ ما" in html


def test_a_person_with_no_role_is_told_why_there_is_nothing_to_open(roles):
    from staff.models import User

    person = User.objects.create_user(email="norole@example.org", password="x" * 12, full_name="No Role")
    client = Client()
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 403
    assert "no workspace" in response.content.decode()


def test_status_page_shows_how_far_the_telephony_fold_is_behind(user_factory):
    from calls.models import Contact, PendingFold

    client = Client()
    client.force_login(user_factory(role=Role.ADMINISTRATOR))
    assert "None: the desks are up to date." in client.get("/system/status/").content.decode()
    for n in range(2):
        contact = Contact.objects.create(provider="twilio", external_id=f"CA{n}")
        PendingFold.objects.create(contact=contact, since=timezone.now() - timezone.timedelta(seconds=42 - n))
    html = client.get("/system/status/").content.decode()
    assert "2 calls, the oldest waiting 42 s" in html
    assert "status-bad" in html.split('data-testid="fold-backlog"')[1].split("</p>")[0]
