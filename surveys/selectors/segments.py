"""The segment a response speaks for, as it is when the response is given."""

from dataclasses import dataclass
from datetime import date

from calls.models import Contact
from claims.selectors import member_plans_on


@dataclass(frozen=True)
class Segment:
    agent_id: int | None = None
    team_id: int | None = None
    queue_id: int | None = None
    site_id: int | None = None
    plan_tier: str = ""
    is_corporate: bool | None = None


def member_plan(customer_id: int, on: date) -> tuple[str, bool | None]:
    """(plan tier, corporate or not) of the member's cover on a date; ("", None) without cover."""
    return member_plans_on([customer_id], on).get(customer_id, ("", None))


def segment_for(*, contact: Contact | None, customer_id: int | None, on: date) -> Segment:
    tier, corporate = member_plan(customer_id, on) if customer_id else ("", None)
    if contact is None:
        # A panel member answering with no contact: the site of their latest call, so that SERVQUAL
        # compares sites too.
        site_id = (
            Contact.objects.filter(customer_id=customer_id, site__isnull=False)
            .order_by("-offered_at")
            .values_list("site_id", flat=True)
            .first()
            if customer_id
            else None
        )
        return Segment(site_id=site_id, plan_tier=tier, is_corporate=corporate)
    agent = contact.agent
    return Segment(
        agent_id=contact.agent_id,
        team_id=agent.team_id if agent is not None else None,
        queue_id=contact.queue_id,
        site_id=contact.site_id or (agent.site_id if agent is not None else None),
        plan_tier=tier,
        is_corporate=corporate,
    )
