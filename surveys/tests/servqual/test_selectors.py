"""SERVQUAL scores from stored responses, against hand-worked figures: statements, dimensions,
unweighted and weighted, per segment, gap 1, the period, and who sees what."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest import approx

from surveys.selectors import servqual as selectors

from .conftest import answer, manager_answers, points, scores

pytestmark = pytest.mark.django_db


def report(centre, actor=None, **kwargs):
    start, end = selectors.default_period()
    return selectors.servqual_report(
        actor=actor or centre.manager, survey=centre.survey, start=start, end=end, **kwargs
    )


def by_dimension(result, field):
    return {d.dimension: getattr(d, field) for d in result.dimensions}


def test_two_members_scores_match_the_hand_worked_figures(centre, two_members):
    overall = report(centre).overall
    assert overall.responses == 2
    items = {i.item: i for i in overall.items}
    assert (items[1].expectation, items[1].perception, items[1].gap) == approx((5.5, 4.5, -1.0))
    assert (items[5].expectation, items[5].perception, items[5].gap) == approx((5.5, 4.5, -1.0))
    assert (items[10].expectation, items[10].perception, items[10].gap) == approx((5.5, 5.5, 0.0))
    assert items[5].statement == "When this insurer promises to do something by a certain time, it does so."
    assert by_dimension(overall, "gap") == approx(
        {"tangibles": -1.0, "reliability": -1.0, "responsiveness": 0.0, "assurance": 0.0, "empathy": 0.0}
    )
    assert by_dimension(overall, "expectation") == approx(dict.fromkeys(by_dimension(overall, "gap"), 5.5))
    assert by_dimension(overall, "points") == approx(
        {"tangibles": 50.0, "reliability": 50.0, "responsiveness": 0.0, "assurance": 0.0, "empathy": 0.0}
    )
    assert overall.unweighted == approx(-0.4)
    # Mean gaps x mean points, not the mean of the members' own weighted scores (-2.0 each).
    assert overall.weighted == approx(-1.0)


def test_domain_worked_example_through_the_database(centre):
    """domain.md: gaps T -0.5, Rel -1.2, Resp -0.8, A -0.3, Emp -0.6, points 10/35/25/20/10 ->
    unweighted -0.68, weighted -0.05 - 0.42 - 0.20 - 0.06 - 0.06 = -0.79. Five members expect 7 of
    everything; their perceptions (7 + gap) give, per statement, the mean gaps:
    tangibles: items 1, 2 at -1 for all, 3, 4 at 0 -> (-1 - 1 + 0 + 0) / 4 = -0.5;
    reliability: item 5 at -2 for all, 6-9 at -1 -> (-2 - 1 - 1 - 1 - 1) / 5 = -1.2;
    responsiveness: items 10-13 at -1 for four members, 0 for the fifth -> -4/5 = -0.8 each, -0.8;
    assurance: item 14 at -1 for all (-1), item 15 at -1 for one (-0.2), 16, 17 at 0 -> -1.2 / 4 = -0.3;
    empathy: items 18-20 at -1 for all, 21, 22 at 0 -> -3 / 5 = -0.6.
    Points: (20, 30, 25, 15, 10), (0, 40, 25, 25, 10) and three of (10, 35, 25, 20, 10): means
    tangibles (20 + 0 + 30) / 5 = 10, reliability (30 + 40 + 105) / 5 = 35, responsiveness 25,
    assurance (15 + 25 + 60) / 5 = 20, empathy 10."""
    allocations = [points(20, 30, 25, 15, 10), points(0, 40, 25, 25, 10)] + [points(10, 35, 25, 20, 10)] * 3
    for member, allocation in enumerate(allocations, start=1):
        gaps = {1: -1, 2: -1, 5: -2, 6: -1, 7: -1, 8: -1, 9: -1, 14: -1, 18: -1, 19: -1, 20: -1}
        if member <= 4:
            gaps |= {10: -1, 11: -1, 12: -1, 13: -1}
        if member == 1:
            gaps[15] = -1
        answer(centre.survey, scores(7), scores(7, items={item: 7 + gap for item, gap in gaps.items()}), allocation)
    overall = report(centre).overall
    assert by_dimension(overall, "gap") == approx(
        {"tangibles": -0.5, "reliability": -1.2, "responsiveness": -0.8, "assurance": -0.3, "empathy": -0.6}
    )
    assert by_dimension(overall, "points") == approx(
        {"tangibles": 10, "reliability": 35, "responsiveness": 25, "assurance": 20, "empathy": 10}
    )
    assert round(overall.unweighted, 2) == -0.68
    assert round(overall.weighted, 2) == -0.79


def test_each_segment_has_its_own_scores_and_an_empty_segment_says_so(centre, two_members):
    segments = {s.name: {seg.key: seg for seg in s.segments} for s in report(centre).segmentations}
    premier, standard = segments["plan_tier"]["premier"].result, segments["plan_tier"]["standard"].result
    # Member A alone: tangibles perceived 4 against 6 (-2), 100 points on tangibles: weighted -2.
    assert (premier.responses, premier.unweighted, premier.weighted) == (1, approx(-0.4), approx(-2.0))
    assert by_dimension(premier, "gap")["tangibles"] == approx(-2.0)
    # Member B alone: reliability 3 against 5.
    assert by_dimension(standard, "gap") == approx(
        {"tangibles": 0.0, "reliability": -2.0, "responsiveness": 0.0, "assurance": 0.0, "empathy": 0.0}
    )
    essential = segments["plan_tier"]["essential"].result
    assert (essential.responses, essential.scored, essential.unweighted) == (0, False, None)
    assert "none" not in segments["plan_tier"]  # every response had a tier
    assert segments["corporate"]["corporate"].result.weighted == approx(-2.0)
    assert segments["corporate"]["individual"].result.responses == 1
    assert segments["site"]["staines"].result.unweighted == approx(-0.4)  # both members
    assert segments["site"]["manchester"].result.responses == 0


def test_responses_without_cover_or_site_are_a_segment_of_their_own(centre, two_members):
    answer(centre.survey, scores(6), scores(6), points())
    segments = {s.name: {seg.key: seg for seg in s.segments} for s in report(centre).segmentations}
    assert segments["plan_tier"]["none"].result.responses == 1
    assert segments["corporate"]["none"].result.responses == 1
    assert segments["site"]["none"].result.unweighted == approx(0.0)


def test_only_responses_in_the_period_count(centre, two_members):
    answer(centre.survey, scores(7), scores(1), points(), submitted_at=timezone.now() - timedelta(days=400))
    assert report(centre).overall.responses == 2
    today = timezone.localdate()
    long_ago = selectors.servqual_report(
        actor=centre.manager, survey=centre.survey, start=today - timedelta(days=401), end=today - timedelta(days=399)
    )
    assert long_ago.overall.responses == 1 and long_ago.overall.unweighted == approx(-6.0)


def test_gap_1_compares_managers_beliefs_with_customers_expectations(centre, two_members):
    """Customers expect 5.5 in every dimension (two_members). Manager 1 believes 7 everywhere, points
    20 each; manager 2 believes 7, but 5 for tangibles and 3 for empathy, points (10, 40, 20, 20, 10).
    Managers' means: tangibles (7 + 5) / 2 = 6, empathy (7 + 3) / 2 = 5, the others 7. Gap 1:
    tangibles 6 - 5.5 = +0.5, empathy 5 - 5.5 = -0.5 (underestimated), the others +1.5.
    Managers' points: tangibles (20 + 10) / 2 = 15, reliability 30, responsiveness 20, assurance 20, empathy 15."""
    manager_answers(centre.study, centre.manager, scores(7), points())
    manager_answers(centre.study, centre.other_manager, scores(7, tangibles=5, empathy=3), points(10, 40, 20, 20, 10))
    gap = report(centre, study=centre.study).knowledge_gap
    rows = {row.dimension: row for row in gap.rows}
    assert (gap.managers, gap.customers) == (2, 2)
    assert {d: r.gap for d, r in rows.items()} == approx(
        {"tangibles": 0.5, "reliability": 1.5, "responsiveness": 1.5, "assurance": 1.5, "empathy": -0.5}
    )
    assert (rows["tangibles"].management, rows["tangibles"].customers) == approx((6.0, 5.5))
    assert {d: r.direction for d, r in rows.items()} == {
        "tangibles": "over", "reliability": "over", "responsiveness": "over", "assurance": "over", "empathy": "under",
    }  # fmt: skip
    assert {d: r.management_points for d, r in rows.items()} == approx(
        {"tangibles": 15, "reliability": 30, "responsiveness": 20, "assurance": 20, "empathy": 15}
    )
    assert rows["reliability"].customer_points == approx(50)
    # The same through the study page's reader.
    start, end = selectors.default_period()
    again = selectors.knowledge_gap_report(
        actor=centre.manager, study=centre.study, survey=centre.survey, start=start, end=end
    )
    assert [r.gap for r in again.rows] == approx([r.gap for r in gap.rows])


