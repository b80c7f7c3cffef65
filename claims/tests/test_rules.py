"""The cover-check engine and settlement maths, table-driven, no database."""

from datetime import date
from decimal import Decimal as D

import pytest

from claims.rules import (
    Authorisation,
    BenefitTerms,
    ClaimLineInput,
    ConditionHistory,
    CoverRequest,
    Decision,
    ExcessBasis,
    Exclusion,
    MemberTerms,
    PolicyTerms,
    Reason,
    Underwriting,
    Usage,
    check_cover,
    icd10_matches,
    moratorium_clear_from,
    policy_year_start,
    settle,
)

BENEFITS = {
    "outpatient": BenefitTerms("outpatient", annual_limit=D("1000.00"), per_event_limit=D("250.00")),
    "inpatient": BenefitTerms("inpatient", annual_limit=None, pre_authorisation_required=True),
    "therapies": BenefitTerms("therapies", annual_limit=D("500.00"), waiting_period_days=90),
}
POLICY = PolicyTerms(
    active=True,
    start=date(2025, 1, 1),
    end=date(2025, 12, 31),
    underwriting=Underwriting.FULL_MEDICAL,
    excess=D("100.00"),
    excess_basis=ExcessBasis.POLICY_YEAR,
    benefits=BENEFITS,
)
MORATORIUM = PolicyTerms(**{**POLICY.__dict__, "underwriting": Underwriting.MORATORIUM})
MEMBER = MemberTerms(joined=date(2025, 1, 1), covered_from=date(2025, 1, 1))
EXCLUDED = MemberTerms(
    joined=date(2025, 1, 1), covered_from=date(2025, 1, 1), exclusions=(Exclusion("Osteoarthritis of the knee", "M17"),)
)
INPATIENT_OK = Authorisation("inpatient", date(2025, 1, 1), date(2025, 12, 31), D("100000.00"))
KNEE_HISTORY = ConditionHistory("Knee pain", "M25.56", (date(2023, 5, 1),))


def ask(
    category="inpatient",
    on=date(2025, 6, 1),
    cost="2000",
    icd10="",
    recognised=True,
    policy=POLICY,
    member=MEMBER,
    usage=Usage(),
):
    return check_cover(CoverRequest(category, on, D(cost), icd10, recognised), policy, member, usage)


