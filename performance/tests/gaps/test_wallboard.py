"""The wallboard: calls waiting and the longest wait (live), agents by state (live), today's
service level and abandonment from the rollups against the standard (RAG), its live fragment,
a bounded number of queries, bad parameters, no queues, and Arabic.

Today at Staines on the claims queue: 18 answered (15 within 20 s), 2 abandoned: SL1 15/20 = 75%
(amber against 80/70), abandonment 2/20 = 10% (red against 5/8)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calls.models import AgentState, AgentStatus, ContactChannel, ContactState, Queue, Skill
from calls.tests.factories import ContactFactory, QueueFactory
from performance.selectors.wallboard import wallboard
from staff.roles import Role

from .conftest import day_rollup

pytestmark = pytest.mark.django_db


def waiting_call(queue, seconds_ago: int, state=ContactState.OFFERED, **kwargs):
    return ContactFactory(
        queue=queue,
        state=state,
        offered_at=timezone.now() - timedelta(seconds=seconds_ago),
        answered_at=None,
        ended_at=None,
        **kwargs,
    )


def agent(user_factory, site, state, **kwargs):
    person = user_factory(role=Role.AGENT, site=site, **kwargs)
    return AgentStatus.objects.create(user=person, state=state, since=timezone.now())


@pytest.fixture
def floor(centre, telephony_standards, user_factory):
    queue = centre.queue
    waiting_call(queue, 120)
    waiting_call(queue, 30, state=ContactState.RINGING)
    waiting_call(queue, 13 * 3600)  # the platform never ended it: no longer counted
    waiting_call(queue, 60, channel=ContactChannel.EMAIL)  # not a call
    ContactFactory(queue=queue)  # answered and ended
    agent(user_factory, centre.staines, AgentState.AVAILABLE)
    agent(user_factory, centre.staines, AgentState.AVAILABLE)
    agent(user_factory, centre.staines, AgentState.OFFLINE)
    agent(user_factory, centre.manchester, AgentState.ON_CALL)
    day_rollup(timezone.localdate(), centre.staines, queue, answered=18, answered_in_threshold=15, abandoned=2)
    return centre


@pytest.fixture
def leader_client(centre) -> Client:
    client = Client()
    client.force_login(centre.leader)
    return client


def states(board):
    return {state: count for state, _label, count in board.agents}


def test_the_board_counts_calls_waiting_agents_and_todays_figures_against_the_standard(floor):
    board = wallboard(site=floor.staines)
    assert board.waiting == 2
    assert 119 <= board.longest_wait_seconds <= 125
    assert [(w.queue.code, w.waiting) for w in board.queues] == [("claims", 2)]
    assert states(board)[AgentState.AVAILABLE] == 2 and states(board)[AgentState.OFFLINE] == 1
    assert states(board)[AgentState.ON_CALL] == 0  # Manchester's agent
    assert board.logged_in == 2
    assert board.service_level.value == pytest.approx(75.0)
    assert (board.service_level.target, board.service_level.rag) == (80.0, "amber")
    assert board.abandonment.value == pytest.approx(10.0) and board.abandonment.rag == "red"
    assert board.offered_today == 20


def test_a_sites_board_shows_the_calls_waiting_in_the_queues_served_from_it(floor):
    """The claims queue is shared (its two calls waiting show on every board); the nurse line is
    served from Manchester, membership from Staines; a membership call ringing at a Manchester agent
    has Manchester's site. Staines: claims 2 + membership 1 = 3; Manchester: claims 2 + nurse 1 +
    the ringing call 1 = 4; the whole centre: 5."""
    nurse = QueueFactory(code="nurse-w", name="Nurse line", site=floor.manchester)
    membership = QueueFactory(code="membership-w", name="Membership", site=floor.staines)
    waiting_call(nurse, 50)
    waiting_call(membership, 40)
    waiting_call(membership, 20, state=ContactState.RINGING, site=floor.manchester)
    staines, manchester = wallboard(site=floor.staines), wallboard(site=floor.manchester)
    assert [(w.queue.code, w.waiting) for w in staines.queues] == [("claims", 2), ("membership-w", 1)]
    assert (staines.waiting, manchester.waiting, wallboard().waiting) == (3, 4, 5)
    assert [(w.queue.code, w.waiting) for w in manchester.queues] == [
        ("claims", 2),
        ("nurse-w", 1),
        ("membership-w", 1),
    ]


def test_a_sites_own_standard_applies_on_its_board(floor):
    board = wallboard(site=floor.manchester)
    assert board.service_level.value is None  # no calls answered at Manchester today
    assert board.service_level.target == 60.0
    assert states(board)[AgentState.ON_CALL] == 1


def test_a_queues_board_counts_the_agents_with_its_skills(floor, user_factory):
    skill = Skill.objects.create(code="claims-skill", name="Claims")
    floor.queue.skills.add(skill)
    skilled = agent(user_factory, floor.staines, AgentState.WRAP_UP)
    skilled.skills.add(skill)
    board = wallboard(queue=floor.queue)
    assert states(board) == {s: (1 if s == AgentState.WRAP_UP else 0) for s in states(board)}
    assert board.waiting == 2
    other = QueueFactory(code="nurse", name="Nurse line")
    assert sum(states(wallboard(queue=other)).values()) == 5  # it needs no skill: every agent


def test_the_page_and_its_live_fragment_show_the_tiles(floor, leader_client):
    page = leader_client.get(f"/performance/wallboard/?site={floor.staines.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'hx-get="/performance/wallboard/live/?site={floor.staines.pk}"' in html
    assert 'hx-trigger="every 5s"' in html
    live = leader_client.get(f"/performance/wallboard/live/?site={floor.staines.pk}")
    assert live.status_code == 200
    fragment = live.content.decode()
    assert "<html" not in fragment
    assert 'data-testid="waiting">2<' in fragment
    assert 'data-rag="amber"' in fragment and 'data-rag="red"' in fragment
    assert "every 60 s" in fragment


def _live_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_live_fragment_reads_a_fixed_number_of_queries(floor, leader_client, user_factory):
    url = f"/performance/wallboard/live/?site={floor.staines.pk}&queue={floor.queue.pk}"
    _live_queries(leader_client, url)
    before = _live_queries(leader_client, url)
    for n in range(5):
        waiting_call(QueueFactory(code=f"extra-{n}"), 10 + n)
        waiting_call(floor.queue, 20 + n)
        agent(user_factory, floor.staines, AgentState.BREAK)
    assert _live_queries(leader_client, url) == before
    assert _live_queries(leader_client, "/performance/wallboard/live/") <= before + 1
    assert before <= 12


def test_an_unknown_site_is_refused_with_the_fields_error(leader_client, centre):
    response = leader_client.get("/performance/wallboard/?site=999999")
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    assert leader_client.get("/performance/wallboard/live/?queue=abc").status_code == 400


def test_no_queues_is_an_empty_board_not_an_error(leader_client, centre):
    Queue.objects.update(is_active=False)
    response = leader_client.get("/performance/wallboard/live/")
    assert response.status_code == 200
    assert 'data-testid="no-waiting"' in response.content.decode()


def test_the_board_reads_right_to_left_in_arabic(leader_client, floor):
    leader_client.cookies["django_language"] = "ar"
    response = leader_client.get("/performance/wallboard/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
