"""Sending invitations: an email in the member's language (subject, text and HTML, with the survey link
and an opt-out link) or a text message; once; retried only for transient failures; a permanent
failure recorded; the token never stored."""

import logging
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.translation import gettext, override

from contactcentre.models import AuditEvent
from surveys import sms
from surveys.models import Invitation
from surveys.services.invitations import invitation_channel, invitation_issue
from surveys.tasks.invitations import MAX_RETRIES, invitation_send, retry_countdown

from ..factories import make_invitation, make_survey
from .helpers import NOW, closed_contact, member, mobile_member

pytestmark = pytest.mark.django_db

BASE = "https://feedback.example.org"


class FlakyBackend(BaseEmailBackend):
    """Fails with each of `failures` in turn (or `always`), then delivers to mail.outbox."""

    failures: list[Exception] = []
    always: Exception | None = None
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.always is not None:
            raise FlakyBackend.always
        if FlakyBackend.failures:
            raise FlakyBackend.failures.pop(0)
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.always, FlakyBackend.attempts = [], None, 0
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failures, FlakyBackend.always = [], None


@pytest.fixture
def survey(roles, settings):
    settings.PUBLIC_BASE_URL = BASE + "/"
    return make_survey(code="after-call", name="After your call", name_ar="بعد مكالمتك")


def issue(customer, survey, contact=None) -> tuple[Invitation, str]:
    contact = contact or closed_contact(customer=customer, wrapped_up_at=NOW)
    return invitation_issue(survey=survey, customer=customer, contact=contact, channel=invitation_channel(customer))


def send(invitation: Invitation, token: str) -> Invitation:
    invitation_send.apply(args=(invitation.pk,))
    invitation.refresh_from_db()
    return invitation


def test_an_english_email_has_a_subject_text_and_html_with_the_survey_and_opt_out_links(survey, mailoutbox):
    invitation, token = issue(member(first_name="Layla"), survey)
    invitation = send(invitation, token)
    [email] = mailoutbox
    link = f"{BASE}/s/{token}/"
    assert email.to == ["layla@example.org"]
    assert email.subject == "How did we do? A two-minute survey about your call"
    assert email.body.startswith("Dear Layla,")
    assert "Thank you for calling us on 2 March." in email.body
    assert f"\n{link}\n" in email.body and f"\n{link}opt-out/\n" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html and f'href="{link}opt-out/"' in html
    assert '<html lang="en" dir="ltr">' in html
    assert invitation.sent_at is not None and invitation.send_error == ""


def test_an_arabic_members_email_is_in_arabic_right_to_left(survey, mailoutbox):
    customer = member(first_name="Layla", first_name_ar="ليلى", last_name_ar="حداد", preferred_language="ar")
    invitation, token = issue(customer, survey)
    send(invitation, token)
    [email] = mailoutbox
    with override("ar"):
        subject = gettext("How did we do? A two-minute survey about your call")
    assert email.subject == subject
    assert "ليلى حداد" in email.body.splitlines()[0]  # the name as the member writes it in Arabic
    assert "2 مارس" in email.body  # the call's date, with the Arabic month
    html, _mimetype = email.alternatives[0]
    assert '<html lang="ar" dir="rtl">' in html and f"{BASE}/s/{token}/" in html


def test_a_member_without_email_is_texted_the_link_through_the_configured_sender(survey, sms_outbox, mailoutbox):
    invitation, token = issue(mobile_member(), survey)
    assert invitation.channel == "sms"
    invitation = send(invitation, token)
    [(number, text)] = sms_outbox
    assert number == "+447700900456"
    assert f"{BASE}/s/{token}/ " in text and text.endswith(f"{BASE}/s/{token}/opt-out/")
    assert mailoutbox == [] and invitation.sent_at is not None


def test_a_sent_invitation_is_not_sent_again(survey, mailoutbox):
    invitation, token = issue(member(), survey)
    sent_at = send(invitation, token).sent_at
    assert send(invitation, token).sent_at == sent_at
    assert len(mailoutbox) == 1


