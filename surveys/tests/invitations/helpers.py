"""Records for the invitations tests: members who may be invited, and contacts wrapped up at fixed times."""

from datetime import UTC, datetime, timedelta

from calls.tests.factories import ContactFactory
from claims.tests.factories import CustomerFactory, PhoneFactory

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday


def member(**kwargs):
    """A member who consents to surveys and has an email address."""
    defaults = {"email": "layla@example.org", "consent_research": True, "preferred_language": "en"}
    return CustomerFactory(**{**defaults, **kwargs})


def mobile_member(**kwargs):
    """A member with no email address who consents to texts and has a mobile number."""
    customer = member(email="", consent_sms=True, **kwargs)
    PhoneFactory(customer=customer, kind="mobile", number="+447700900456")
    return customer


def closed_contact(*, customer, wrapped_up_at=NOW - timedelta(hours=1), **kwargs):
    """A call that ended and was wrapped up (as information given, unless `outcome=`)."""
    defaults = {"customer": customer, "wrapped_up_at": wrapped_up_at, "outcome": "information_given"}
    return ContactFactory(**{**defaults, **kwargs})