@pytest.mark.parametrize(
    ("case", "kwargs", "decision", "insurer", "reasons"),
    [
        (
            "covered, excess once",
            {},
            Decision.COVERED,
            "1900.00",
            [Reason.COVERED, Reason.EXCESS_TO_PAY, Reason.PRE_AUTHORISATION_REQUIRED],
        ),
        ("no policy", {"policy": None}, Decision.NOT_COVERED, "0.00", [Reason.NO_ACTIVE_POLICY]),
        (
            "lapsed policy",
            {"policy": PolicyTerms(**{**POLICY.__dict__, "active": False})},
            Decision.NOT_COVERED,
            "0.00",
            [Reason.NO_ACTIVE_POLICY],
        ),
        ("after the policy ended", {"on": date(2026, 1, 1)}, Decision.NOT_COVERED, "0.00", [Reason.NO_ACTIVE_POLICY]),
        (
            "last day of cover",
            {"on": date(2025, 12, 31)},
            Decision.COVERED,
            "1900.00",
            [Reason.COVERED, Reason.EXCESS_TO_PAY, Reason.PRE_AUTHORISATION_REQUIRED],
        ),
        (
            "member left the policy",
            {"member": MemberTerms(**{**MEMBER.__dict__, "covered_to": date(2025, 5, 31)})},
            Decision.NOT_COVERED,
            "0.00",
            [Reason.NO_ACTIVE_POLICY],
        ),
        ("benefit not in plan", {"category": "dental"}, Decision.NOT_COVERED, "0.00", [Reason.BENEFIT_NOT_IN_PLAN]),
        (
            "day before the waiting period ends",
            {"category": "therapies", "on": date(2025, 3, 31), "cost": "300"},
            Decision.NOT_COVERED,
            "0.00",
            [Reason.WAITING_PERIOD],
        ),
        (
            "day the waiting period ends",
            {"category": "therapies", "on": date(2025, 4, 1), "cost": "300"},
            Decision.COVERED,
            "200.00",
            [Reason.COVERED, Reason.EXCESS_TO_PAY],
        ),
        (
            "excluded condition by ICD-10 prefix",
            {"icd10": "M17.1", "member": EXCLUDED},
            Decision.NOT_COVERED,
            "0.00",
            [Reason.EXCLUDED_CONDITION],
        ),
        (
            "unrelated diagnosis",
            {"icd10": "K40.9", "member": EXCLUDED},
            Decision.COVERED,
            "1900.00",
            [Reason.COVERED, Reason.EXCESS_TO_PAY, Reason.PRE_AUTHORISATION_REQUIRED],
        ),
        (
            "provider not recognised",
            {"recognised": False},
            Decision.NOT_COVERED,
            "0.00",
            [Reason.PROVIDER_NOT_RECOGNISED],
        ),
        (
            "every blocking reason at once",
            {"category": "therapies", "on": date(2025, 2, 1), "icd10": "M17", "recognised": False, "member": EXCLUDED},
            Decision.NOT_COVERED,
            "0.00",
            [Reason.WAITING_PERIOD, Reason.EXCLUDED_CONDITION, Reason.PROVIDER_NOT_RECOGNISED],
        ),
        (
            "per-event limit caps the insurer's share",
            {"category": "outpatient", "cost": "600"},
            Decision.PARTLY_COVERED,
            "250.00",
            [Reason.PER_EVENT_LIMIT, Reason.EXCESS_TO_PAY],
        ),
        (
            "annual limit reached to the last penny",
            {"category": "outpatient", "cost": "200", "usage": Usage({"outpatient": D("1000.00")}, D("100"))},
            Decision.NOT_COVERED,
            "0.00",
            [Reason.ANNUAL_LIMIT_REACHED],
        ),
        (
            "one penny of the annual limit left",
            {"category": "outpatient", "cost": "200", "usage": Usage({"outpatient": D("999.99")}, D("100"))},
            Decision.PARTLY_COVERED,
            "0.01",
            [Reason.ANNUAL_LIMIT_PARTLY_USED],
        ),
        (
            "excess already paid this policy year",
            {"usage": Usage({}, D("100.00"))},
            Decision.COVERED,
            "2000.00",
            [Reason.COVERED, Reason.PRE_AUTHORISATION_REQUIRED],
        ),
        (
            "excess partly paid",
            {"usage": Usage({}, D("60.00"))},
            Decision.COVERED,
            "1960.00",
            [Reason.COVERED, Reason.EXCESS_TO_PAY, Reason.PRE_AUTHORISATION_REQUIRED],
        ),
        (
            "cost within the excess",
            {"cost": "80"},
            Decision.COVERED,
            "0.00",
            [Reason.COVERED, Reason.EXCESS_TO_PAY, Reason.PRE_AUTHORISATION_REQUIRED],
        ),
    ],
)
def test_cover_check(case, kwargs, decision, insurer, reasons):
    result = ask(**kwargs)
    assert (result.decision, result.insurer_pays, result.reasons) == (decision, D(insurer), reasons), case
    assert result.insurer_pays + result.member_pays == D(kwargs.get("cost", "2000")).quantize(D("0.01"))


@pytest.mark.parametrize(
    ("on", "covered"),
    [
        (date(2026, 12, 31), False),  # one day short of two clear years of membership
        (date(2027, 1, 1), True),  # two clear years: covered from this day
    ],
)
def test_moratorium_two_year_clock_from_joining(on, covered):
    policy = PolicyTerms(**{**MORATORIUM.__dict__, "end": date(2030, 12, 31)})
    member = MemberTerms(joined=date(2025, 1, 1), covered_from=date(2025, 1, 1), history=(KNEE_HISTORY,))
    result = ask(on=on, icd10="M25.56", policy=policy, member=member)
    assert (result.decision != Decision.NOT_COVERED) is covered
    if not covered:
        assert result.findings[0].reason == Reason.MORATORIUM
        assert result.findings[0].params["clear_from"] == "2027-01-01"


