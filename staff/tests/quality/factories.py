"""Factories for quality monitoring and recognition."""

import factory

from staff.models import CalibrationSession, Evaluation, Recognition, RecognitionKind, Scorecard, ScorecardItem


class ScorecardFactory(factory.django.DjangoModelFactory):
    """A scorecard (pass mark 80) with no items: add them with ScorecardItemFactory or use `scorecard_with_items`."""

    class Meta:
        model = Scorecard
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Scorecard {n}")


class ScorecardItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScorecardItem

    scorecard = factory.SubFactory(ScorecardFactory)
    code = factory.Sequence(lambda n: f"item-{n}")
    label = factory.Sequence(lambda n: f"Item {n}")
    weight = 1
    max_points = 4
    position = factory.Sequence(lambda n: n)


def scorecard_with_items(**kwargs) -> Scorecard:
    """Three items: greeting (weight 1, 0-4), resolution (weight 3, 0-4), compliance (weight 2, 0-1, critical)."""
    card = ScorecardFactory(**kwargs)
    ScorecardItemFactory(scorecard=card, code="greeting", label="Greeting and ID&V", weight=1, max_points=4)
    ScorecardItemFactory(scorecard=card, code="resolution", label="Resolution", weight=3, max_points=4)
    ScorecardItemFactory(scorecard=card, code="compliance", label="Compliance", weight=2, max_points=1, critical=True)
    return card


def answers_for(card: Scorecard, **points) -> dict:
    """{item id: points} from item codes (`greeting=4, resolution=None, ...`)."""
    return {item.pk: points[item.code.replace("-", "_")] for item in card.items.all()}


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A stored evaluation (its figures given, not computed: use the service to compute them). Pass
    `contact=` (with an agent) and `evaluator=`."""

    class Meta:
        model = Evaluation

    agent = factory.LazyAttribute(lambda o: o.contact.agent)
    scorecard = factory.SubFactory(ScorecardFactory)
    score = 90
    critical_failed = False
    passed = factory.LazyAttribute(lambda o: not o.critical_failed and o.score >= 80)


class CalibrationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalibrationSession


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    kind = RecognitionKind.SPOT
    reason = "Stayed late to call back a worried member."
