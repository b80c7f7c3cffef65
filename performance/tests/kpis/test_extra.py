"""The figures from other apps' data in `KpiSet.extra`, on a fixed week (Monday 2 to Sunday 8 November
2026; London on GMT), by hand:

| source     | rows in the week                                                   | figure                          |
|------------|--------------------------------------------------------------------|---------------------------------|
| surveys    | r1 CSAT 5 NPS 10 CES 7 (team 1, queue A, Premier); r2 4/9/5 (team 1);| CSAT 2/4 = 50 %; NPS (2-1)/4 = 25|
|            | r3 2/3/2 (team 2); r4 3/7/- (team 2). Out: a response on the 9th,    | CES (7+5+2)/3 = 4.67, 5-7: 2/3   |
|            | a management-study response in the week                             | team 1: CSAT 100, NPS 100, CES 6 |
| complaints | received: k1 (Mon 2nd), k2 (Tue 3rd), k3 (Thu 5th) = 3; 4 contacts   | 3 x 1000 / 4 = 750 per 1,000     |
|            | closed in the week: k1 resolved on the 3rd (summary due the 5th);   | 3 business days: 1/2 = 50 %      |
|            | k0 (received 20 Oct) final response on the 4th (8 weeks: 15 Dec)    | 8 weeks: 2/2 = 100 %             |
| claims     | paid: Premier (promise 5 working days) in 3 and in 7; Standard (no  | mean (3+7+5)/3 = 5.0; within the |
|            | promise) in 5. Out: one paid on the 10th (20 days)                  | promise 1/2 = 50 %               |
| callbacks  | f1 X due 3rd done early (from a queue A call); f2 X due 4th done    | kept 1/3 = 33.33 %; team 1: 1/2; |
|            | late; f3 Y due 5th still open; out: f4 cancelled, a task, one due   | queue A: 1/1                      |
|            | on the 9th                                                          |                                  |
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from calls.models import ComplaintOutcome, ComplaintStatus, FollowUpKind, FollowUpStatus
from calls.tests.factories import ComplaintFactory, ContactFactory, FollowUpFactory, QueueFactory
from claims.models import Claim, ClaimStatus, PromiseMetric, ServicePromise
from claims.tests.factories import PlanFactory, ProviderFactory, covered_member
from performance.models import Metric
from performance.selectors.kpis import Period, Scope, kpi_set
from performance.services.rollups import rollups_rebuild
from staff.tests.factories import TeamFactory
from surveys.models import Response, SurveyKind
from surveys.tests.factories import make_survey

WEEK = Period(date(2026, 11, 2), date(2026, 11, 8))


def at(day: int, hh: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hh, 0, tzinfo=UTC)


@pytest.fixture
def data(user_factory):
    queue_a = QueueFactory(code="a")
    team_1, team_2 = TeamFactory(), TeamFactory()
    x = user_factory(team=team_1, site=team_1.site)
    y = user_factory(team=team_2, site=team_2.site)

    survey, study = make_survey(), make_survey(SurveyKind.MANAGEMENT)

    def response(when, csat, nps, ces, team, survey=survey, **segment):
        Response.objects.create(
            survey=survey, version=survey.current_version, source="in_app", submitted_at=when, csat=csat, nps=nps,
            ces=ces, team=team, **segment,
        )  # fmt: skip

    response(at(2), 5, 10, 7, team_1, queue=queue_a, plan_tier="premier")
    response(at(3), 4, 9, 5, team_1)
    response(at(4), 2, 3, 2, team_2)
    response(at(8, 23), 3, 7, None, team_2)
    response(at(9, 0), 1, 0, 1, team_2)  # Monday the 9th: the next week
    response(at(5), 1, 0, 1, team_2, survey=study)

    for day in (2, 3, 4, 5):
        ContactFactory(queue=queue_a, offered_at=at(day), customer=None)
    rollups_rebuild(first=WEEK.first, last=WEEK.last)
    ComplaintFactory(received_at=at(2), status=ComplaintStatus.RESOLVED, resolved_at=at(3),
                     outcome=ComplaintOutcome.UPHELD)  # fmt: skip
    ComplaintFactory(received_at=at(3), status=ComplaintStatus.FINAL_RESPONSE, final_response_at=at(20),
                     outcome=ComplaintOutcome.NOT_UPHELD)  # fmt: skip
    ComplaintFactory(received_at=at(5))
    ComplaintFactory(received_at=at(20, month=10), status=ComplaintStatus.FINAL_RESPONSE, final_response_at=at(4),
                     outcome=ComplaintOutcome.PARTLY_UPHELD)  # fmt: skip

    premier, standard = PlanFactory(tier="premier"), PlanFactory(tier="standard")
    ServicePromise.objects.create(plan=premier, metric=PromiseMetric.CLAIM_PAID_WORKING_DAYS, target=5, wording="5")
    provider = ProviderFactory()
    for plan, paid_on, days in ((premier, 3, 3), (premier, 6, 7), (standard, 8, 5), (premier, 10, 20)):
        member = covered_member(plan=plan)
        Claim.objects.create(
            number=f"CL{paid_on}{days}", customer=member.customer, policy=member.policy, provider=provider,
            status=ClaimStatus.PAID, received_on=date(2026, 10, 1), claimed_total=Decimal("100.00"),
            paid_on=date(2026, 11, paid_on), turnaround_working_days=days, created_by=x,
        )  # fmt: skip

    from_queue_a = ContactFactory(queue=queue_a, offered_at=at(1), customer=None)
    FollowUpFactory(owner=x, due_at=at(3), status=FollowUpStatus.DONE, completed_at=at(3, 9), contact=from_queue_a)
    FollowUpFactory(owner=x, due_at=at(4), status=FollowUpStatus.DONE, completed_at=at(4, 11))
    FollowUpFactory(owner=y, due_at=at(5))
    FollowUpFactory(owner=y, due_at=at(6), status=FollowUpStatus.CANCELLED, completed_at=at(5))
    FollowUpFactory(owner=y, due_at=at(6), kind=FollowUpKind.TASK, status=FollowUpStatus.DONE, completed_at=at(5))
    FollowUpFactory(owner=y, due_at=at(9))
    return {"queue_a": queue_a, "team_1": team_1, "x": x}


def test_satisfaction_is_surveys_csat_nps_and_ces_of_the_post_contact_responses(data):
    kpi = kpi_set(WEEK)
    assert (kpi.extra[Metric.CSAT], kpi.extra[Metric.NPS]) == (50.0, 25.0)
    assert kpi.extra[Metric.CES] == pytest.approx(14 / 3)
    assert (kpi.extra_counts[Metric.CSAT], kpi.extra_counts[Metric.CES]) == (4, 3)
    assert kpi.extra_detail["ces_easy_share"] == pytest.approx(200 / 3)
    assert kpi.extra_detail["nps_margin"] > 0
    team = kpi_set(WEEK, Scope(team_id=data["team_1"].pk))
    assert (team.extra[Metric.CSAT], team.extra[Metric.NPS], team.extra[Metric.CES]) == (100.0, 100.0, 6.0)
    assert kpi_set(WEEK, Scope(plan_tier="premier")).extra[Metric.CSAT] == 100.0


def test_complaints_per_thousand_contacts_and_their_deadlines(data):
    kpi = kpi_set(WEEK)
    assert kpi.measures.contacts == 4
    assert kpi.extra[Metric.COMPLAINTS_PER_1000] == 750.0
    assert kpi.extra_detail["complaints_received"] == 3
    assert (kpi.extra[Metric.COMPLAINTS_IN_3_DAYS], kpi.extra[Metric.COMPLAINTS_IN_8_WEEKS]) == (50.0, 100.0)
    assert kpi.extra_counts[Metric.COMPLAINTS_IN_3_DAYS] == 2


def test_claim_turnaround_is_the_mean_of_claims_paid_and_the_share_within_the_tiers_promise(data):
    kpi = kpi_set(WEEK)
    assert (kpi.extra[Metric.CLAIM_TURNAROUND], kpi.extra_counts[Metric.CLAIM_TURNAROUND]) == (5.0, 3)
    assert (kpi.extra_detail["claims_promised"], kpi.extra_detail["claims_within_promise"]) == (2, 50.0)
    standard = kpi_set(WEEK, Scope(plan_tier="standard"))
    assert (standard.extra[Metric.CLAIM_TURNAROUND], standard.extra_detail["claims_within_promise"]) == (5.0, None)


def test_callbacks_kept_on_time_are_those_done_by_their_due_time(data):
    assert kpi_set(WEEK).extra[Metric.CALLBACKS_ON_TIME] == pytest.approx(100 / 3)
    assert kpi_set(WEEK, Scope(team_id=data["team_1"].pk)).extra[Metric.CALLBACKS_ON_TIME] == 50.0
    assert kpi_set(WEEK, Scope(queue_id=data["queue_a"].pk)).extra[Metric.CALLBACKS_ON_TIME] == 100.0


def test_a_callback_not_yet_due_is_neither_kept_nor_missed(user_factory):
    FollowUpFactory(due_at=timezone.now() + timedelta(minutes=30))
    today = kpi_set(Period(timezone.localdate(), timezone.localdate()))
    assert (today.extra[Metric.CALLBACKS_ON_TIME], today.extra_counts[Metric.CALLBACKS_ON_TIME]) == (None, 0)


def test_figures_whose_data_has_no_such_scope_are_none_and_say_so(data):
    queue = kpi_set(WEEK, Scope(queue_id=data["queue_a"].pk))
    assert queue.extra_unscoped == {
        Metric.COMPLAINTS_PER_1000,
        Metric.COMPLAINTS_IN_3_DAYS,
        Metric.COMPLAINTS_IN_8_WEEKS,
        Metric.CLAIM_TURNAROUND,
    }
    assert queue.extra[Metric.CLAIM_TURNAROUND] is None and queue.extra[Metric.COMPLAINTS_PER_1000] is None
    assert queue.extra[Metric.CSAT] == 100.0  # r1 came from queue A
    premier = kpi_set(WEEK, Scope(plan_tier="premier"))
    assert Metric.CALLBACKS_ON_TIME in premier.extra_unscoped
    assert premier.extra[Metric.CLAIM_TURNAROUND] == 5.0  # 3 and 7 (the 20 was paid the week after)


def test_the_kpi_set_is_a_fixed_number_of_queries_whatever_the_rows(data, django_assert_num_queries):
    with django_assert_num_queries(6):  # rollups, states, responses, complaints, claims, callbacks
        kpi_set(WEEK)
    with django_assert_num_queries(2):
        kpi_set(WEEK, with_extra=False)
