"""The scheduled path as it runs in production: beat reads the schedule from the database and sends
the sweep through Redis; a worker process decides on this test's database and sends the invitation
the sweep queued after its commit (the token crossing the broker as a JSON argument)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from surveys.models import Invitation, SamplingDecision, SamplingRule

from ..factories import make_survey
from .helpers import closed_contact, member

SWEEP_TASK = "surveys.tasks.invitations.invite_sweep"


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.slow
def test_beat_and_a_real_worker_invite_a_member_and_send_the_email(roles, tmp_path):
    from django_celery_beat.models import PeriodicTask

    from contactcentre.services import schedules_sync
    from contactcentre.tests.celery_worker import celery_worker, wait_until

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    SamplingRule.objects.create(queue=None, survey=make_survey(code="after-call"), percentage=Decimal(100))
    wrapped = timezone.now() - timedelta(hours=1)
    invited = closed_contact(customer=member(), wrapped_up_at=wrapped)
    skipped = closed_contact(customer=member(consent_research=False), wrapped_up_at=wrapped)
    schedules_sync()
    log = tmp_path / "worker.log"
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log):
        wait_until(
            lambda: Invitation.objects.filter(contact=invited, sent_at__isnull=False).exists(),
            timeout=90,
            log_path=log,
            what="the scheduled sweep invited the member and the invitation was sent",
        )
    text = log.read_text()
    assert SWEEP_TASK in text and "surveys.tasks.invitations.invitation_send" in text
    assert SamplingDecision.objects.get(contact=skipped).skip_reason == "opted_out"
    assert Invitation.objects.get(contact=invited).send_error == ""
    scheduled = PeriodicTask.objects.get(task=SWEEP_TASK)
    assert (scheduled.interval.every, scheduled.interval.period, scheduled.enabled) == (300, "seconds", True)
