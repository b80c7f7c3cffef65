"""Whom to invite after a contact: the sampling rules as a pure decision on facts the services
gather (surveys/services/invitations.py)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class SamplingFacts:
    contact_id: int
    now: datetime
    has_member: bool = True
    deceased: bool = False
    bereavement: bool = False  # the member is flagged bereaved, or the contact was about a bereavement
    complaint: bool = False  # the contact logged a complaint, or the member has one open
    consents: bool = True  # consents to surveys and research (opting out withdraws it)
    channel: str | None = "email"  # "email", "sms", or None when there is no way to reach the member
    percentage: Decimal | None = Decimal(100)  # the queue's rule; None when no rule applies
    last_invited_at: datetime | None = None
    interval_days: int = 30


def in_sample(contact_id: int, percentage: Decimal, *, salt: str) -> bool:
    """A stable draw: the same contact always gets the same answer, so the sweep can run again, and
    over many contacts `percentage` of them are drawn. Hundredths of a percent are honoured."""
    digest = hashlib.sha256(f"{salt}:{contact_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10000 < int(percentage * 100)


def skip_reason(facts: SamplingFacts, *, salt: str) -> str | None:
    """Why not to invite (a SkipReason value), or None to invite. Exclusions first, the draw last."""
    if not facts.has_member:
        return "no_member"
    if facts.deceased:
        return "deceased"
    if facts.bereavement:
        return "bereavement"
    if facts.complaint:
        return "complaint"
    if not facts.consents:
        return "opted_out"
    if facts.channel is None:
        return "no_address"
    if facts.percentage is None:
        return "no_rule"
    if facts.last_invited_at is not None and facts.last_invited_at > facts.now - timedelta(days=facts.interval_days):
        return "recently_invited"
    if not in_sample(facts.contact_id, facts.percentage, salt=salt):
        return "not_sampled"
    return None
