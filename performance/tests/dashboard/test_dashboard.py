"""The manager dashboard on the small centre of factories.py: its figures, comparison and RAG, the
contacts behind each count, the league tables, the exports, bad choices, and its query count."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from contactcentre.models import AuditEvent
from staff.roles import Role

from .factories import BEFORE, DAY, build_centre, more_history

ONE_DAY = {"preset": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()}


@pytest.fixture
def centre(roles):
    return build_centre()


@pytest.fixture
def manager(centre) -> Client:
    client = Client()
    client.force_login(centre.manager)
    return client


def figures(response) -> dict:
    return {figure.metric: figure for figure in response.context["board"].figures}


def counts(response) -> dict:
    return {count.figure: count for count in response.context["board"].counts}


def test_a_days_figures_against_the_day_before_and_the_standards(manager):
    response = manager.get("/performance/", ONE_DAY)
    assert response.status_code == 200
    shown = figures(response)
    assert shown["service_level"].value == pytest.approx(50.0)
    assert shown["service_level"].compared == pytest.approx(100.0)
    assert shown["service_level"].change == pytest.approx(-50.0)
    assert shown["service_level"].trend == "worse"
    assert shown["service_level"].rag == "red"  # 50% against 80% (warning 70%)
    assert shown["asa_seconds"].value == pytest.approx(15.0)
    assert shown["asa_seconds"].rag == "green"  # 15 s against 20 s
    assert shown["asa_seconds"].trend == "worse"  # 10 s the day before: less is better
    assert shown["abandonment_rate"].value == pytest.approx(25.0)
    assert shown["abandonment_rate"].rag is None  # no standard set
    assert shown["aht_seconds"].value == pytest.approx(240.0)
    assert shown["fcr"].value == pytest.approx(200 / 3)
    assert shown["agent_fcr"].value == pytest.approx(50.0)
    assert shown["transfer_rate"].value == pytest.approx(100 / 3)
    assert shown["occupancy"].value == pytest.approx(40.0)
    numbers = counts(response)
    assert {name: c.value for name, c in numbers.items()} == {
        "offered": 4,
        "answered": 3,
        "answered_late": 1,
        "abandoned": 1,
        "short_abandoned": 1,
        "handled": 3,
        "transferred": 1,
        "repeat": 1,
    }
    assert numbers["offered"].compared == 1
    html = response.content.decode()
    assert "SL1: answered within T / (answered + abandoned)" in html
    assert 'data-testid="counting-note"' in html
    assert "Misses the standard" in html


def test_the_trend_has_a_point_a_day_from_the_rollups(manager):
    response = manager.get("/performance/", {"preset": "custom", "start": BEFORE.isoformat(), "end": DAY.isoformat()})
    volume = response.context["charts"]["dashboard-volume"]["data"]
    assert volume["datasets"][0]["data"] == [1, 4]  # offered
    assert volume["datasets"][2]["data"] == [0, 1]  # abandoned
    rates = response.context["charts"]["dashboard-rates"]["data"]["datasets"][0]["data"]
    assert rates == [100.0, 50.0]  # SL1
    assert 'data-chart="dashboard-volume"' in response.content.decode()


@pytest.mark.parametrize(
    ("figure", "calls"),
    [
        ("offered", {1, 2, 3, 5}),
        ("answered", {1, 2, 5}),
        ("answered_late", {2}),
        ("abandoned", {3}),
        ("short_abandoned", {4}),
        ("handled", {1, 2, 5}),
        ("transferred", {2}),
        ("repeat", {1}),
    ],
)
def test_each_count_lists_the_contacts_behind_it(centre, manager, figure, calls):
    response = manager.get("/performance/contacts/", {**ONE_DAY, "figure": figure})
    assert response.status_code == 200
    listed = {contact.pk for contact in response.context["page"].object_list}
    assert listed == {centre.calls[n].pk for n in calls}
    html = response.content.decode()
    assert f'href="/calls/contacts/{centre.calls[min(calls)].pk}/"' in html


def test_a_count_on_the_page_links_to_its_drilldown_for_the_same_period(manager):
    html = manager.get("/performance/", ONE_DAY).content.decode()
    assert "/performance/contacts/?preset=custom&amp;start=2026-03-10&amp;end=2026-03-10" in html
    assert "figure=answered_late" in html


def test_the_drilldown_reads_the_comparison_period_when_asked(centre, manager):
    response = manager.get("/performance/contacts/", {**ONE_DAY, "figure": "answered", "which": "comparison"})
    assert [contact.pk for contact in response.context["page"].object_list] == [centre.calls[0].pk]


@pytest.mark.parametrize(
    ("scope", "calls"),
    [
        ({"plan_tier": "premier"}, {1, 5}),
        ({"plan_tier": "standard"}, {2}),
        ({"corporate": "no"}, {1, 2, 5}),  # covered by individual policies
        ({"corporate": "yes"}, set()),
    ],
)
def test_the_drilldown_reads_the_members_cover_on_the_day(centre, manager, scope, calls):
    response = manager.get("/performance/contacts/", {**ONE_DAY, "figure": "answered", **scope})
    assert {contact.pk for contact in response.context["page"].object_list} == {centre.calls[n].pk for n in calls}
    assert counts(manager.get("/performance/", {**ONE_DAY, **scope}))["answered"].value == len(calls)


def test_a_team_scope_reads_the_calls_its_agents_answered(centre, manager):
    response = manager.get("/performance/", {**ONE_DAY, "team": centre.teams["north"].pk})
    numbers = counts(response)
    assert numbers["answered"].value == 2
    assert numbers["abandoned"].value == 0
    assert "calls abandoned before an answer belong to no team" in response.content.decode()
    drilled = manager.get("/performance/contacts/", {**ONE_DAY, "figure": "answered", "team": centre.teams["north"].pk})
    assert {c.pk for c in drilled.context["page"].object_list} == {centre.calls[1].pk, centre.calls[5].pk}


def test_league_tables_show_quality_and_occupancy_and_sort(centre, manager):
    response = manager.get("/performance/", ONE_DAY)
    agents = {row.name: row for row in response.context["agents"]}
    ann, bob = agents["Ann Agent"], agents["Bob Agent"]
    assert (ann.measures.answered, ann.measures.handled) == (2, 2)
    assert ann.quality == pytest.approx(80.0)
    assert ann.pass_rate == pytest.approx(50.0)
    assert ann.evaluations == 2
    assert ann.occupancy == pytest.approx(40.0)
    assert bob.quality is None and bob.occupancy is None
    assert bob.transfer_rate == pytest.approx(100.0)
    assert [row.name for row in response.context["teams"]] == ["North", "South"]  # by calls handled

    ascending = manager.get("/performance/", {**ONE_DAY, "sort": "transfer_rate"})
    assert [row.name for row in ascending.context["agents"]] == ["Ann Agent", "Bob Agent"]
    descending = manager.get("/performance/", {**ONE_DAY, "sort": "-transfer_rate"})
    assert [row.name for row in descending.context["agents"]] == ["Bob Agent", "Ann Agent"]
    # Rows without a figure come last whichever way.
    by_quality = manager.get("/performance/", {**ONE_DAY, "sort": "quality"})
    assert [row.name for row in by_quality.context["agents"]] == ["Ann Agent", "Bob Agent"]
    assert 'aria-sort="ascending"' in by_quality.content.decode()


def test_the_csv_export_holds_what_the_page_shows_and_is_audited(centre, manager):
    response = manager.get("/performance/export.csv/", ONE_DAY)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Period", "2026-03-10", "2026-03-10"]
    by_label = {row[0]: row for row in rows if row}
    assert by_label["Service level (%)"][1:7] == ["50.0", "100.0", "-50.0", "80.00", "70.00", "red"]
    assert by_label["Offered"][1:4] == ["4", "1", "3"]
    assert by_label["Ann Agent"][1:3] == ["2", "2"]
    assert by_label["North"][1] == "2"
    event = AuditEvent.objects.get(object_type="performance.dashboard")
    assert event.actor == centre.manager
    assert event.detail["first"] == "2026-03-10"


def test_the_xlsx_export_keeps_numbers_as_numbers(manager):
    response = manager.get("/performance/export.xlsx/", ONE_DAY)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Service level (%)"][1] == 50.0
    assert rows["Offered"][1] == 4


def test_an_unknown_export_format_is_not_found(manager):
    assert manager.get("/performance/export.pdf/").status_code == 404


def test_bad_choices_are_shown_and_left_out(manager):
    response = manager.get(
        "/performance/", {"preset": "custom", "start": "2026-03-10", "end": "2026-03-01", "sort": "nonsense"}
    )
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert response.context["choice"].preset == "this_month"
    assert response.context["choice"].sort == "-handled"
    drilled = manager.get("/performance/contacts/", {**ONE_DAY, "figure": "everything"})
    assert drilled.status_code == 200
    assert drilled.context["figure"] == "offered"


def test_a_period_without_calls_says_so(user_factory):
    client = Client()
    client.force_login(user_factory(role=Role.MANAGER))
    html = client.get("/performance/").content.decode()
    assert "No calls in this period" in html
    assert 'data-testid="figure-service_level"' in html


def _queries(client: Client, path: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_the_agent_league_shows_fifty_agents_a_page_in_the_order_chosen(centre, manager):
    more_history(centre, days=1, agents=55)  # with Ann and Bob: 57 agents
    period = {"preset": "custom", "start": DAY.isoformat(), "end": (DAY + timedelta(days=1)).isoformat()}
    first = manager.get("/performance/", {**period, "sort": "name"})
    names = [row.name for row in first.context["agents"]]
    assert len(names) == 50 and names == sorted(names, key=str.casefold)
    html = first.content.decode()
    assert "Agents 1 to 50 of 57, in the order chosen; the export lists them all." in html
    assert "sort=name" in html[html.index('aria-label="Pages"') :]  # the next page keeps the order
    second = manager.get("/performance/", {**period, "sort": "name", "page": 2})
    rest = [row.name for row in second.context["agents"]]
    assert len(rest) == 7 and not set(rest) & set(names)
    assert "Agents 51 to 57 of 57" in second.content.decode()
    export = manager.get("/performance/export.csv/", {**period, "sort": "name"})
    exported = b"".join(export.streaming_content).decode()
    assert all(name in exported for name in names + rest)


def test_the_query_count_does_not_grow_with_days_agents_or_contacts(centre, manager):
    month = {"preset": "custom", "start": "2026-03-01", "end": "2026-03-31", "compare": "last_year"}
    drill = {**month, "figure": "handled"}
    manager.get("/performance/", month)  # the first request caches the manager's permissions
    before = (_queries(manager, "/performance/", month), _queries(manager, "/performance/contacts/", drill))
    more_history(centre, days=8, agents=6)
    after = (_queries(manager, "/performance/", month), _queries(manager, "/performance/contacts/", drill))
    assert after == before
    assert before[0] <= 30


def test_the_page_and_the_drilldown_render_right_to_left_in_arabic(manager):
    manager.cookies["django_language"] = "ar"
    for path in ("/performance/", "/performance/contacts/"):
        response = manager.get(path, {**ONE_DAY, "figure": "handled"})
        assert response.status_code == 200
        assert 'dir="rtl"' in response.content.decode()
