"""The retention maths and a registration's state, by tables of hand-computed figures (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from staff.rules import employees as rules
from staff.rules.employees import Period, Span

TEN_DAYS = Period(date(2026, 1, 1), date(2026, 1, 10))
# A: there all period (10 person-days). B: leaves on the 5th (5). C: starts on the 6th, leaves on the
# 8th (3; an early leaver, 2 days in). D: starts on the 9th (2). E: left before the period (0).
A = Span(date(2025, 6, 1), site="Staines", team="Claims")
B = Span(date(2025, 6, 1), date(2026, 1, 5), "pay", site="Staines", team="Claims")
C = Span(date(2026, 1, 6), date(2026, 1, 8), "probation", site="Manchester", team="Claims")
D = Span(date(2026, 1, 9), site="Manchester", team="Renewals")
E = Span(date(2025, 1, 1), date(2025, 12, 31), "pay", site="Staines", team="Claims")
EVERYONE = [A, B, C, D, E]


@pytest.mark.parametrize(
    ("expires_on", "state"),
    [
        (None, rules.VALID),
        (date(2026, 11, 22), rules.EXPIRED),  # yesterday
        (date(2026, 11, 23), rules.EXPIRING),  # valid today, its last day
        (date(2027, 1, 22), rules.EXPIRING),  # the 60th day from today
        (date(2027, 1, 23), rules.VALID),  # the 61st
    ],
)
def test_registration_warns_within_60_days_and_once_expired(expires_on, state):
    assert rules.registration_state(expires_on, today=date(2026, 11, 23)) == state


@pytest.mark.parametrize(("span", "days"), [(A, 10), (B, 5), (C, 3), (D, 2), (E, 0)])
def test_days_employed_counts_the_leaving_day_and_the_start_day(span, days):
    assert rules.days_employed(span, TEN_DAYS) == days


@pytest.mark.parametrize(("day", "headcount"), [(date(2026, 1, 5), 2), (date(2026, 1, 6), 2), (date(2026, 1, 9), 2)])
def test_headcount_on_a_day(day, headcount):
    # 5th: A, B (its last day). 6th: A, C. 9th: A, D.
    assert rules.headcount_on(EVERYONE, day) == headcount


def test_attrition_over_a_period_by_hand():
    figures = rules.attrition(EVERYONE, TEN_DAYS)
    assert figures.average_headcount == Decimal("2.00")  # 20 person-days / 10 days
    assert figures.leavers == 2  # B and C (E left before)
    assert figures.attrition_rate == Decimal("100.0")  # 2 / 2.00
    assert figures.starters == 2  # C and D
    assert figures.early_leavers == 1  # C
    assert figures.early_share_of_starters == Decimal("50.0")
    assert figures.early_share_of_leavers == Decimal("50.0")
    # B: 1 June 2025 to 5 January 2026 is 214 + 4 = 218 days; C: 2 days. (218 + 2) / 2.
    assert figures.average_tenure_days == Decimal("110.0")


def test_attrition_with_nobody_employed_has_no_rates():
    figures = rules.attrition([E], TEN_DAYS)
    assert figures.average_headcount == Decimal("0.00")
    assert (figures.leavers, figures.attrition_rate, figures.early_share_of_starters) == (0, None, None)
    assert figures.average_tenure_days is None


def test_attrition_by_site_and_team():
    by_site = {a.key: a for a in rules.attrition_by(EVERYONE, TEN_DAYS, lambda s: s.site)}
    # Staines: A (10) + B (5) = 15 person-days -> 1.50; 1 leaver -> 66.7%. E is in no group: not employed.
    assert by_site["Staines"].average_headcount == Decimal("1.50")
    assert by_site["Staines"].attrition_rate == Decimal("66.7")
    # Manchester: C (3) + D (2) = 5 -> 0.50; 1 leaver -> 200.0%; 1 early leaver of 2 starters.
    assert by_site["Manchester"].attrition_rate == Decimal("200.0")
    assert by_site["Manchester"].early_share_of_starters == Decimal("50.0")
    by_team = {a.key: a for a in rules.attrition_by(EVERYONE, TEN_DAYS, lambda s: (s.site, s.team))}
    assert set(by_team) == {("Staines", "Claims"), ("Manchester", "Claims"), ("Manchester", "Renewals")}
    assert by_team[("Manchester", "Renewals")].attrition_rate == Decimal("0.0")  # 0 of 0.20


@pytest.mark.parametrize(
    ("left_on", "early"),
    [(date(2026, 3, 31), True), (date(2026, 4, 1), False)],  # 89 and 90 days after 1 January
)
def test_early_leaver_is_fewer_than_90_days_after_starting(left_on, early):
    assert rules.is_early_leaver(Span(date(2026, 1, 1), left_on)) is early


def test_leavers_by_reason_most_common_first():
    spans = [
        B,
        C,
        Span(date(2025, 1, 1), date(2026, 1, 2), "probation"),
        Span(date(2025, 1, 1), date(2026, 1, 3), "pay"),
    ]
    assert rules.leavers_by_reason([*spans, E], TEN_DAYS) == {"pay": 2, "probation": 2}
    assert list(rules.leavers_by_reason(spans[:3], TEN_DAYS)) == ["probation", "pay"]


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2026, 1, 2), date(2026, 1, 1))
