"""Folding stored telephony events into their contacts: queued by the API as it stores events
(services.telephony.fold_soon), and swept by beat every minute (settings.PERIODIC_TASKS)."""

from celery import shared_task

from ..models import PendingFold
from ..services.telephony import fold_soon
from ..services.telephony_fold import contacts_fold_pending

# A task folds for at most this long, then leaves the rest to a successor, so that a busy stream
# cannot keep one task past its time limit.
FOLD_SECONDS = 20


@shared_task(name="calls.tasks.telephony.fold_pending_contacts", ignore_result=True)
def fold_pending_contacts() -> int:
    """Idempotent: folding a contact again changes nothing. Requests stored from shortly before
    its due time on have queued another fold, not relied on this one (services.telephony.fold_soon)."""
    folded = contacts_fold_pending(seconds=FOLD_SECONDS)
    # Marks left over (time ran out, or stored while this fold ran): make sure a fold follows.
    if PendingFold.objects.filter(claim=None).exists():
        fold_soon()
    return folded
