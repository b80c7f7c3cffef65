"""The results' figures on the fixed responses of conftest.py, worked out by hand; who sees what."""

import pytest
from django.utils import translation

from surveys.selectors.results import (
    ResultFilters,
    period_starts,
    results_summary,
    results_table,
    results_trend,
    verbatim_list,
)

from .conftest import END, START

pytestmark = pytest.mark.django_db

FORTNIGHT = ResultFilters(start=START, end=END)


def figures(row):
    """(n, CSAT %, NPS, NPS margin, CES mean, easy %), rounded to 2 places."""

    def r(value):
        return None if value is None else round(value, 2)

    return (
        row.responses,
        r(row.csat.score),
        r(row.nps.score),
        r(row.nps.margin),
        r(row.ces.score),
        r(row.ces.easy_share),
    )


def by_key(rows):
    return {row.key: row for row in rows}


def test_totals_for_a_manager_count_the_ten_post_contact_responses_of_the_fortnight(centre):
    [total] = results_table(actor=centre.manager, filters=FORTNIGHT, group_by=None)
    # CSAT: 5 4 3 2 1 5 4 5 2 4 -> satisfied (4-5) #1 #2 #6 #7 #8 #10 = 6 of 10 = 60%.
    assert (total.csat.responses, total.csat.satisfied) == (10, 6)
    # NPS: #10 did not answer; 10 9 8 6 0 7 10 9 3 -> promoters 4 (10 9 10 9), detractors 3 (6 0 3),
    # passives 2 (8 7): NPS = 100 x (4 - 3) / 9 = 11.11.
    assert (total.nps.responses, total.nps.promoters, total.nps.detractors, total.nps.passives) == (9, 4, 3, 2)
    # Margin: p = 4/9, d = 3/9; p + d - (p - d)^2 = 7/9 - 1/81 = 62/81; 1.96 x 100 x sqrt(62/81/9) = 57.16.
    # CES: #6 did not answer; 7 5 4 2 1 6 3 2 5 -> sum 35 of 9 = 3.89; easy (5-7) 7 5 6 5 = 4 of 9 = 44.44%.
    assert (total.ces.responses, total.ces.total, total.ces.easy) == (9, 35, 4)
    assert figures(total) == (10, 60.0, 11.11, 57.16, 3.89, 44.44)
    assert total.small_sample  # 10 < 30


def test_by_team_each_team_has_its_own_figures(centre):
    rows = by_key(results_table(actor=centre.manager, filters=FORTNIGHT, group_by="team"))
    cover, claims, north = (rows[str(centre.teams[name].pk)] for name in ("cover", "claims", "north"))
    # Cover (#1-#6): CSAT 5 4 3 2 1 5 -> 3/6 = 50%; NPS 10 9 8 6 0 7 -> P2 D2 of 6 = 0, margin
    # 196 x sqrt((2/3 - 0) / 6) = 65.33; CES 7 5 4 2 1 -> 19/5 = 3.8, easy 2/5 = 40%.
    assert figures(cover) == (6, 50.0, 0.0, 65.33, 3.8, 40.0)
    # Claims (#7 #8): CSAT 4 5 -> 100%; NPS 10 9 -> 100, margin 196 x sqrt((1 - 1) / 2) = 0;
    # CES 6 3 -> 4.5, easy 1/2 = 50%.
    assert figures(claims) == (2, 100.0, 100.0, 0.0, 4.5, 50.0)
    # North (#9 #10): CSAT 2 4 -> 50%; NPS 3 (one answer) -> -100, margin 0; CES 2 5 -> 3.5, easy 50%.
    assert figures(north) == (2, 50.0, -100.0, 0.0, 3.5, 50.0)
    assert [row.label for row in rows.values()] == ["Claims", "Cover", "North"]


def test_by_agent(centre):
    rows = by_key(results_table(actor=centre.manager, filters=FORTNIGHT, group_by="agent"))
    amira, ben = rows[str(centre.agents["amira"].pk)], rows[str(centre.agents["ben"].pk)]
    # Amira (#1-#4): CSAT 5 4 3 2 -> 2/4 = 50%; NPS 10 9 8 6 -> P2 D1 of 4 = 25, margin: p = .5,
    # d = .25, .75 - .0625 = .6875, 196 x sqrt(.6875 / 4) = 81.26; CES 7 5 4 2 -> 4.5, easy 2/4 = 50%.
    assert figures(amira) == (4, 50.0, 25.0, 81.26, 4.5, 50.0)
    # Ben (#5 #6): CSAT 1 5 -> 50%; NPS 0 7 -> P0 D1 of 2 = -50, margin: .5 - .25 = .25,
    # 196 x sqrt(.25 / 2) = 69.30; CES 1 (#6 none) -> 1.0, easy 0%.
    assert figures(ben) == (2, 50.0, -50.0, 69.3, 1.0, 0.0)
    assert rows[str(centre.agents["amira"].pk)].label == "Amira Agent"


