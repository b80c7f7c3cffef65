"""The appraisal state rules and the upward-feedback anonymity threshold, by tables: no database."""

from decimal import Decimal

import pytest

from staff.models import AppraisalStatus
from staff.rules import appraisal as rules
from staff.rules import feedback as fb
from staff.rules.appraisal import APPRAISEE, APPRAISER, AppraisalFacts

D, SA, R, S = AppraisalStatus.DRAFT, AppraisalStatus.SELF_ASSESSED, AppraisalStatus.REVIEWED, AppraisalStatus.SIGNED
SPEC = frozenset({1, 2})
COMPLETE = {"rated_competencies": SPEC, "strengths": "Calm", "weaknesses": "Wrap-up", "overall_rating": 4}


def facts(**kwargs) -> AppraisalFacts:
    return AppraisalFacts(required_competencies=SPEC, **kwargs)


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ({}, D),
        (COMPLETE, D),  # a complete review waits for the self-assessment
        ({"self_assessed": True}, SA),
        ({"self_assessed": True, **COMPLETE, "rated_competencies": frozenset({1})}, SA),  # one competency unrated
        ({"self_assessed": True, **COMPLETE, "strengths": "  "}, SA),
        ({"self_assessed": True, **COMPLETE, "weaknesses": ""}, SA),
        ({"self_assessed": True, **COMPLETE, "overall_rating": None}, SA),
        ({"self_assessed": True, **COMPLETE}, R),
        ({"self_assessed": True, **COMPLETE, "rated_competencies": frozenset({1, 2, 9})}, R),  # extra rating: fine
        ({"self_assessed": True, **COMPLETE, "appraisee_signed": True}, R),  # one signature is not both
        ({"self_assessed": True, **COMPLETE, "appraiser_signed": True}, R),
        ({"self_assessed": True, **COMPLETE, "appraisee_signed": True, "appraiser_signed": True}, S),
    ],
)
def test_status_follows_the_facts(given, status):
    assert rules.status_for(facts(**given)) == status


def test_every_status_the_facts_give_is_reachable_in_the_transition_table():
    """The statuses status_for moves between are exactly those TRANSITIONS allows."""
    assert rules.TRANSITIONS[D] == {SA, R}
    assert rules.TRANSITIONS[SA] == {R}
    assert rules.TRANSITIONS[R] == {S, SA}
    assert rules.TRANSITIONS[S] == frozenset()


def test_a_job_without_a_person_specification_needs_no_ratings():
    assert rules.review_missing(AppraisalFacts(strengths="a", weaknesses="b", overall_rating=3)) == []


REVIEWED = facts(self_assessed=True, **COMPLETE)


@pytest.mark.parametrize(
    ("state", "action", "party", "refusal"),
    [
        # Who may do what.
        (facts(), rules.SELF_ASSESS, APPRAISEE, None),
        (facts(), rules.SELF_ASSESS, APPRAISER, rules.NOT_A_PARTY),
        (facts(), rules.RATE, APPRAISER, None),
        (facts(), rules.RATE, APPRAISEE, rules.NOT_A_PARTY),
        (facts(), rules.REVIEW, None, rules.NOT_A_PARTY),
        (facts(), rules.OBJECTIVES, APPRAISER, None),
        (facts(), rules.ACTION_DONE, APPRAISEE, None),
        (facts(), rules.TRAINING_NEED, APPRAISEE, rules.NOT_A_PARTY),
        # The self-assessment is submitted once.
        (facts(self_assessed=True), rules.SELF_ASSESS, APPRAISEE, rules.ALREADY_SUBMITTED),
        # Signing: only once reviewed, each once.
        (facts(), rules.SIGN, APPRAISER, rules.NOT_REVIEWED),
        (facts(self_assessed=True), rules.SIGN, APPRAISEE, rules.NOT_REVIEWED),
        (facts(**COMPLETE), rules.SIGN, APPRAISER, rules.NOT_REVIEWED),  # no self-assessment yet
        (REVIEWED, rules.SIGN, APPRAISER, None),
        (REVIEWED, rules.SIGN, APPRAISEE, None),
        (facts(self_assessed=True, **COMPLETE, appraisee_signed=True), rules.SIGN, APPRAISEE, rules.ALREADY_SIGNED),
        (facts(self_assessed=True, **COMPLETE, appraisee_signed=True), rules.SIGN, APPRAISER, None),
        (facts(self_assessed=True, **COMPLETE, appraiser_signed=True), rules.SIGN, APPRAISER, rules.ALREADY_SIGNED),
        # Once anyone has signed, what was signed is fixed...
        (facts(self_assessed=True, **COMPLETE, appraisee_signed=True), rules.RATE, APPRAISER, rules.SIGNED_LOCKED),
        (facts(self_assessed=True, **COMPLETE, appraiser_signed=True), rules.REVIEW, APPRAISER, rules.SIGNED_LOCKED),
        (
            facts(self_assessed=True, **COMPLETE, appraiser_signed=True),
            rules.OBJECTIVES,
            APPRAISER,
            rules.SIGNED_LOCKED,
        ),
        (
            facts(self_assessed=True, **COMPLETE, appraiser_signed=True),
            rules.ACTION_ADD,
            APPRAISER,
            rules.SIGNED_LOCKED,
        ),
        # ...but the action plan is still ticked off, and training needs still raised.
        (
            facts(self_assessed=True, **COMPLETE, appraisee_signed=True, appraiser_signed=True),
            rules.ACTION_DONE,
            APPRAISEE,
            None,
        ),
        (
            facts(self_assessed=True, **COMPLETE, appraisee_signed=True, appraiser_signed=True),
            rules.TRAINING_NEED,
            APPRAISER,
            None,
        ),
    ],
)
def test_who_may_do_what_in_each_state(state, action, party, refusal):
    assert rules.refusal(state, action, party=party) == refusal


