"""What two requests or two sweeps at the same moment do: a link is answered once, a member is invited
once. Real transactions, real threads, each on its own database connection."""

import threading
import time
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from surveys.models import Invitation, Response, SamplingDecision, SamplingRule
from surveys.services import invitations
from surveys.views import public

from ..factories import make_invitation, make_survey
from .helpers import NOW, closed_contact, member

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {"csat": "5", "ces": "6", "nps": "9", "comment": "Quick and kind."}


def run_together(target, names):
    """Run target(name) in one thread per name; return {name: result}, raising any thread's error."""
    results, errors = {}, []

    def run(name):
        try:
            results[name] = target(name)
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def test_two_concurrent_submissions_of_one_link_store_exactly_one_response(roles):
    survey = make_survey(code="after-call")
    invitation, token = make_invitation(survey=survey, contact=closed_contact(customer=member()))
    both_checked = threading.Barrier(2)
    real_submit = public.response_submit

    def submit_after_both_checked(**kwargs):
        # Both requests have found the link unanswered: only the database can tell them apart now.
        both_checked.wait(timeout=20)
        return real_submit(**kwargs)

    with mock.patch.object(public, "response_submit", submit_after_both_checked):
        pages = run_together(lambda _name: Client().post(f"/s/{token}/", GOOD), ["first", "second"])
    assert sorted(page.status_code for page in pages.values()) == [302, 410]
    refused = next(page for page in pages.values() if page.status_code == 410)
    assert "Thank you, you have already answered" in refused.content.decode()
    assert Response.objects.filter(invitation=invitation).count() == 1
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_two_sweeps_at_once_decide_each_contact_once_and_invite_a_member_once(roles):
    """Sweep one takes Layla's first call while sweep two takes her second (its clock is earlier, so the
    first is not yet in its window); each pauses between reading the facts and writing. Only the lock
    on the member makes the second see the first's invitation."""
    SamplingRule.objects.create(queue=None, survey=make_survey(code="after-call"), percentage=Decimal(100))
    layla, omar = member(), member(email="omar@example.org")
    first = closed_contact(customer=layla, wrapped_up_at=NOW - timedelta(hours=1))
    second = closed_contact(customer=layla, wrapped_up_at=NOW - timedelta(hours=3))
    omars = closed_contact(customer=omar, wrapped_up_at=NOW - timedelta(hours=1))
    started = threading.Barrier(2)
    real_decide, real_skip_reason = invitations._decide, invitations.skip_reason
    first_call = threading.local()

    def decide_once_both_have_their_batch(*args, **kwargs):
        if not getattr(first_call, "done", False):
            first_call.done = True
            started.wait(timeout=20)
        return real_decide(*args, **kwargs)

    def slow_skip_reason(*args, **kwargs):
        time.sleep(0.3)
        return real_skip_reason(*args, **kwargs)

    clocks = {"one": NOW, "two": NOW - timedelta(hours=2)}
    with (
        mock.patch.object(invitations, "_decide", decide_once_both_have_their_batch),
        mock.patch.object(invitations, "skip_reason", slow_skip_reason),
    ):
        invited = run_together(lambda name: invitations.invitations_sweep(now=clocks[name]), ["one", "two"])
    assert sum(invited.values()) == 2
    assert Invitation.objects.filter(customer=layla).count() == 1
    assert Invitation.objects.filter(customer=omar).count() == 1
    decisions = {d.contact_id: d.skip_reason for d in SamplingDecision.objects.all()}
    assert decisions.keys() == {first.pk, second.pk, omars.pk}
    assert sorted([decisions[first.pk], decisions[second.pk]]) == ["", "recently_invited"]


def test_two_sweeps_of_the_same_contacts_decide_each_once(roles):
    SamplingRule.objects.create(queue=None, survey=make_survey(code="after-call"), percentage=Decimal(100))
    contacts = [closed_contact(customer=member(email=f"m{n}@example.org")) for n in range(4)]
    started = threading.Barrier(2)
    real_decide = invitations._decide
    first_call = threading.local()

    def decide_once_both_have_their_batch(*args, **kwargs):
        if not getattr(first_call, "done", False):
            first_call.done = True
            started.wait(timeout=20)
        return real_decide(*args, **kwargs)

    with mock.patch.object(invitations, "_decide", decide_once_both_have_their_batch):
        invited = run_together(lambda _name: invitations.invitations_sweep(now=NOW), ["one", "two"])
    assert sum(invited.values()) == 4
    assert SamplingDecision.objects.filter(contact__in=contacts).count() == 4
    assert Invitation.objects.count() == 4
