"""Fixtures of the invitations tests."""

import pytest

from surveys import sms


@pytest.fixture
def sms_outbox(settings):
    """Text messages go to surveys.sms.outbox, as (number, text)."""
    settings.SURVEY_SMS_SENDER = "surveys.sms.outbox_sender"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