@pytest.mark.parametrize(
    ("value", "ok"), [(1, True), (5, True), (0, False), (6, False), (None, False), (True, False), ("3", False)]
)
def test_ratings_are_on_a_scale_of_one_to_five(value, ok):
    assert rules.rating_in_scale(value) is ok


# --- The anonymity threshold ------------------------------------------------------------------
def answers(site, leaf, *ratings, comment=""):
    return [fb.Response(site=site, leaf=leaf, rating=r, comments=(comment,)) for r in ratings]


def find(root, level, key):
    return next(g for g in root.walk() if g.level == level and g.key == key)


def test_four_responses_show_nothing_and_five_show_the_average_and_comments():
    four = fb.summarise(answers("staines", "t1", 4, 4, 5, 3, comment="Good briefings"))
    assert four.hidden_because == fb.TOO_FEW
    assert (four.responses, four.average, four.comments) == (None, None, [])
    assert all(not g.shown for g in four.walk())
    five = fb.summarise(answers("staines", "t1", 4, 4, 5, 3, 2, comment="Good briefings"))
    assert (five.responses, five.average) == (5, Decimal("3.6"))
    assert five.comments == ["Good briefings"] * 5
    assert find(five, fb.LEAF, "t1").average == Decimal("3.6")


def test_comments_are_listed_by_their_text_not_in_the_order_they_arrived():
    """Arrival order would let a reader match the newest comment to the newest answer."""
    texts = ["zebra crossings", "Fair rotas", "apples", "More coaching", "better tools", "Clear targets"]
    responses = [fb.Response(site="s", leaf="t", rating=4, comments=(text, "")) for text in texts]
    root = fb.summarise(responses)
    expected = ["apples", "better tools", "Clear targets", "Fair rotas", "More coaching", "zebra crossings"]
    assert root.comments == find(root, fb.LEAF, "t").comments == expected
    assert fb.summarise(reversed(responses)).comments == expected


def test_a_small_team_beside_a_large_one_hides_the_large_one_too():
    """Staines: team A has 6 answers, team B 3. Showing Staines (9) and A (6) would give B's 3 away by
    subtraction, so A is hidden as well; Staines still shows its 9."""
    root = fb.summarise(answers("staines", "A", 5, 5, 5, 5, 5, 5) + answers("staines", "B", 1, 1, 1))
    site = find(root, fb.SITE, "staines")
    assert (site.responses, site.average) == (9, Decimal("3.7"))
    assert find(root, fb.LEAF, "B").hidden_because == fb.TOO_FEW
    assert find(root, fb.LEAF, "A").hidden_because == fb.PROTECTS_ANOTHER
    assert find(root, fb.LEAF, "A").average is None


def test_the_smallest_other_group_is_the_one_hidden_and_no_remainder_is_under_five():
    """Teams of 7, 5 and 2: the 2 is hidden, then the 5 (the smallest shown): 5 + 2 = 7 hidden together."""
    root = fb.summarise(answers("s", "big", *[4] * 7) + answers("s", "mid", *[3] * 5) + answers("s", "tiny", 1, 1))
    shown = {g.key for g in find(root, fb.SITE, "s").children if g.shown}
    assert shown == {"big"}
    assert find(root, fb.LEAF, "mid").hidden_because == fb.PROTECTS_ANOTHER


def test_two_small_teams_that_make_five_together_hide_nothing_else():
    root = fb.summarise(answers("s", "big", *[4] * 6) + answers("s", "x", 1, 1) + answers("s", "y", 2, 2, 2))
    assert find(root, fb.LEAF, "big").shown  # x and y together are 5: subtraction gives only that group of 5


def test_a_small_site_hides_the_smallest_other_site_and_everything_under_both():
    root = fb.summarise(
        answers("staines", "a", *[4] * 5)
        + answers("staines", "b", *[4] * 5)
        + answers("manchester", "c", *[2] * 6)
        + answers("leeds", "d", 1, 2)
    )
    assert root.responses == 18
    assert find(root, fb.SITE, "leeds").hidden_because == fb.TOO_FEW
    assert find(root, fb.SITE, "manchester").hidden_because == fb.PROTECTS_ANOTHER
    assert find(root, fb.LEAF, "c").hidden_because == fb.PARENT_HIDDEN  # its figures are Manchester's
    assert find(root, fb.SITE, "staines").shown and find(root, fb.LEAF, "a").shown


@pytest.mark.parametrize("seed", range(40))
def test_no_figure_shown_differs_from_another_by_a_group_under_five(seed):
    """Whatever the sizes: for each shown parent, parent minus its shown children is 0 or at least 5."""
    import random

    rng = random.Random(seed)
    responses = []
    for site in range(rng.randint(1, 4)):
        for team in range(rng.randint(1, 5)):
            responses += answers(site, team, *[rng.randint(1, 5) for _ in range(rng.randint(1, 9))])
    root = fb.summarise(responses)
    for group in root.walk():
        if group.shown and group.children:
            remainder = group.count - sum(child.count for child in group.children if child.shown)
            assert remainder == 0 or remainder >= fb.MIN_GROUP
        if not group.shown:
            assert all(not child.shown for child in group.children)
        if group.shown:
            assert group.count >= fb.MIN_GROUP


def test_no_answers_show_nothing():
    root = fb.summarise([])
    assert not root.shown and root.count == 0
