"""The stage table and the HR metrics on a fixed data set, every expected figure worked out by hand
(the working is in the comments)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from staff.models.recruitment import Stage
from staff.rules import recruitment as rules
from staff.rules.recruitment import History, Move

S = Stage


@pytest.mark.parametrize(
    ("stage", "allowed"),
    [
        (S.APPLIED, [S.TELEPHONE_SCREENING, S.REJECTED, S.WITHDRAWN]),
        (S.TELEPHONE_SCREENING, [S.ASSESSMENT_CENTRE, S.REJECTED, S.WITHDRAWN]),
        (S.ASSESSMENT_CENTRE, [S.CENTRE_VISIT, S.REJECTED, S.WITHDRAWN]),
        (S.CENTRE_VISIT, [S.OFFER, S.REJECTED, S.WITHDRAWN]),
        (S.OFFER, [S.ACCEPTED, S.DECLINED, S.REJECTED, S.WITHDRAWN]),
        (S.ACCEPTED, [S.HIRED, S.REJECTED, S.WITHDRAWN]),
        (S.HIRED, []),
        (S.DECLINED, []),
        (S.REJECTED, []),
        (S.WITHDRAWN, []),
    ],
)
def test_next_stages_follow_the_case_study_pipeline(stage, allowed):
    assert rules.next_stages(stage) == allowed


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.APPLIED, S.ASSESSMENT_CENTRE, False),  # no skipping the telephone screening
        (S.TELEPHONE_SCREENING, S.APPLIED, False),  # no going back
        (S.ASSESSMENT_CENTRE, S.OFFER, False),  # the centre visit comes first
        (S.CENTRE_VISIT, S.DECLINED, False),  # only an offer can be declined
        (S.OFFER, S.HIRED, False),  # the offer is accepted first
        (S.REJECTED, S.TELEPHONE_SCREENING, False),  # final
        (S.HIRED, S.WITHDRAWN, False),  # final
        (S.ACCEPTED, S.WITHDRAWN, True),
        (S.OFFER, S.DECLINED, True),
    ],
)
def test_can_move_refuses_skips_going_back_and_leaving_a_final_stage(current, target, allowed):
    assert rules.can_move(current, target) is allowed


def test_only_rejection_and_withdrawal_need_a_reason():
    assert {s for s in Stage.values if rules.reason_required(s)} == {S.REJECTED, S.WITHDRAWN}


def at(day: int, hour: int = 9, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)  # January: London is on UTC


def history(applied: datetime, stage: str, source: str, *moves: tuple[str, datetime]) -> History:
    return History(
        applied_at=applied,
        stage=stage,
        source=source,
        vacancy_opened_on=date(2026, 1, 1),
        moves=tuple(Move(to, when) for to, when in moves),
    )


# One vacancy opened on 1 January 2026; six applications.
A = history(at(1), S.HIRED, "careers_site", (S.TELEPHONE_SCREENING, at(3)), (S.ASSESSMENT_CENTRE, at(8)),
            (S.CENTRE_VISIT, at(10)), (S.OFFER, at(12)), (S.ACCEPTED, at(14)), (S.HIRED, at(20)))  # fmt: skip
B = history(at(2), S.ACCEPTED, "referral", (S.TELEPHONE_SCREENING, at(4)), (S.ASSESSMENT_CENTRE, at(6)),
            (S.CENTRE_VISIT, at(9)), (S.OFFER, at(11)), (S.ACCEPTED, at(16, 21)))  # fmt: skip
C = history(at(1), S.DECLINED, "job_board", (S.TELEPHONE_SCREENING, at(2)), (S.ASSESSMENT_CENTRE, at(5)),
            (S.CENTRE_VISIT, at(7)), (S.OFFER, at(10)), (S.DECLINED, at(13)))  # fmt: skip
D = history(at(3), S.REJECTED, "careers_site", (S.TELEPHONE_SCREENING, at(4)), (S.REJECTED, at(6)))
E = history(at(5), S.APPLIED, "careers_site")
F = history(at(4), S.WITHDRAWN, "careers_site", (S.TELEPHONE_SCREENING, at(5)), (S.ASSESSMENT_CENTRE, at(7)),
            (S.WITHDRAWN, at(8)))  # fmt: skip
DATA = [A, B, C, D, E, F]


def test_applicants_per_stage_counts_where_each_application_is_now():
    assert rules.applicants_per_stage(DATA) == {
        S.APPLIED: 1,  # E
        S.TELEPHONE_SCREENING: 0,
        S.ASSESSMENT_CENTRE: 0,
        S.CENTRE_VISIT: 0,
        S.OFFER: 0,
        S.ACCEPTED: 1,  # B
        S.HIRED: 1,  # A
        S.DECLINED: 1,  # C
        S.REJECTED: 1,  # D
        S.WITHDRAWN: 1,  # F
    }


def test_the_funnel_counts_every_application_that_reached_a_stage():
    assert rules.reached_per_stage(DATA) == {
        S.APPLIED: 6,
        S.TELEPHONE_SCREENING: 5,  # all but E
        S.ASSESSMENT_CENTRE: 4,  # A B C F
        S.CENTRE_VISIT: 3,  # A B C
        S.OFFER: 3,
        S.ACCEPTED: 2,  # A B
        S.HIRED: 1,  # A
        S.DECLINED: 1,  # C
    }


def test_stage_conversion_is_the_share_of_those_reaching_a_stage_who_reach_the_next():
    rates = {(c.from_stage, c.to_stage): c.rate for c in rules.stage_conversion(DATA)}
    assert rates == {
        (S.APPLIED, S.TELEPHONE_SCREENING): Decimal("83.3"),  # 5 / 6
        (S.TELEPHONE_SCREENING, S.ASSESSMENT_CENTRE): Decimal("80.0"),  # 4 / 5
        (S.ASSESSMENT_CENTRE, S.CENTRE_VISIT): Decimal("75.0"),  # 3 / 4
        (S.CENTRE_VISIT, S.OFFER): Decimal("100.0"),  # 3 / 3
        (S.OFFER, S.ACCEPTED): Decimal("66.7"),  # 2 / 3
        (S.ACCEPTED, S.HIRED): Decimal("50.0"),  # 1 / 2
    }


def test_conversion_from_a_stage_nobody_reached_is_unknown_not_zero():
    conversion = rules.stage_conversion([E])
    assert conversion[0].rate == Decimal("0.0")  # 0 of 1 screened
    assert conversion[1].rate is None  # 0 of 0


def test_average_time_in_stage_counts_finished_stays_only():
    assert rules.time_in_stage(DATA) == {
        S.APPLIED: Decimal("1.4"),  # A 2, B 2, C 1, D 1, F 1 = 7 / 5 (E still waiting: left out)
        S.TELEPHONE_SCREENING: Decimal("2.8"),  # A 5, B 2, C 3, D 2, F 2 = 14 / 5
        S.ASSESSMENT_CENTRE: Decimal("2.0"),  # A 2, B 3, C 2, F 1 = 8 / 4
        S.CENTRE_VISIT: Decimal("2.3"),  # A 2, B 2, C 3 = 7 / 3 = 2.33
        S.OFFER: Decimal("3.5"),  # A 2, B 5.5 (11th 09:00 to 16th 21:00), C 3 = 10.5 / 3
        S.ACCEPTED: Decimal("6.0"),  # A 6 (B still accepted: left out)
    }


def test_time_to_hire_runs_from_the_application_to_the_offer_accepted():
    # A: 1st 09:00 -> 14th 09:00 = 13 days; B: 2nd 09:00 -> 16th 21:00 = 14.5 days; (13 + 14.5) / 2 = 13.75
    assert rules.time_to_hire(DATA) == Decimal("13.8")


def test_time_to_fill_runs_from_the_vacancy_opening_to_the_offer_accepted():
    # Opened 1st: A accepted on the 14th (13 days), B on the 16th (15 days): 14
    assert rules.time_to_fill(DATA) == Decimal("14.0")


def test_time_to_fill_counts_the_local_day_of_acceptance():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): 30 days after 1 June.
    accepted_late = History(
        applied_at=datetime(2026, 6, 2, 9, tzinfo=UTC),
        stage=S.ACCEPTED,
        vacancy_opened_on=date(2026, 6, 1),
        moves=(Move(S.ACCEPTED, datetime(2026, 6, 30, 23, 30, tzinfo=UTC)),),
    )
    assert rules.time_to_fill([accepted_late]) == Decimal("30.0")


def test_offer_acceptance_rate_is_accepted_over_accepted_and_declined():
    assert rules.offer_acceptance_rate(DATA) == Decimal("66.7")  # A and B accepted, C declined: 2 / 3
    assert rules.offer_acceptance_rate([D, E]) is None  # no offer answered yet


def test_source_of_hire_counts_hires_by_source_most_first():
    hired = [history(at(1), S.HIRED, source) for source in ("referral", "careers_site", "referral", "agency")]
    assert list(rules.source_of_hire(hired).items()) == [("referral", 2), ("agency", 1), ("careers_site", 1)]
    assert rules.source_of_hire(DATA) == {"careers_site": 1}  # only A is hired


def test_metrics_with_no_applications_have_no_figures():
    empty = rules.metrics([])
    assert empty.applications == 0
    assert empty.time_to_hire is None and empty.time_to_fill is None and empty.offer_acceptance_rate is None
    assert all(c.rate is None for c in empty.conversion)