def test_moratorium_clock_restarts_after_symptoms_during_membership():
    joined = date(2025, 1, 1)
    history = [date(2022, 3, 1), date(2025, 6, 1)]  # before joining, and again in the first year
    assert moratorium_clear_from(joined, history, before=date(2028, 1, 1)) == date(2027, 6, 2)


def test_condition_last_seen_more_than_five_years_before_joining_is_not_pre_existing():
    assert moratorium_clear_from(date(2025, 1, 1), [date(2019, 12, 31)], before=date(2025, 6, 1)) is None
    assert moratorium_clear_from(date(2025, 1, 1), [date(2020, 1, 1)], before=date(2025, 6, 1)) == date(2027, 1, 1)


def test_full_medical_underwriting_ignores_the_moratorium_history():
    member = MemberTerms(joined=date(2025, 1, 1), covered_from=date(2025, 1, 1), history=(KNEE_HISTORY,))
    assert ask(icd10="M25.56", member=member).decision == Decision.COVERED


@pytest.mark.parametrize(
    ("rule", "diagnosis", "matches"),
    [
        ("M17", "M17.1", True),
        ("m17", "M171", True),
        ("M17.1", "M17", True),
        ("M17.1", "M17.2", False),
        ("M17", "M18", False),
        ("", "M17", False),
    ],
)
def test_icd10_prefix_matching(rule, diagnosis, matches):
    assert icd10_matches(rule, diagnosis) is matches


@pytest.mark.parametrize(
    ("start", "on", "year_start"),
    [
        (date(2024, 3, 15), date(2025, 3, 14), date(2024, 3, 15)),
        (date(2024, 3, 15), date(2025, 3, 15), date(2025, 3, 15)),
        (date(2024, 2, 29), date(2025, 3, 1), date(2025, 2, 28)),
    ],
)
def test_policy_year_starts_on_the_anniversary(start, on, year_start):
    assert policy_year_start(start, on) == year_start


def test_settlement_takes_the_excess_once_across_lines_and_claims():
    lines = [
        ClaimLineInput("outpatient", date(2025, 6, 1), D("150")),
        ClaimLineInput("outpatient", date(2025, 6, 8), D("150")),
    ]
    first = settle(lines, POLICY, MEMBER, Usage(), provider_recognised=True)
    assert [line.approved for line in first.lines] == [D("50.00"), D("150.00")]
    assert first.excess == D("100.00")
    # A later claim in the same policy year pays no excess, and counts what was already paid.
    second = settle(
        [ClaimLineInput("outpatient", date(2025, 7, 1), D("200"))],
        POLICY,
        MEMBER,
        Usage({"outpatient": first.payable}, first.excess),
        provider_recognised=True,
    )
    assert (second.payable, second.excess) == (D("200.00"), D("0.00"))


def test_settlement_applies_limits_net_of_earlier_payments_and_approves_partly():
    lines = [
        ClaimLineInput("outpatient", date(2025, 6, 1), D("240")),
        ClaimLineInput("outpatient", date(2025, 6, 2), D("240")),
    ]
    result = settle(lines, POLICY, MEMBER, Usage({"outpatient": D("800.00")}, D("100")), provider_recognised=True)
    assert [line.approved for line in result.lines] == [D("200.00"), D("0.00")]
    assert result.payable == D("200.00") and result.claimed == D("480.00")


def test_per_claim_excess_is_taken_once_per_claim():
    per_claim = PolicyTerms(**{**POLICY.__dict__, "excess_basis": ExcessBasis.PER_CLAIM})
    lines = [
        ClaimLineInput("inpatient", date(2025, 6, 1), D("500")),
        ClaimLineInput("inpatient", date(2025, 6, 1), D("500")),
    ]
    result = settle(lines, per_claim, MEMBER, Usage({}, D("100")), provider_recognised=True, authorisation=INPATIENT_OK)
    assert result.excess == D("100.00") and result.payable == D("900.00")


