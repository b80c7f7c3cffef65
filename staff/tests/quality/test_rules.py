"""The scorecard arithmetic and the recognition rules, by tables of hand-computed figures (no database)."""

from decimal import Decimal

import pytest

from staff.rules import quality as rules
from staff.rules import recognition
from staff.rules.quality import ALL_ITEMS, Item

# The demo scorecard's shape: weights 2, 3, 2, 3, 2 (critical), 1 (critical); top scores 4 (compliance: 1).
CARD = [
    Item("greeting", weight=2, max_points=4, critical=False),
    Item("accuracy", weight=3, max_points=4, critical=False),
    Item("empathy", weight=2, max_points=4, critical=False),
    Item("resolution", weight=3, max_points=4, critical=False),
    Item("compliance", weight=2, max_points=1, critical=True),
    Item("wrap-up", weight=1, max_points=4, critical=True),
]


def sheet(greeting, accuracy, empathy, resolution, compliance, wrap_up):
    return dict(zip([i.key for i in CARD], [greeting, accuracy, empathy, resolution, compliance, wrap_up], strict=True))


@pytest.mark.parametrize(
    ("answers", "score", "critical_failed", "passed"),
    [
        # Everything at the top: 100.
        (sheet(4, 4, 4, 4, 1, 4), "100.0", False, True),
        # (2*3/4 + 3*4/4 + 2*4/4 + 3*3/4 + 2*1 + 1*4/4) / 13 = (1.5+3+2+2.25+2+1)/13 = 11.75/13 = 90.3846 -> 90.4
        (sheet(3, 4, 4, 3, 1, 4), "90.4", False, True),
        # (2*2/4 + 3*3/4 + 2*2/4 + 3*3/4 + 2 + 1*3/4) / 13 = 9.25/13 = 71.15 -> 71.2, under 80
        (sheet(2, 3, 2, 3, 1, 3), "71.2", False, False),
        # Empathy not applicable: (1.5+3+2.25+2+1)/11 = 9.75/11 = 88.636 -> 88.6
        (sheet(3, 4, None, 3, 1, 4), "88.6", False, True),
        # Greeting and empathy not applicable: (3+3+2+1)/9 = 9/9 = 100
        (sheet(None, 4, None, 4, 1, 4), "100.0", False, True),
        # A critical item at 0 fails it all, however good the rest.
        (sheet(4, 4, 4, 4, 0, 4), "0.0", True, False),
        (sheet(4, 4, 4, 4, 1, 0), "0.0", True, False),
        # A non-critical 0 only costs its weight: (0+3+2+3+2+1)/13 = 11/13 = 84.615 -> 84.6
        (sheet(0, 4, 4, 4, 1, 4), "84.6", False, True),
    ],
)
def test_evaluation_score(answers, score, critical_failed, passed):
    result = rules.evaluation_score(CARD, answers, pass_mark=80)
    assert result.errors == {}
    assert result.score == Decimal(score)
    assert (result.critical_failed, result.passed) == (critical_failed, passed)


def test_score_rounds_half_up_exactly():
    # 1 of 8 on one item: 12.5 -> 12.5; weight 1 of 3 items scoring 1/2/0 of 4: (1+2+0)/12 = 25.0
    items = [Item("a", 1, 8)]
    assert rules.evaluation_score(items, {"a": 1}, pass_mark=80).score == Decimal("12.5")
    # 1/16 = 6.25 -> 6.3 (half up, where banker's rounding would give 6.2)
    assert rules.evaluation_score([Item("a", 1, 16)], {"a": 1}, pass_mark=80).score == Decimal("6.3")


def test_score_exactly_at_the_pass_mark_passes():
    assert rules.evaluation_score([Item("a", 1, 5)], {"a": 4}, pass_mark=80).passed is True
    assert rules.evaluation_score([Item("a", 1, 5)], {"a": 3}, pass_mark=80).passed is False


@pytest.mark.parametrize(
    ("answers", "bad"),
    [
        ({k: v for k, v in sheet(4, 4, 4, 4, 1, 4).items() if k != "empathy"}, {"empathy"}),  # not answered
        (sheet(5, 4, 4, 4, 1, 4), {"greeting"}),  # above the top score
        (sheet(4, -1, 4, 4, 1, 4), {"accuracy"}),  # below 0
        (sheet(4, 4, 4, 4, 2, 4), {"compliance"}),  # compliance tops at 1
        (sheet(4, 4, 4, 4, None, 4), {"compliance"}),  # a critical item cannot be not applicable
        (sheet(4, 4, "x", 4, 1, None), {"empathy", "wrap-up"}),
    ],
)
def test_answers_are_checked_per_item(answers, bad):
    result = rules.evaluation_score(CARD, answers, pass_mark=80)
    assert result.score is None
    assert set(result.errors) == bad


