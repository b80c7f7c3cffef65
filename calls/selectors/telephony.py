"""Reads for the telephony integration: who a calling number belongs to."""

from datetime import timedelta

from django.utils import timezone

from customers.models import Customer, CustomerPhone, HouseholdMember
from customers.rules import normalise_phone

from ..models import Contact

RECENT_CALLER_DAYS = 90
_RANK = {"member_phone": 1.0, "household": 0.8, "recent_caller": 0.6}


def caller_lookup(number: str, *, limit: int = 20) -> list[dict] | None:
    """Members for a screen-pop, best first: those whose own phone it is, then their household,
    then members who called from it in the last 90 days. None when `number` is not a phone number.
    Four indexed queries whatever the history (customer_phone_number_idx, contact_caller_recent_idx)."""
    e164 = normalise_phone(number)
    if e164 is None:
        return None
    matched: dict[int, str] = {}
    owners = list(CustomerPhone.objects.filter(number=e164).values_list("customer_id", flat=True)[:limit])
    matched.update(dict.fromkeys(owners, "member_phone"))
    if owners:
        households = HouseholdMember.objects.filter(customer__in=owners).values("household")
        for customer_id in HouseholdMember.objects.filter(household__in=households).values_list(
            "customer_id", flat=True
        ):
            matched.setdefault(customer_id, "household")
    since = timezone.now() - timedelta(days=RECENT_CALLER_DAYS)
    recent = (
        Contact.objects.filter(caller_number=e164, offered_at__gte=since, customer__isnull=False)
        .order_by("-offered_at")
        .values_list("customer_id", flat=True)[: limit * 3]
    )
    for customer_id in recent:
        matched.setdefault(customer_id, "recent_caller")
    ranked = sorted(matched.items(), key=lambda item: (-_RANK[item[1]], item[0]))[:limit]
    customers = Customer.objects.in_bulk([customer_id for customer_id, _how in ranked])
    return [
        {"customer": customers[customer_id], "score": _RANK[how], "matched_on": how}
        for customer_id, how in ranked
        if customer_id in customers
    ]
