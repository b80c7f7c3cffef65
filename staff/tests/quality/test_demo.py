"""The quality demo: the scorecard from the issue, evaluations of the demo's contacts, a calibration
session with a wide spread, and recognitions that meet their rules."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from calls.tests.factories import ContactFactory
from staff.demo import seed_people
from staff.demo.quality import EVALUATIONS_PER_AGENT, seed_quality
from staff.models import CalibrationSession, Evaluation, Recognition, RecognitionKind, Scorecard, User
from staff.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_without_contacts_has_the_scorecard_only(roles):
    people = seed_people(rng=random.Random(1), scale="small")
    seed_quality(rng=random.Random(1), people=people)
    card = Scorecard.objects.get()
    assert [i.code for i in card.items.all()] == [
        "greeting-idv", "cover-accuracy", "empathy", "resolution", "compliance", "wrap-up",
    ]  # fmt: skip
    assert set(card.items.filter(critical=True).values_list("code", flat=True)) == {
        "greeting-idv", "cover-accuracy", "compliance",
    }  # fmt: skip
    assert not Evaluation.objects.exists()
    assert Recognition.objects.filter(kind=RecognitionKind.SPOT).count() == 1


def test_demo_evaluates_contacts_calibrates_and_recognises(roles):
    people = seed_people(rng=random.Random(2), scale="small")
    now = timezone.now()
    agents = User.objects.filter(groups__name=Role.AGENT, team__leader__isnull=False).order_by("pk")[:6]
    for n, agent in enumerate(agents):
        for day in range(6):
            ContactFactory(agent=agent, offered_at=now - timedelta(days=2 + day * 4, minutes=n), caller_state="anxious")
    seed_quality(rng=random.Random(2), people=people)
    evaluations = Evaluation.objects.filter(calibration__isnull=True)
    assert evaluations.count() == len(agents) * EVALUATIONS_PER_AGENT
    assert all(e.evaluator_id == e.agent.team.leader_id for e in evaluations.select_related("agent__team"))
    session = CalibrationSession.objects.get()
    # Scored by those who may see its agent (calibrations_visible_to): their team leader and the site's manager.
    assert session.evaluations.count() == 2
    assert Recognition.objects.filter(kind=RecognitionKind.SPOT).exists()
    earned = Recognition.objects.exclude(kind=RecognitionKind.SPOT)
    assert earned.exists()
    for award in earned:  # each met its rule, with the figures stored
        if award.kind == RecognitionKind.TEAM:
            assert award.team_id and award.basis["evaluations"] >= 10
        else:
            assert award.kind == RecognitionKind.QUALITY and float(award.basis["average"]) >= 90