def test_by_queue_and_site(centre):
    queues = by_key(results_table(actor=centre.manager, filters=FORTNIGHT, group_by="queue"))
    # General (#1 #2 #5 #6 #9 #10): CSAT 5 4 1 5 2 4 -> 4/6 = 66.67%; NPS 10 9 0 7 3 -> P2 D2 of 5 = 0,
    # margin 196 x sqrt(.8 / 5) = 78.4; CES 7 5 1 2 5 -> 20/5 = 4.0, easy 3/5 = 60%.
    assert figures(queues[str(centre.queues["general"].pk)]) == (6, 66.67, 0.0, 78.4, 4.0, 60.0)
    # Claims line (#3 #4 #7 #8): CSAT 3 2 4 5 -> 50%; NPS 8 6 10 9 -> P2 D1 of 4 = 25 (margin as Amira's);
    # CES 4 2 6 3 -> 3.75, easy 1/4 = 25%.
    assert figures(queues[str(centre.queues["claims"].pk)]) == (4, 50.0, 25.0, 81.26, 3.75, 25.0)
    sites = by_key(results_table(actor=centre.manager, filters=FORTNIGHT, group_by="site"))
    # Staines (#1-#8): CSAT 5 4 3 2 1 5 4 5 -> 5/8 = 62.5%; NPS 10 9 8 6 0 7 10 9 -> P4 D2 of 8 = 25,
    # margin: .75 - .0625 = .6875, 196 x sqrt(.6875 / 8) = 57.46; CES 7 5 4 2 1 6 3 -> 28/7 = 4.0, easy 3/7.
    assert figures(sites[str(centre.staines.pk)]) == (8, 62.5, 25.0, 57.46, 4.0, 42.86)
    assert figures(sites[str(centre.manchester.pk)]) == (2, 50.0, -100.0, 0.0, 3.5, 50.0)


def test_by_plan_tier_with_the_responses_without_a_plan_last(centre):
    rows = results_table(actor=centre.manager, filters=FORTNIGHT, group_by="plan_tier")
    assert [row.key for row in rows] == ["essential", "premier", "standard", "none"]
    tiers = by_key(rows)
    # Premier (#1 #2 #8): CSAT 5 4 5 -> 100%; NPS 10 9 9 -> 100; CES 7 5 3 -> 5.0, easy 2/3.
    assert figures(tiers["premier"]) == (3, 100.0, 100.0, 0.0, 5.0, 66.67)
    # Standard (#3 #4 #7 #10): CSAT 3 2 4 4 -> 2/4 = 50%; NPS 8 6 10 -> P1 D1 of 3 = 0, margin:
    # 2/3 - 0, 196 x sqrt((2/3) / 3) = 92.40; CES 4 2 6 5 -> 17/4 = 4.25, easy 2/4 = 50%.
    assert figures(tiers["standard"]) == (4, 50.0, 0.0, 92.4, 4.25, 50.0)
    # Essential (#5 #9): CSAT 1 2 -> 0%; NPS 0 3 -> -100; CES 1 2 -> 1.5, easy 0%.
    assert figures(tiers["essential"]) == (2, 0.0, -100.0, 0.0, 1.5, 0.0)
    # No plan (#6): CSAT 5; NPS 7 (a passive) -> 0, margin 0; no CES at all -> no mean, no share.
    assert figures(tiers["none"]) == (1, 100.0, 0.0, 0.0, None, None)
    assert tiers["none"].label == "No plan recorded"


def test_corporate_against_individual(centre):
    rows = by_key(results_table(actor=centre.manager, filters=FORTNIGHT, group_by="corporate"))
    # Corporate (#1 #2 #7 #10): CSAT 5 4 4 4 -> 100%; NPS 10 9 10 -> 100; CES 7 5 6 5 -> 23/4 = 5.75, all easy.
    assert figures(rows["true"]) == (4, 100.0, 100.0, 0.0, 5.75, 100.0)
    # Individual (#3 #4 #5 #8 #9): CSAT 3 2 1 5 2 -> 1/5 = 20%; NPS 8 6 0 9 3 -> P1 D3 of 5 = -40,
    # margin: .8 - .16 = .64, 196 x sqrt(.64 / 5) = 70.12; CES 4 2 1 3 2 -> 12/5 = 2.4, easy 0%.
    assert figures(rows["false"]) == (5, 20.0, -40.0, 70.12, 2.4, 0.0)
    assert (rows["true"].label, rows["false"].label, rows["none"].label) == ("Corporate", "Individual", "Not known")


