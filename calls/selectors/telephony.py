"""Reads for the telephony integration: who a calling number belongs to, and how far the fold of
stored events into contacts is behind."""

from datetime import timedelta

from django.utils import timezone

from contactcentre.cache import ProcessMemo
from customers.models import Customer, CustomerPhone, HouseholdMember
from customers.rules import normalise_phone

from ..models import Contact, PendingFold, TelephonyClient

RECENT_CALLER_DAYS = 90
# Read on every events request, changed by `manage.py telephony_client`: remembered for a few seconds.
signing_secrets = ProcessMemo("API_TOKEN_CACHE_SECONDS")
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


def fold_backlog() -> tuple[int, timedelta | None]:
    """How many contacts wait to be folded (services.telephony_fold), and for how long the oldest
    has waited: the delay before a call shows on the desk. Two queries on a table of a few rows
    (marks live for a fraction of a second)."""
    oldest = PendingFold.objects.order_by("since").values_list("since", flat=True).first()
    if oldest is None:
        return 0, None
    return PendingFold.objects.values("contact").distinct().count(), timezone.now() - oldest


def client_signing_secret(user_id: int) -> str:
    """The telephony client's signing secret ("" for none), remembered for API_TOKEN_CACHE_SECONDS."""
    return signing_secrets.get_or_compute(
        user_id,
        lambda: TelephonyClient.objects.filter(user_id=user_id).values_list("signing_secret", flat=True).first() or "",
    )
