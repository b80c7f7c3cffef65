"""The survey arithmetic against hand-worked examples (../shared/domain.md "Measuring satisfaction")."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from surveys.rules import scores, servqual
from surveys.rules.coding import suggest_themes
from surveys.rules.sampling import SamplingFacts, in_sample, skip_reason

NOW = datetime(2026, 11, 23, 12, 0)


def test_nps_of_the_worked_example_is_35_with_its_margin():
    nps = scores.Nps(responses=200, promoters=110, detractors=40)
    assert nps.passives == 50
    assert nps.score == pytest.approx(35.0)
    # 1.96 x 100 x sqrt((0.55 + 0.20 - 0.35^2) / 200) = 1.96 x 100 x sqrt(0.6275 / 200)
    assert nps.margin == pytest.approx(10.979, abs=0.001)


def test_nps_runs_from_minus_100_to_100_and_is_empty_without_responses():
    assert scores.Nps(responses=4, promoters=0, detractors=4).score == -100
    assert scores.Nps(responses=4, promoters=4, detractors=0).score == 100
    assert scores.Nps(responses=4, promoters=4, detractors=0).margin == 0
    assert scores.Nps(responses=0, promoters=0, detractors=0).score is None


def test_csat_counts_fours_and_fives_as_satisfied():
    answers = [5, 4, 3, 2, 1, 4, 5, 5]
    csat = scores.Csat(responses=len(answers), satisfied=sum(scores.is_satisfied(a) for a in answers))
    assert csat.score == pytest.approx(62.5)


def test_ces_is_the_mean_agreement_and_the_share_answering_five_to_seven():
    answers = [7, 6, 5, 4, 2, 7]
    ces = scores.Ces(responses=6, total=sum(answers), easy=sum(scores.is_easy(a) for a in answers))
    assert ces.score == pytest.approx(31 / 6)
    assert ces.easy_share == pytest.approx(400 / 6)


@pytest.mark.parametrize(
    ("csat", "nps", "trigger"),
    [(None, 6, "detractor"), (5, 0, "detractor"), (2, 7, "dissatisfied"), (1, None, "dissatisfied"),
     (3, 7, None), (None, 9, None), (None, None, None)],
)  # fmt: skip
def test_a_detractor_or_a_csat_of_one_or_two_needs_the_loop_closed(csat, nps, trigger):
    assert scores.loop_trigger(csat=csat, nps=nps) == trigger


def _answers_with_gaps(gaps: dict[str, float]) -> tuple[dict[int, float], dict[int, float]]:
    expectations = dict.fromkeys(servqual.DIMENSION_OF, 6.0)
    perceptions = {item: 6.0 + gaps[servqual.DIMENSION_OF[item]] for item in servqual.DIMENSION_OF}
    return expectations, perceptions


def test_servqual_worked_example_unweighted_and_weighted():
    gaps = {"tangibles": -0.5, "reliability": -1.2, "responsiveness": -0.8, "assurance": -0.3, "empathy": -0.6}
    points = {"tangibles": 10, "reliability": 35, "responsiveness": 25, "assurance": 20, "empathy": 10}
    result = servqual.servqual_scores(*_answers_with_gaps(gaps), points)
    assert result.dimension_gaps == pytest.approx(gaps)
    assert result.unweighted == pytest.approx(-0.68)
    assert result.weighted == pytest.approx(-0.79)


def test_servqual_dimension_gap_is_the_mean_of_its_item_gaps():
    expectations = dict.fromkeys(servqual.DIMENSION_OF, 7.0)
    perceptions = dict(expectations) | {1: 4.0, 2: 6.0, 3: 7.0, 4: 7.0}  # tangibles: gaps -3, -1, 0, 0
    result = servqual.servqual_scores(expectations, perceptions)
    assert result.item_gaps[1] == -3
    assert result.dimension_gaps["tangibles"] == pytest.approx(-1.0)
    assert result.dimension_gaps["empathy"] == 0
    assert result.unweighted == pytest.approx(-0.2)
    assert result.weighted is None


def test_servqual_has_22_statements_in_five_dimensions():
    assert sorted(servqual.STATEMENTS) == list(range(1, 23))
    assert [len(servqual.ITEMS_BY_DIMENSION[d]) for d in servqual.DIMENSIONS] == [4, 5, 4, 4, 5]


def test_knowledge_gap_is_management_belief_minus_customer_expectation():
    management = {"tangibles": 5.0, "reliability": 6.0, "responsiveness": 6.5, "assurance": 6.0, "empathy": 4.0}
    customers = {"tangibles": 5.5, "reliability": 6.8, "responsiveness": 6.0, "assurance": 6.0, "empathy": 6.1}
    gap = servqual.knowledge_gap(management, customers)
    assert gap["tangibles"] == pytest.approx(-0.5)
    assert gap["reliability"] == pytest.approx(-0.8)
    assert gap["responsiveness"] == pytest.approx(0.5)
    assert gap["empathy"] == pytest.approx(-2.1)


def test_importance_points_must_add_up_to_100():
    assert servqual.points_errors(dict.fromkeys(servqual.DIMENSIONS, 20)) == {}
    errors = servqual.points_errors(dict.fromkeys(servqual.DIMENSIONS, 25))
    assert "125" in errors["__all__"]
    assert set(servqual.points_errors({"tangibles": 101})) == set(servqual.DIMENSIONS)


def test_the_draw_is_stable_and_takes_about_the_percentage():
    drawn = [in_sample(contact, Decimal(20), salt="s") for contact in range(1, 10001)]
    assert 1800 < sum(drawn) < 2200
    assert drawn == [in_sample(contact, Decimal(20), salt="s") for contact in range(1, 10001)]
    assert not any(in_sample(contact, Decimal(0), salt="s") for contact in range(1, 1001))
    assert all(in_sample(contact, Decimal(100), salt="s") for contact in range(1, 1001))


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({}, None),
        ({"has_member": False}, "no_member"),
        ({"deceased": True}, "deceased"),
        ({"bereavement": True}, "bereavement"),
        ({"complaint": True}, "complaint"),
        ({"consents": False}, "opted_out"),
        ({"channel": None}, "no_address"),
        ({"percentage": None}, "no_rule"),
        ({"percentage": Decimal(0)}, "not_sampled"),
        # The N-day rule: invited 29 days and 23 hours ago is too recent in 30 days; 30 days ago is not.
        ({"last_invited_at": NOW - timedelta(days=29, hours=23)}, "recently_invited"),
        ({"last_invited_at": NOW - timedelta(days=30)}, None),
        ({"last_invited_at": NOW - timedelta(days=6), "interval_days": 7}, "recently_invited"),
        ({"last_invited_at": NOW - timedelta(days=8), "interval_days": 7}, None),
        # Exclusions come before the draw and the N-day rule.
        ({"complaint": True, "last_invited_at": NOW - timedelta(days=1)}, "complaint"),
    ],
)
def test_sampling_rules_on_fixed_dates(facts, reason):
    assert skip_reason(SamplingFacts(contact_id=7, now=NOW, **facts), salt="s") == reason


def test_theme_suggestions_match_english_word_forms_and_arabic_with_prefixes():
    themes = [("waiting", "wait\nhold"), ("claims", "claim\nمطالبة"), ("staff", "helpful\nالموظف")]
    assert suggest_themes("I waited on hold for ages", themes) == ["waiting"]
    assert suggest_themes("My claims were paid", themes) == ["claims"]
    assert suggest_themes("Unclaimed", themes) == []
    # "بالمطالبة" (with the claim) and the taa marbuta written as haa; "والموظف" (and the employee).
    assert suggest_themes("مشكلة بالمطالبه والموظف كان لطيفا", themes) == ["claims", "staff"]
