"""The appraisal demo data: a cycle, appraisals in every state with objectives and action plans, and
upward feedback in which some teams fall under the anonymity threshold."""

import random

import pytest

from staff.demo import seed_people
from staff.demo.appraisal import seed_appraisal
from staff.demo.employees import seed_employees
from staff.models import ActionItem, Appraisal, AppraisalCycle, AppraisalStatus, Objective, UpwardFeedback
from staff.rules import feedback as fb
from staff.selectors.appraisal import feedback_summary

pytestmark = pytest.mark.django_db


def test_demo_appraisals_and_feedback(roles):
    people = seed_people(rng=random.Random(7), scale="small")
    seed_employees(rng=random.Random(7), people=people)
    seed_appraisal(rng=random.Random(7), people=people)
    assert set(Appraisal.objects.values_list("status", flat=True)) == set(AppraisalStatus.values)
    assert Objective.objects.exists() and ActionItem.objects.filter(done_at__isnull=False).exists()
    signed = Appraisal.objects.filter(status=AppraisalStatus.SIGNED).first()
    assert signed.ratings.count() == signed.appraisee.employee.job_role.spec.values("competency").distinct().count()
    # The feedback is last year's, in a closed cycle, so that the demo's summary has figures to show.
    cycle = AppraisalCycle.objects.filter(feedback__isnull=False, is_open=False).distinct().get()
    groups = [g for s in feedback_summary(cycle) for g in s.root.walk()]
    assert any(g.hidden_because == fb.TOO_FEW for g in groups) and any(g.shown for g in groups)

    counts = (Appraisal.objects.count(), UpwardFeedback.objects.count())
    seed_appraisal(rng=random.Random(7), people=people)  # again: nothing new
    assert (Appraisal.objects.count(), UpwardFeedback.objects.count()) == counts
