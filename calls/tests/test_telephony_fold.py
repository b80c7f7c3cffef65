"""Storing first, folding after: a request stores its events and marks their contacts; a worker
folds each marked contact once (services.telephony_fold), queued as the request commits
(services.telephony.fold_soon). Against the real PostgreSQL, Redis and, where the path matters,
a real Celery worker."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from benchmarks.common import free_port
from calls.models import Contact, PendingFold, Queue
from calls.rules.telephony import Event
from calls.selectors.telephony import fold_backlog
from calls.services import telephony, telephony_fold
from calls.services.telephony import (
    FOLD_DELAY_SECONDS,
    FOLD_DUE_MARGIN_SECONDS,
    FOLD_QUEUED_KEY,
    events_ingest,
)
from calls.services.telephony_fold import contacts_fold, contacts_fold_pending

START = timezone.now().replace(microsecond=0) - timedelta(minutes=30)


def ev(kind: str, second: int, call: str = "CA1", **fields) -> Event:
    return Event(kind, "twilio", f"{call}-{kind}-{second}", call, START + timedelta(seconds=second), None, **fields)


@pytest.fixture
def queue(db):
    return Queue.objects.create(code="claims", name="Claims", open_all_hours=True)


@pytest.mark.django_db
def test_a_request_stores_and_marks_and_only_the_fold_changes_the_contact(queue):
    (result,) = events_ingest([(0, ev("offered", 0, queue="claims", caller_number="+447700900321"))])
    contact = Contact.objects.get(pk=result.contact_id)
    assert (contact.queue_id, contact.offered_at) == (None, None)  # stored, not folded yet
    assert list(PendingFold.objects.values_list("contact_id", flat=True)) == [contact.pk]
    assert fold_backlog()[0] == 1

    assert contacts_fold_pending() == 1
    contact.refresh_from_db()
    assert (contact.queue, contact.offered_at, contact.caller_number) == (queue, START, "+447700900321")
    assert not PendingFold.objects.exists()
    assert fold_backlog() == (0, None)


@pytest.mark.django_db
def test_many_events_of_a_call_cost_one_fold_and_a_repeat_costs_no_write(queue):
    events = [ev("offered", 0, queue="claims"), ev("ended", 40, cause="caller"), ev("abandoned", 40, cause="caller")]
    for event in events:
        events_ingest([(0, event)])
    assert PendingFold.objects.count() == 3  # one mark per request
    assert contacts_fold_pending() == 1
    contact = Contact.objects.get()
    assert contact.is_abandoned
    written_at = contact.updated_at

    events_ingest([(0, events[1])])  # delivered again
    assert contacts_fold_pending() == 1
    contact.refresh_from_db()
    assert contact.updated_at == written_at  # folded to the same values: not rewritten


@pytest.mark.django_db(transaction=True)
def test_an_event_stored_while_a_fold_runs_waits_for_nothing_and_is_folded_next_time(queue):
    """The fold has claimed the call's mark and read its events when a request stores another event
    of the call: the request goes straight through, with a mark of its own that the fold leaves."""
    (first,) = events_ingest([(0, ev("offered", 0, queue="claims"))])
    read, stored = threading.Event(), threading.Event()
    errors: list = []

    def fold_slowly() -> None:
        try:
            claim, _claimed, ids = telephony_fold._claim(10)
            with transaction.atomic():
                telephony_fold._fold(ids)
                read.set()
                assert stored.wait(timeout=5), "the request waited for the fold"
                PendingFold.objects.filter(claim=claim).delete()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    folder = threading.Thread(target=fold_slowly)
    folder.start()
    assert read.wait(timeout=5)
    events_ingest([(0, ev("answered", 9, agent="4021"))])  # while the fold's transaction is open
    stored.set()
    folder.join(timeout=10)
    assert errors == []

    contact = Contact.objects.get(pk=first.contact_id)
    assert (contact.queue, contact.answered_at) == (queue, None)  # the fold could not see it
    assert PendingFold.objects.filter(contact=contact, claim=None).count() == 1
    assert contacts_fold_pending() == 1
    contact.refresh_from_db()
    assert contact.answered_at == START + timedelta(seconds=9)
    assert not PendingFold.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_fold_claims_again_only_while_it_finds_full_batches(queue, monkeypatch):
    """Under a steady stream a fold that went on claiming would fold a handful of contacts a round,
    at a round's full cost: it stops at its first short claim, and a call marked meanwhile waits
    for the next fold (which the request that marked it queued)."""
    monkeypatch.setattr(telephony_fold, "FOLD_BATCH", 2)
    for call in ("CA1", "CA2", "CA3"):
        events_ingest([(0, ev("offered", 0, call=call, queue="claims"))])
    rounds: list[list[int]] = []
    fold = telephony_fold._fold

    def fold_while_a_request_comes_in(ids: list[int]) -> None:
        rounds.append(ids)
        fold(ids)
        if len(rounds) == 2:
            events_ingest([(0, ev("offered", 1, call="CA4", queue="claims"))])

    monkeypatch.setattr(telephony_fold, "_fold", fold_while_a_request_comes_in)
    assert contacts_fold_pending() == 3
    assert [len(ids) for ids in rounds] == [2, 1]
    late = Contact.objects.get(external_id="CA4")
    assert (late.queue, PendingFold.objects.filter(contact=late, claim=None).count()) == (None, 1)
    assert contacts_fold_pending() == 1
    late.refresh_from_db()
    assert late.queue == queue


@pytest.mark.django_db(transaction=True)
def test_a_claim_left_by_a_lost_worker_is_taken_over_after_its_lease(queue):
    events_ingest([(0, ev("offered", 0, queue="claims"))])
    telephony_fold._claim(10)  # a worker claims, then dies
    assert contacts_fold() == 0  # within the lease: someone is on it
    PendingFold.objects.update(claimed_at=timezone.now() - telephony_fold.CLAIM_LEASE - timedelta(seconds=1))
    assert contacts_fold() == 1
    assert Contact.objects.get().queue == queue


@pytest.mark.django_db
def test_a_contact_the_database_refuses_is_logged_and_the_others_are_folded(queue, monkeypatch, caplog):
    results = events_ingest([(0, ev("offered", 0, call="good", queue="claims")), (1, ev("offered", 0, call="bad"))])
    bad = results[1].contact_id
    refold = telephony_fold._refold

    def refusing(contacts):
        if any(contact.pk == bad for contact in contacts):
            raise IntegrityError("new row violates check constraint")
        return refold(contacts)

    monkeypatch.setattr(telephony_fold, "_refold", refusing)
    assert contacts_fold() == 2
    assert Contact.objects.get(pk=results[0].contact_id).offered_at == START
    assert Contact.objects.get(pk=bad).offered_at is None
    assert f"Contact {bad} could not be folded" in caplog.text
    assert not PendingFold.objects.exists()  # not retried forever: its next event marks it again


@pytest.mark.django_db(transaction=True)
def test_committed_requests_queue_one_fold_until_it_is_due(queue, settings):
    """Each request asks for a fold as it commits; while one is queued and not yet due, no other
    message is sent (Redis holds when the fold is due); from its time on, a request queues another."""
    import redis

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    name = settings.CELERY_TELEPHONY_QUEUE = f"test-fold-{time.monotonic_ns()}"
    try:
        events_ingest([(0, ev("offered", 0, queue="claims"))])
        telephony._fold_due = 0.0  # the next request comes from another web process
        events_ingest([(0, ev("answered", 5, agent="4021"))])
        assert broker.llen(name) == 1
        due = cache.get(FOLD_QUEUED_KEY) / 1000
        assert 0 < due - time.time() <= FOLD_DELAY_SECONDS

        from calls.tasks.telephony import fold_pending_contacts

        time.sleep(max(0.0, due - time.time()))
        assert fold_pending_contacts() == 1  # what the worker runs, when it is due
        telephony._fold_due = 0.0
        events_ingest([(0, ev("ended", 60, cause="caller"))])
        assert broker.llen(name) == 2
        assert cache.get(FOLD_QUEUED_KEY) / 1000 > due  # the next fold's time
    finally:
        broker.delete(name)


@pytest.mark.django_db(transaction=True)
def test_a_process_that_knows_a_fold_is_due_asks_nobody_until_shortly_before_then(queue, settings, monkeypatch):
    """A request relies on a fold this process knows is queued and not yet due (a task never
    starts before its time), without a round trip to the cache; shortly before that time it asks
    again."""
    import redis

    from contactcentre import cache as shared_cache

    asked = []
    original = shared_cache.set_unless_later
    monkeypatch.setattr(
        telephony, "set_unless_later", lambda *args, **kwargs: asked.append(1) or original(*args, **kwargs)
    )
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    name = settings.CELERY_TELEPHONY_QUEUE = f"test-fold-{time.monotonic_ns()}"
    try:
        events_ingest([(0, ev("offered", 0, queue="claims"))])
        events_ingest([(0, ev("answered", 5, agent="4021"))])
        assert (len(asked), broker.llen(name)) == (1, 1)
        time.sleep(FOLD_DELAY_SECONDS - FOLD_DUE_MARGIN_SECONDS)
        events_ingest([(0, ev("ended", 60, cause="caller"))])
        assert (len(asked), broker.llen(name)) == (2, 2)  # the queued fold may be starting: the next one
        events_ingest([(0, ev("wrap_up_ended", 90))])
        assert (len(asked), broker.llen(name)) == (2, 2)  # relies on the next one
    finally:
        broker.delete(name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("due_in", [-5.0, FOLD_DUE_MARGIN_SECONDS / 2])
def test_a_fold_due_now_or_past_is_not_relied_on_and_the_next_is_queued(queue, settings, due_in):
    """A fold whose time has come may have claimed its marks before this request committed (or
    its worker was lost): the request queues another, whether or not that one has started."""
    import redis

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    name = settings.CELERY_TELEPHONY_QUEUE = f"test-fold-{time.monotonic_ns()}"
    cache.set(FOLD_QUEUED_KEY, round((time.time() + due_in) * 1000), 30)
    try:
        events_ingest([(0, ev("offered", 0, queue="claims"))])
        assert broker.llen(name) == 1
        assert cache.get(FOLD_QUEUED_KEY) / 1000 > time.time() + FOLD_DUE_MARGIN_SECONDS
    finally:
        broker.delete(name)


def test_of_requests_asking_at_once_one_queues_the_fold_and_the_others_rely_on_it():
    """The check and the new time are one atomic step in Redis: of eight processes (threads here)
    asking at the same moment, one sets its time (and queues the fold) and seven find it."""
    from django.core.cache import caches

    from contactcentre.cache import set_unless_later

    barrier = threading.Barrier(8)
    answers = []

    def process(value: int) -> None:
        barrier.wait()
        answers.append(set_unless_later(caches["default"], FOLD_QUEUED_KEY, value, later_than=50, timeout=30))

    threads = [threading.Thread(target=process, args=(100 + i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (winner,) = [value for stored, value in answers if stored]
    assert sorted(answers) == [(False, winner)] * 7 + [(True, winner)]
    assert cache.get(FOLD_QUEUED_KEY) == winner


@pytest.mark.django_db(transaction=True)
def test_with_the_cache_unreachable_the_events_are_still_stored_and_left_for_the_sweep(queue, settings, caplog):
    """The request's events are committed before the fold is asked for: a cache that cannot be
    reached (nothing listens on the port) costs a warning, not the request."""
    settings.CACHES = {
        "default": {
            "BACKEND": "contactcentre.cache.ReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    (result,) = events_ingest([(0, ev("offered", 0, queue="claims"))])
    assert result.status == "accepted"
    assert PendingFold.objects.filter(contact_id=result.contact_id, claim=None).exists()
    assert "Could not queue the telephony fold" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_with_the_demos_in_process_cache_a_process_relies_only_on_the_folds_it_queued(queue, settings):
    """The worker cannot clear a flag in the web process's own memory: no flag; a request queues a
    fold unless one this process queued is not yet due."""
    import redis

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    name = settings.CELERY_TELEPHONY_QUEUE = f"test-fold-{time.monotonic_ns()}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    try:
        events_ingest([(0, ev("offered", 0, queue="claims"))])
        events_ingest([(0, ev("answered", 5, agent="4021"))])
        assert broker.llen(name) == 1
        time.sleep(FOLD_DELAY_SECONDS)
        events_ingest([(0, ev("ended", 60, cause="caller"))])
        assert broker.llen(name) == 2
    finally:
        broker.delete(name)


@pytest.mark.django_db
def test_the_database_refuses_a_claim_without_its_time(queue):
    (result,) = events_ingest([(0, ev("offered", 0, queue="claims"))])
    mark = PendingFold.objects.get(contact_id=result.contact_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingFold.objects.filter(pk=mark.pk).update(claim=uuid.uuid4())
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingFold.objects.filter(pk=mark.pk).update(claimed_at=timezone.now())


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.slow
def test_a_real_worker_on_redis_folds_what_the_api_stored(queue, tmp_path, settings):
    from contactcentre.tests.celery_worker import celery_worker, wait_until

    log = tmp_path / "worker.log"
    with celery_worker(broker_env={"REDIS_URL": settings.REDIS_URL}, log_path=log, beat=False) as name:
        settings.CELERY_TELEPHONY_QUEUE = name
        (result,) = events_ingest([(0, ev("offered", 0, queue="claims", caller_number="+447700900555"))])
        wait_until(
            lambda: Contact.objects.filter(pk=result.contact_id, queue=queue).exists(),
            timeout=60,
            log_path=log,
            what="the worker folded the stored event",
        )
    assert not PendingFold.objects.exists()
    assert "fold_pending_contacts" in log.read_text()


@pytest.mark.django_db(transaction=True)
def test_with_eager_tasks_each_request_folds_its_events_and_leaves_no_time_to_rely_on(queue):
    """CELERY_TASK_ALWAYS_EAGER: the fold runs inside the request, so no later request may rely on
    it (a time left in Redis would leave their events unfolded until the sweep)."""
    from calls.tasks.telephony import fold_pending_contacts

    conf = fold_pending_contacts.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, True
    try:
        (first,) = events_ingest([(0, ev("offered", 0, queue="claims"))])
        events_ingest([(0, ev("answered", 5, agent="4021"))])
    finally:
        conf.task_always_eager = eager
    assert not PendingFold.objects.exists()
    assert Contact.objects.get(pk=first.contact_id).answered_at == START + timedelta(seconds=5)
    assert cache.get(FOLD_QUEUED_KEY) is None
