"""Tasks of the post-contact surveys: thin, idempotent, each calling a service."""

from celery import shared_task

from ..services.invitations import (
    SendDeferred,
    invitation_deliver,
    invitation_send_failed,
    invitations_resend,
    invitations_sweep,
)

MAX_RETRIES = 6


def retry_countdown(retries: int) -> int:
    """Seconds before the next try: 1, 2, 4, 8, 16, then 32 minutes (about an hour in all)."""
    return 60 * 2 ** min(retries, 5)


@shared_task(bind=True, ignore_result=True, max_retries=MAX_RETRIES, name="surveys.tasks.invitations.invitation_send")
def invitation_send(self, invitation_id: int) -> None:
    """Send an invitation's email or text message (once: a sent invitation is not sent again).
    Retried with backoff for transient failures only (the mail server unreachable); a permanent one
    is recorded."""
    try:
        invitation_deliver(invitation_id=invitation_id)
    except SendDeferred as error:
        if self.request.retries >= self.max_retries:
            invitation_send_failed(invitation_id=invitation_id, error=str(error))
            return
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None


@shared_task(ignore_result=True, name="surveys.tasks.invitations.invite_sweep")
def invite_sweep() -> int:
    """Decide for every contact wrapped up lately whether to invite its member. No retries: the next
    run, minutes later, picks up whatever this one could not do."""
    return invitations_sweep()


@shared_task(ignore_result=True, name="surveys.tasks.invitations.resend_unsent")
def resend_unsent() -> int:
    """Queue again the invitations whose sending was never queued or never ran (a broker outage)."""
    return invitations_resend()