def test_the_token_is_not_stored_and_sending_is_queued_after_the_commit(survey, django_capture_on_commit_callbacks):
    with mock.patch.object(invitation_send, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invitation, token = issue(member(), survey)
        delay.assert_not_called()
        callbacks[0]()
    delay.assert_called_once_with(invitation.pk)
    stored = str(Invitation.objects.filter(pk=invitation.pk).values().get())
    audit = str(list(AuditEvent.objects.values()))
    assert token not in stored and token.split(":")[0] not in stored and token not in audit


def test_a_transient_smtp_failure_is_retried_until_it_goes_through(survey, flaky):
    flaky.failures = [smtplib.SMTPServerDisconnected("gone"), smtplib.SMTPConnectError(421, "busy")]
    invitation, token = issue(member(), survey)
    invitation = send(invitation, token)
    assert flaky.attempts == 3 and len(mail.outbox) == 1
    assert invitation.sent_at is not None and invitation.send_error == ""


def test_after_its_retries_a_transient_failure_is_recorded(survey, flaky):
    flaky.always = ConnectionRefusedError("connection refused")
    invitation, token = issue(member(), survey)
    invitation = send(invitation, token)
    assert flaky.attempts == MAX_RETRIES + 1
    assert invitation.sent_at is None and invitation.send_error.startswith("Gave up after retrying")


def test_a_permanent_refusal_is_recorded_and_not_retried(survey, flaky):
    flaky.always = smtplib.SMTPRecipientsRefused({"layla@example.org": (550, b"No such user")})
    invitation, token = issue(member(), survey)
    invitation = send(invitation, token)
    assert flaky.attempts == 1 and invitation.sent_at is None
    assert "No such user" in invitation.send_error
    send(invitation, token)  # a redelivered task leaves it alone
    assert flaky.attempts == 1


def test_retries_back_off():
    assert [retry_countdown(n) for n in range(7)] == [60, 120, 240, 480, 960, 1920, 1920]


# What scripted_sender raises, in turn, before it hands a message to the outbox.
SMS_FAILURES: list[Exception] = []
SMS_ATTEMPTS: list[str] = []


def scripted_sender(number: str, text: str) -> None:
    SMS_ATTEMPTS.append(number)
    if SMS_FAILURES:
        raise SMS_FAILURES.pop(0)
    sms.outbox_sender(number, text)


@pytest.fixture
def scripted_sms(settings, sms_outbox):
    settings.SURVEY_SMS_SENDER = f"{__name__}.scripted_sender"
    SMS_FAILURES.clear()
    SMS_ATTEMPTS.clear()
    yield SMS_FAILURES
    SMS_FAILURES.clear()


def test_a_text_the_provider_refuses_is_recorded_and_not_retried(survey, scripted_sms, sms_outbox):
    scripted_sms.append(ValueError("Not a mobile number"))
    invitation, token = issue(mobile_member(), survey)
    invitation = send(invitation, token)
    assert len(SMS_ATTEMPTS) == 1 and sms_outbox == []
    assert invitation.send_error == "The text message was refused: Not a mobile number"


def test_a_text_provider_that_cannot_be_reached_is_tried_again(survey, scripted_sms, sms_outbox):
    scripted_sms.extend([TimeoutError("provider timed out"), ConnectionError("reset")])
    invitation, token = issue(mobile_member(), survey)
    assert send(invitation, token).sent_at is not None
    assert len(SMS_ATTEMPTS) == 3 and len(sms_outbox) == 1


@pytest.mark.parametrize("change", ["opted out", "no email now", "answered", "expired"])
def test_an_invitation_that_should_no_longer_go_is_not_sent(survey, mailoutbox, change):
    customer = member()
    invitation, token = issue(customer, survey)
    if change == "opted out":
        type(customer).objects.filter(pk=customer.pk).update(consent_research=False)
    if change == "no email now":
        type(customer).objects.filter(pk=customer.pk).update(email="")
    if change == "answered":
        Invitation.objects.filter(pk=invitation.pk).update(answered_at=timezone.now())
    if change == "expired":
        invitation, token = make_invitation(survey=survey, customer=customer, expired=True)
    invitation = send(invitation, token)
    assert mailoutbox == [] and invitation.sent_at is None and invitation.send_error


def test_after_a_change_of_secret_key_an_old_invitation_is_not_sent_with_a_dead_link(survey, mailoutbox, settings):
    invitation, token = issue(member(), survey)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40  # its link would be refused as forged
    invitation = send(invitation, token)
    assert invitation.sent_at is None and mailoutbox == [] and "secret key" in invitation.send_error


def test_the_log_sender_keeps_the_links_token_out_of_the_log(settings, caplog):
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="surveys.sms"):
        sms.log_sender(
            "+447700900456", "How did we do? https://x.example/s/abc:def/ No more: https://x.example/s/abc:def/opt-out/"
        )
    assert "abc:def" not in caplog.text and "…0456" in caplog.text and "https://x.example/s/…/opt-out/" in caplog.text


def test_an_invitation_whose_sending_was_lost_is_sent_by_the_resend_sweep(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    """The broker was down when the invitation was made: its task never ran. The link is rebuilt from
    the stored salt, so the resend sweep sends it, once, and the link works."""
    from datetime import timedelta

    from surveys.services.invitations import invitations_resend

    with (
        mock.patch.object(invitation_send, "delay", side_effect=ConnectionError("broker down")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation, token = issue(member(), survey)  # robust on_commit: the failure is logged, not raised
    delay.assert_called_once()
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None
    assert invitations_resend() == 0  # too recent: its task may still be on its way
    later = timezone.now() + timedelta(minutes=11)
    with mock.patch.object(invitation_send, "delay", side_effect=lambda pk: invitation_send.apply(args=(pk,))):
        assert invitations_resend(now=later) == 1
        assert invitations_resend(now=later) == 0
    assert len(mailoutbox) == 1 and f"/s/{token}/" in mailoutbox[0].body
    assert Invitation.objects.get(pk=invitation.pk).sent_at is not None