def test_by_week_and_by_month(centre):
    weeks = results_table(actor=centre.manager, filters=FORTNIGHT, group_by="week")
    assert [row.key for row in weeks] == ["2026-03-02", "2026-03-09"]
    # Week of 2 March (#1 #2 #3 #7): CSAT 5 4 3 4 -> 75%; NPS 10 9 8 10 -> P3 D0 of 4 = 75, margin:
    # .75 - .5625 = .1875, 196 x sqrt(.1875 / 4) = 42.44; CES 7 5 4 6 -> 5.5, easy 3/4.
    assert figures(weeks[0]) == (4, 75.0, 75.0, 42.44, 5.5, 75.0)
    # Week of 9 March (#4 #5 #6 #8 #9 #10, #10 at 23:30 on the Sunday): CSAT 2 1 5 5 2 4 -> 50%;
    # NPS 6 0 7 9 3 -> P1 D3 of 5 = -40 (margin as individual members'); CES 2 1 3 2 5 -> 2.6, easy 1/5.
    assert figures(weeks[1]) == (6, 50.0, -40.0, 70.12, 2.6, 20.0)
    months = results_table(
        actor=centre.manager,
        filters=ResultFilters(start=START.replace(day=1), end=END.replace(day=31)),
        group_by="month",
    )
    # March: the ten, the one on 1 March and the one on 16 March.
    assert [(row.key, row.responses) for row in months] == [("2026-03-01", 12)]


def test_the_period_runs_from_the_first_day_to_the_end_of_the_last_in_local_time(centre):
    day = ResultFilters(start=END, end=END)
    [total] = results_table(actor=centre.manager, filters=day, group_by=None)
    assert total.responses == 1  # #10 at 23:30 on 15 March; not the one at 00:10 on the 16th


