"""Text-message senders for survey invitations. settings.SURVEY_SMS_SENDER names one by dotted path;
a sender is a function (number in E.164, text) -> None that raises on failure: ConnectionError or
TimeoutError when it is worth trying again later, anything else when the message is refused for
good. An installation points the setting at its SMS provider's client."""

import logging
import re

from django.conf import settings

logger = logging.getLogger(__name__)

# The survey link's token, so that a text written to the log is no usable link.
_TOKEN = re.compile(r"(/s/)[^/\s]+")


def log_sender(number: str, text: str) -> None:
    """Write the message to the log instead of sending it (the default, for development). The link's
    token is left out unless DEBUG is on: a log is no place for a key to a member's survey."""
    shown = text if settings.DEBUG else _TOKEN.sub(r"\1…", text)
    logger.info("Text message to …%s: %s", number[-4:], shown)


# What outbox_sender "sent", as (number, text): the tests' capture, like django.core.mail.outbox.
outbox: list[tuple[str, str]] = []


def outbox_sender(number: str, text: str) -> None:
    outbox.append((number, text))
