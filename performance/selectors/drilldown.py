"""The contacts behind a dashboard figure: the same contacts the rollups counted for it
(`rules.rollups.offered_part` / `ended_part`), for the same period and scope, newest first.

Offered, answered, abandoned and their kin count where a call was OFFERED; handled, transferred and
repeat contacts where it ENDED (domain.md). The scope narrows the contacts as `selectors.naive`
does (a site scope reads the contacts of the site, their own or else their queue's; a plan tier or
corporate scope, the member's cover on that day; a team or agent scope, the calls its agents
answered), so a list holds the contacts its count counted. A contact's `handle_seconds` counts its
wrap-up as the rollups do (`calls.rules.telephony.wrap_up_seconds_counted`)."""

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from calls.models import Contact, ContactChannel, Direction

from ..services.rollups import DEFAULT_THRESHOLD, repeat_contact_exists
from .kpis import Period, Scope
from .naive import contacts_in_scope

# Telephony calls: reported by a platform (a call logged by hand at the desk is a contact only).
_INBOUND_CALL = Q(channel=ContactChannel.PHONE, direction=Direction.INBOUND) & ~Q(provider="")
_ANSWERED = _INBOUND_CALL & Q(answered_at__isnull=False, is_abandoned=False)
_ABANDONED = _INBOUND_CALL & Q(is_abandoned=True, is_short_abandon=False)
_HANDLED = _INBOUND_CALL & Q(answered_at__isnull=False, ended_at__isnull=False)
_LATE = Q(wait_seconds__gt=Coalesce(F("queue__answer_threshold_seconds"), Value(DEFAULT_THRESHOLD)))

# figure -> (the moment that places a contact in the period, which contacts)
FIGURES: dict[str, tuple[str, Q]] = {
    "offered": ("offered_at", _ANSWERED | _ABANDONED),
    "answered": ("offered_at", _ANSWERED),
    "answered_late": ("offered_at", _ANSWERED & _LATE),
    "abandoned": ("offered_at", _ABANDONED),
    "short_abandoned": ("offered_at", _INBOUND_CALL & Q(is_short_abandon=True)),
    "handled": ("ended_at", _HANDLED),
    "transferred": ("ended_at", _HANDLED & Q(transfer_count__gt=0)),
    "repeat": ("ended_at", _HANDLED & Q(customer__isnull=False, repeated=True)),
}
FIGURE_DESCRIPTIONS = {
    "offered": _(
        "Inbound calls offered to a queue in the period: answered, or abandoned after the short-abandon threshold."
    ),
    "answered": _("Inbound calls offered in the period and answered."),
    "answered_late": _("Inbound calls offered in the period and answered after their queue's threshold T."),
    "abandoned": _(
        "Inbound calls offered in the period whose caller hung up before an answer (short abandons left out)."
    ),
    "short_abandoned": _("Calls abandoned within their queue's short-abandon threshold: left out of every KPI."),
    "handled": _("Answered inbound calls that ended in the period (handle time counts where a call ended)."),
    "transferred": _("Handled calls transferred at least once."),
    "repeat": _("Handled calls of known members followed by another inbound contact from the member within 7 days."),
}


def drilldown_contacts(figure: str, period: Period, scope: Scope) -> QuerySet[Contact]:
    """The contacts a figure counted; `figure` is a key of FIGURES (KeyError otherwise)."""
    moment, which = FIGURES[figure]
    start, end = period.bounds()
    contacts = Contact.objects.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
    if figure == "repeat":
        contacts = contacts.annotate(repeated=repeat_contact_exists())
    contacts = contacts_in_scope(contacts.filter(which), scope, moment)
    return contacts.select_related("queue", "site", "agent").order_by(f"-{moment}", "-pk")