def test_in_british_summer_time_a_day_is_the_local_day_not_the_utc_one(centre):
    """15 July is BST (UTC+1): 23:30 local is 22:30 UTC and 00:10 on the 16th local is 23:10 UTC on the
    15th. A day counted in UTC would take both; the local 15 July takes only the first."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from surveys.services.responses import response_submit
    from surveys.tests.factories import handled_contact

    london = ZoneInfo("Europe/London")
    for moment in (datetime(2026, 7, 15, 23, 30, tzinfo=london), datetime(2026, 7, 16, 0, 10, tzinfo=london)):
        response_submit(
            survey=centre.survey,
            values={"csat": 5, "ces": 7, "nps": 10},
            source="api",
            contact=handled_contact(),
            submitted_at=moment,
        )
    day = ResultFilters(start=date(2026, 7, 15), end=date(2026, 7, 15))
    [total] = results_table(actor=centre.manager, filters=day, group_by=None)
    assert total.responses == 1


def test_a_questionnaire_counts_only_when_it_is_chosen(centre):
    chosen = ResultFilters(start=START, end=END, survey_id=centre.questionnaire.pk)
    [total] = results_table(actor=centre.manager, filters=chosen, group_by=None)
    assert (total.responses, total.csat.satisfied, total.nps.detractors) == (1, 0, 1)


def test_filters_narrow_the_responses(centre):
    def total(**kwargs):
        return results_table(
            actor=centre.manager, filters=ResultFilters(start=START, end=END, **kwargs), group_by=None
        )[0].responses

    assert total(site_id=centre.manchester.pk) == 2
    assert total(team_id=centre.teams["cover"].pk) == 6
    assert total(queue_id=centre.queues["claims"].pk) == 4
    assert total(agent_id=centre.agents["ben"].pk) == 2
    assert total(plan_tier="premier") == 3
    assert total(corporate=False) == 5
    assert total(team_id=centre.teams["cover"].pk, corporate=True) == 2  # #1 #2


def test_a_team_leader_sees_only_their_teams_responses(centre):
    leader = centre.leaders["cover"]
    [total] = results_table(actor=leader, filters=FORTNIGHT, group_by=None)
    assert figures(total) == (6, 50.0, 0.0, 65.33, 3.8, 40.0)  # Cover's figures, above
    teams = results_table(actor=leader, filters=FORTNIGHT, group_by="team")
    assert [row.key for row in teams] == [str(centre.teams["cover"].pk)]
    # Asking for another team gives nothing, not that team's figures.
    other = ResultFilters(start=START, end=END, team_id=centre.teams["north"].pk)
    assert results_table(actor=leader, filters=other, group_by=None)[0].responses == 0


def test_an_agent_sees_no_results(centre):
    [total] = results_table(actor=centre.agent_user, filters=FORTNIGHT, group_by=None)
    assert total.responses == 0 and total.csat.score is None and total.nps.margin is None


def test_response_rate_is_the_share_of_invitations_sent_in_the_period_that_were_answered(centre):
    summary = results_summary(actor=centre.manager, filters=FORTNIGHT)
    # Sent in the fortnight: 4 for Cover (3 answered) and 1 for Claims; not the one sent on 1 March,
    # nor the one never sent: 3 of 5 = 60%.
    assert (summary.invitations_sent, summary.invitations_answered, summary.response_rate) == (5, 3, 60.0)
    leader = results_summary(actor=centre.leaders["cover"], filters=FORTNIGHT)
    assert (leader.invitations_sent, leader.invitations_answered, leader.response_rate) == (4, 3, 75.0)
    by_tier = results_summary(actor=centre.manager, filters=ResultFilters(start=START, end=END, plan_tier="premier"))
    assert by_tier.response_rate is None  # an invitation does not record the member's plan


def test_closed_loop_rate_and_the_share_closed_on_time(centre):
    summary = results_summary(actor=centre.manager, filters=FORTNIGHT)
    # Opened in the fortnight: #4 (closed on time), #5 (closed late), #9 (open, overdue); not the one
    # opened on 16 March. Closed 2 of 3 = 66.67%; on time 1 of the 2 closed = 50%.
    assert (summary.loops_opened, summary.loops_closed, summary.loops_closed_on_time, summary.loops_overdue) == (
        3, 2, 1, 1,
    )  # fmt: skip
    assert (round(summary.loop_rate, 2), summary.on_time_share) == (66.67, 50.0)
    leader = results_summary(actor=centre.leaders["cover"], filters=FORTNIGHT)
    assert (leader.loops_opened, leader.loops_closed, leader.loop_rate, leader.loops_overdue) == (2, 2, 100.0, 0)


def test_the_trend_has_every_week_of_the_period_even_the_empty_ones(centre):
    three_weeks = ResultFilters(start=START, end=END.replace(day=22))
    trend = results_trend(actor=centre.manager, filters=three_weeks, by="week")
    assert [(first.isoformat(), row.responses if row else 0) for first, row in trend] == [
        ("2026-03-02", 4), ("2026-03-09", 6), ("2026-03-16", 1),
    ]  # fmt: skip
    assert [d.isoformat() for d in period_starts("month", START, END.replace(month=5))] == [
        "2026-03-01", "2026-04-01", "2026-05-01",
    ]  # fmt: skip


def test_labels_are_in_the_readers_language(centre):
    with translation.override("ar"):
        rows = results_table(actor=centre.manager, filters=FORTNIGHT, group_by="team")
    assert "التغطية" in [row.label for row in rows]


def test_verbatims_are_the_comments_of_the_visible_responses_newest_first(centre):
    texts = [a.text for a in verbatim_list(actor=centre.manager, filters=FORTNIGHT)]
    assert texts == [
        "Waited forty minutes.",
        "Rude and slow.",
        "Cut off twice, nobody rang back.",
        "Sorted my claim in one call",
        "Fine, but a long wait.",
        "Quick and kind.",
    ]
    leader = [a.text for a in verbatim_list(actor=centre.leaders["cover"], filters=FORTNIGHT)]
    assert leader == ["Rude and slow.", "Cut off twice, nobody rang back.", "Fine, but a long wait.", "Quick and kind."]


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("detractor", {"Waited forty minutes.", "Rude and slow.", "Cut off twice, nobody rang back."}),
        ("passive", {"Fine, but a long wait."}),  # NPS 8
        ("promoter", {"Sorted my claim in one call", "Quick and kind."}),
        ("dissatisfied", {"Waited forty minutes.", "Rude and slow.", "Cut off twice, nobody rang back."}),
    ],
)
def test_verbatims_by_score_band(centre, band, expected):
    assert {a.text for a in verbatim_list(actor=centre.manager, filters=FORTNIGHT, band=band)} == expected


def test_verbatims_by_words_and_by_theme(centre, user_factory):
    from surveys.models import Answer, CommentCode
    from surveys.tests.factories import ThemeFactory

    assert [a.text for a in verbatim_list(actor=centre.manager, filters=FORTNIGHT, search="WAIT")] == [
        "Waited forty minutes.",
        "Fine, but a long wait.",
    ]
    waiting = ThemeFactory(code="waiting", name="Waiting")
    for text in ("Waited forty minutes.", "Fine, but a long wait."):
        CommentCode.objects.create(answer=Answer.objects.get(text=text), theme=waiting, coded_by=centre.manager)
    coded = verbatim_list(actor=centre.manager, filters=FORTNIGHT, theme_id=waiting.pk, band="detractor")
    assert [a.text for a in coded] == ["Waited forty minutes."]