def test_settlement_refuses_lines_that_are_not_covered():
    lines = [
        ClaimLineInput("inpatient", date(2025, 6, 1), D("500"), icd10="M17.0"),
        ClaimLineInput("inpatient", date(2025, 6, 1), D("500")),
    ]
    result = settle(lines, POLICY, EXCLUDED, Usage(), provider_recognised=True, authorisation=INPATIENT_OK)
    assert [line.approved for line in result.lines] == [D("0.00"), D("400.00")]
    assert result.lines[0].findings[0].reason == Reason.EXCLUDED_CONDITION


def test_a_line_without_its_pre_authorisation_pays_nothing_and_takes_no_excess():
    lines = [
        ClaimLineInput("inpatient", date(2025, 6, 1), D("500")),
        ClaimLineInput("outpatient", date(2025, 6, 2), D("200")),
    ]
    result = settle(lines, POLICY, MEMBER, Usage(), provider_recognised=True)
    assert result.lines[0].findings[0].reason == Reason.PRE_AUTHORISATION_MISSING
    assert [(line.approved, line.excess) for line in result.lines] == [
        (D("0.00"), D("0.00")),
        (D("100.00"), D("100.00")),
    ]


def test_lines_under_a_pre_authorisation_pay_no_more_than_the_amount_authorised():
    authorised = Authorisation("inpatient", date(2025, 5, 25), date(2025, 8, 31), D("900.00"))
    lines = [
        ClaimLineInput("inpatient", date(2025, 6, 1), D("700")),
        ClaimLineInput("inpatient", date(2025, 6, 2), D("700")),
    ]
    result = settle(lines, POLICY, MEMBER, Usage({}, D("100")), provider_recognised=True, authorisation=authorised)
    assert [line.approved for line in result.lines] == [D("700.00"), D("200.00")]
    assert result.lines[1].findings[-1].reason == Reason.PRE_AUTHORISATION_AMOUNT


def test_an_authorisation_outside_its_dates_does_not_count():
    authorised = Authorisation("inpatient", date(2025, 7, 1), date(2025, 8, 31), D("900.00"))
    result = settle(
        [ClaimLineInput("inpatient", date(2025, 6, 1), D("700"))],
        POLICY,
        MEMBER,
        Usage(),
        provider_recognised=True,
        authorisation=authorised,
    )
    assert result.payable == D("0.00")


def test_moratorium_once_cleared_stays_cleared_despite_later_symptoms():
    history = [date(2016, 6, 1), date(2022, 3, 1)]  # before joining in 2018, and long after the clear years
    assert moratorium_clear_from(date(2018, 1, 1), history, before=date(2023, 1, 1)) == date(2020, 1, 1)


def test_every_reason_has_plain_words():
    from claims.wording import describe

    params = {
        "date": "2026-01-01",
        "category": "outpatient",
        "ends": "2026-01-01",
        "days": "90",
        "condition": "X",
        "icd10": "M17",
        "clear_from": "2026-01-01",
        "limit": "1.00",
        "remaining": "1.00",
        "amount": "1.00",
        "conditions": "X",
    }
    for reason in Reason:
        assert describe(reason, params) != reason.value, reason


def test_without_a_diagnosis_the_agent_is_told_which_conditions_to_ask_about():
    uncoded = MemberTerms(
        joined=date(2025, 1, 1),
        covered_from=date(2025, 1, 1),
        exclusions=(Exclusion("Osteoarthritis of the knee", "M17"), Exclusion("Back problems")),
    )
    result = ask(member=uncoded)
    assert result.decision == Decision.COVERED
    assert result.findings[-1].reason == Reason.DIAGNOSIS_NEEDED
    assert result.findings[-1].params["conditions"] == "Back problems, Osteoarthritis of the knee"
    # With a code, a coded exclusion is decided, and only the uncoded one remains to ask about.
    coded = ask(member=uncoded, icd10="K40.9")
    assert coded.findings[-1].params["conditions"] == "Back problems"
    moratorium = MemberTerms(joined=date(2025, 1, 1), covered_from=date(2025, 1, 1), history=(KNEE_HISTORY,))
    assert ask(policy=MORATORIUM, member=moratorium).findings[-1].params["conditions"] == "Knee pain"