def test_all_items_not_applicable_is_refused():
    items = [Item("a", 1, 4), Item("b", 1, 4)]
    result = rules.evaluation_score(items, {"a": None, "b": None}, pass_mark=80)
    assert result.score is None and ALL_ITEMS in result.errors


@pytest.mark.parametrize(
    ("values", "scale", "minimum", "maximum", "width", "std_dev", "wide"),
    [
        ([2, 3, 4], 4, "2.0", "4.0", "2.0", "0.82", True),  # sqrt(2/3) = 0.8165; range 2 of 4: wide
        ([3, 3, 4, None], 4, "3.0", "4.0", "1.0", "0.47", False),  # n/a left out; sqrt(2/9) = 0.4714
        ([4, 4], 4, "4.0", "4.0", "0.0", "0.00", False),
        ([85.5, 90.0, 70.0], None, "70.0", "90.0", "20.0", "8.57", True),  # mean 81.83; var 220.17/3 = 73.39 -> 8.567
        ([88.0, 92.0], None, "88.0", "92.0", "4.0", "2.00", False),
    ],
)
def test_calibration_spread(values, scale, minimum, maximum, width, std_dev, wide):
    result = rules.spread(values, scale=scale)
    assert (result.minimum, result.maximum, result.range, result.std_dev) == tuple(
        Decimal(v) for v in (minimum, maximum, width, std_dev)
    )
    assert result.wide is wide


def test_calibration_spread_per_item_and_overall():
    items = [Item("a", 1, 4), Item("b", 1, 4)]
    per_item, overall = rules.calibration_spread(items, [{"a": 4, "b": None}, {"a": 2, "b": None}], [100, 50])
    assert per_item["a"].range == Decimal("2.0") and per_item["a"].wide
    assert per_item["b"].count == 0 and per_item["b"].std_dev is None
    assert overall.std_dev == Decimal("25.00") and overall.wide


# Recognition ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "critical_fails", "earned", "average"),
    [
        (["90", "90", "90", "90"], 0, True, "90.0"),
        (["100", "95", "88", "82"], 0, True, "91.3"),  # 365/4 = 91.25 -> 91.3
        (["100", "100", "100"], 0, False, "100.0"),  # only 3 evaluations
        (["89.9", "90", "90", "90"], 0, False, "90.0"),  # 89.975 shows as 90.0 but is under 90
        (["100", "100", "100", "100"], 1, False, "100.0"),  # a critical fail
        (["80", "100", "100", "70"], 0, False, "87.5"),
    ],
)
def test_quality_star(scores, critical_fails, earned, average):
    verdict = recognition.quality_star(scores=[Decimal(s) for s in scores], critical_fails=critical_fails)
    assert verdict.earned is earned
    assert verdict.basis["average"] == average
    assert verdict.basis["evaluations"] == len(scores)
    assert bool(verdict.shortfall) is not earned


@pytest.mark.parametrize(
    ("handled", "resolved", "earned", "fcr"),
    [
        (50, 40, True, "80.0"),
        (100, 79, False, "79.0"),
        (49, 49, False, "100.0"),  # too few contacts
        (60, 55, True, "91.7"),
        (0, 0, False, None),
        (10000, 7999, False, "80.0"),  # 79.99% shows as 80.0 but is under 80
    ],
)
def test_first_time_fixer(handled, resolved, earned, fcr):
    verdict = recognition.first_time_fixer(handled=handled, resolved=resolved)
    assert (verdict.earned, verdict.basis["fcr"]) == (earned, fcr)


def test_team_of_the_month_is_the_best_average_with_enough_evaluations():
    verdicts = recognition.team_of_the_month(
        [
            recognition.TeamFigures("a", 12, Decimal("91.0")),
            recognition.TeamFigures("b", 9, Decimal("99.0")),  # better, but too few evaluations
            recognition.TeamFigures("c", 10, Decimal("91.0")),  # tied: both earn it
            recognition.TeamFigures("d", 30, Decimal("85.0")),
            recognition.TeamFigures("e", 0, None),
        ]
    )
    assert {team for team, v in verdicts.items() if v.earned} == {"a", "c"}
    assert verdicts["d"].basis == {"evaluations": 30, "average": "85.0", "best_average": "91.0"}


@pytest.mark.parametrize(
    ("responses", "satisfied", "earned", "csat"),
    [(20, 18, True, "90.0"), (20, 17, False, "85.0"), (19, 19, False, "100.0"), (0, 0, False, None),
     # 1799/1999 = 89.995%, shown as 90.0 but under 90: the exact share decides.
     (1999, 1799, False, "90.0")],
)  # fmt: skip
def test_customers_favourite_needs_a_csat_of_90_over_20_responses(responses, satisfied, earned, csat):
    verdict = recognition.customers_favourite(responses=responses, satisfied=satisfied)
    assert verdict.earned is earned
    assert verdict.basis == {"responses": responses, "satisfied": satisfied, "csat": csat}