def test_gap_1_with_no_manager_answers_has_no_figures(centre, two_members):
    gap = report(centre, study=centre.study).knowledge_gap
    assert gap.managers == 0 and not gap.scored
    assert all(row.customers == approx(5.5) and row.gap is None for row in gap.rows)


def test_a_team_leader_counts_only_responses_tied_to_their_teams(centre, two_members):
    """Panel responses come from no contact, so carry no team: a team leader sees none of them."""
    assert report(centre, actor=centre.leader).overall.responses == 0
    answer(centre.survey, scores(6), scores(5), points(), team=centre.team)
    mine = report(centre, actor=centre.leader).overall
    assert (mine.responses, mine.unweighted) == (1, approx(-1.0))
    assert report(centre).overall.responses == 3  # a manager: every one


def test_the_report_takes_the_same_queries_however_many_responses(centre, django_assert_max_num_queries):
    for _ in range(6):
        answer(centre.survey, scores(6), scores(5), points(), plan_tier="premier", site=centre.staines)
    manager_answers(centre.study, centre.manager, scores(7), points())
    # The reader's permissions (2); overall: means + count; the study: means + count; three
    # segmentations: counts + means, and the sites. None per response.
    with django_assert_max_num_queries(13):
        result = report(centre, study=centre.study)
    assert result.overall.responses == 6
