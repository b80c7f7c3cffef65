"""A call logged by hand at the desk (no telephony platform reported it: `Contact.provider` blank) is
a contact, and a member's repeat contact for their other calls' FCR, but never a telephony call: it
has no queue wait to measure, so it stays out of offered, answered, service level, ASA, handled,
AHT, transfers and FCR.

Day D = Tuesday 10 November 2026 (GMT), queue Q (T = 20 s), agent X, member M.

| contact | offered | how          | wait | outcome               | talk + wrap | member |
|---------|---------|--------------|------|-----------------------|-------------|--------|
| t1      | 09:00   | telephony    | 30   | answered late by X    | 200 + 40    | M      |
| h1      | 09:30   | logged by X  | -    | a 5-minute call        | 300 + -     | M      |
| t2      | 10:00   | telephony    | 25   | abandoned             |             |        |

Contacts 3; offered 2 (t1 t2), answered 1, within T 0, abandoned 1: SL1 = 0 / 2 = 0 %,
abandonment 50 %, ASA 30 s; handled 1 (t1), AHT 240 s; FCR: t1's member called again (h1) within
7 days: 0 / 1. (Before the fix h1 counted as answered at 0 s: offered 3, SL1 1 / 3 = 33.33 %,
ASA 15 s, handled 2, FCR 1 / 2.)"""

import pytest

from calls.models import ContactChannel, ContactOutcome, ReasonCode
from calls.services.contacts import WrapUp, contact_log
from calls.tests.factories import QueueFactory
from claims.tests.factories import CustomerFactory
from performance.selectors import naive
from performance.selectors.drilldown import drilldown_contacts
from performance.selectors.kpis import Scope, kpi_set
from performance.services.rollups import rollups_rebuild

from .factories import call
from .test_fixed_data import DAY, D, at


@pytest.fixture
def data(user_factory):
    queue, x, member = QueueFactory(code="hand-k", answer_threshold_seconds=20), user_factory(), CustomerFactory()
    t1 = call(queue, at(9, 0), wait=30, talk=200, wrap=40, agent=x, customer=member)
    reason = ReasonCode.objects.create(code="hand-k-reason", name="Logged")
    h1 = contact_log(
        actor=x,
        channel=ContactChannel.PHONE,
        occurred_at=at(9, 30),
        wrap_up=WrapUp(reasons=[reason], outcome=ContactOutcome.OTHER, resolved_first_contact=True),
        customer=member,
        queue=queue,
        minutes=5,
    )
    t2 = call(queue, at(10, 0), wait=25, abandoned=True)
    rollups_rebuild(first=D, last=D)
    return {"x": x, "t1": t1, "h1": h1, "t2": t2}


def test_a_call_logged_by_hand_is_a_contact_but_not_a_telephony_call(data):
    assert data["h1"].provider == ""  # as the desk logs it
    kpi = kpi_set(DAY)
    m = kpi.measures
    assert (m.contacts, m.offered, m.answered, m.answered_in_threshold, m.abandoned) == (3, 2, 1, 0, 1)
    assert (kpi.service_level, kpi.abandonment_rate, kpi.asa_seconds) == (0.0, 50.0, 30.0)
    assert (m.handled, kpi.aht_seconds, m.agent_fcr_answered) == (1, 240.0, 0)


def test_a_call_logged_by_hand_is_still_the_members_repeat_contact(data):
    m = kpi_set(DAY).measures
    assert (m.fcr_eligible, m.fcr_resolved) == (1, 0)  # t1, followed by h1


@pytest.mark.parametrize("scope", ["everything", "agent_x"])
def test_the_rollups_equal_the_naive_computation(data, scope):
    chosen = Scope() if scope == "everything" else Scope(agent_id=data["x"].pk)
    assert naive.kpi_set(DAY, chosen) == kpi_set(DAY, chosen, with_extra=False)


def test_the_drilldown_leaves_out_calls_logged_by_hand(data):
    t1, t2 = data["t1"], data["t2"]
    assert set(drilldown_contacts("offered", DAY, Scope())) == {t1, t2}
    for figure in ("answered", "handled", "repeat"):
        assert list(drilldown_contacts(figure, DAY, Scope())) == [t1], figure
