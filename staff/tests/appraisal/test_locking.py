"""Two signatures at once: the appraisal's row lock makes the second wait and then see the first, so a
person's signature is taken once however fast they click."""

import threading

import pytest
from django.db import connection

from contactcentre.exceptions import InvalidTransition
from staff.models import Appraisal
from staff.services import appraisal as services

from .factories import appraisal_setup

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_signature_sent_twice_at_once_is_taken_once(roles):
    scene = appraisal_setup()
    services.self_assessment_submit(appraisal_id=scene.appraisal.pk, actor=scene.agent, text="Mine")
    for competency in scene.competencies:
        services.rating_set(appraisal_id=scene.appraisal.pk, actor=scene.leader, competency=competency, rating=4)
    services.review_update(
        appraisal_id=scene.appraisal.pk, actor=scene.leader, strengths="s", weaknesses="w", overall_rating=4
    )
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def sign():
        try:
            barrier.wait(timeout=10)
            services.appraisal_sign(appraisal_id=scene.appraisal.pk, actor=scene.agent)
            outcomes.append("signed")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "signed"]
    assert Appraisal.objects.get(pk=scene.appraisal.pk).appraisee_signed_at is not None
