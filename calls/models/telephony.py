"""What telephony platforms send: their events, stored once each (deduplicated by provider and
event id), and the API clients that send them with their optional signing secret."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check


class EventType(models.TextChoices):
    OFFERED = "offered", _("Offered")
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("Answered")
    HELD = "held", _("Held")
    RESUMED = "resumed", _("Resumed")
    TRANSFERRED = "transferred", _("Transferred")
    ENDED = "ended", _("Ended")
    ABANDONED = "abandoned", _("Abandoned")
    WRAP_UP_ENDED = "wrap_up_ended", _("Wrap-up ended")


class TelephonyEvent(models.Model):
    """One event as received. The contact it belongs to is recomputed from all its events, so
    the order they arrive in does not matter (calls.rules.fold_call)."""

    provider = models.CharField(_("provider"), max_length=40)
    event_id = models.CharField(_("event id"), max_length=128)
    external_call_id = models.CharField(_("external call id"), max_length=128)
    type = models.CharField(_("type"), max_length=16, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    sequence = models.BigIntegerField(_("sequence number"), null=True, blank=True)
    # Indexed by (contact, occurred_at) below: a second index on the contact alone would only cost inserts.
    contact = models.ForeignKey("calls.Contact", on_delete=models.CASCADE, related_name="events", db_index=False)
    queue = models.CharField(_("queue"), max_length=40, blank=True)
    agent = models.CharField(_("agent"), max_length=40, blank=True)
    caller_number = models.CharField(_("caller number"), max_length=32, blank=True)
    dialled_number = models.CharField(_("dialled number"), max_length=32, blank=True)
    cause = models.CharField(_("cause"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    # Not indexed: nothing looks events up by sender, and every index costs each of thousands of
    # inserts a second (API clients are deactivated, not deleted). Not checked by the database
    # either: the value is always the authenticated client, and the check locked that one user row
    # once per event, from every request at once, which cost 17 ms of a 500-event batch's 57
    # (docs/performance.md). Deleting a user still empties it (Django's on_delete).
    received_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("telephony event")
        verbose_name_plural = _("telephony events")
        # The fold reads a call's events in this order (rules.event_order breaks ties further).
        indexes = [models.Index(fields=["contact", "occurred_at"], name="telephony_event_contact_idx")]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="telephony_event_once"),
            choices_check("type", EventType, "telephony_event_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id} {self.type}"


class PendingFold(models.Model):
    """A contact with events stored but not yet folded into it: one mark per request and contact.
    A worker claims marks (`claim`, `claimed_at`), folds their contacts once each, however many
    marks they have, and deletes the marks it claimed (services.telephony_fold). Plain inserts, no
    unique key: requests never wait for each other or for the fold. `since` is when the request
    stored its events: the fold's lag."""

    id = models.BigAutoField(primary_key=True)
    # Not indexed: marks live for a fraction of a second, and are found by claim.
    contact = models.ForeignKey("calls.Contact", on_delete=models.CASCADE, related_name="+", db_index=False)
    since = models.DateTimeField(_("waiting since"))
    claim = models.UUIDField(_("claimed by"), null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact waiting to be folded")
        verbose_name_plural = _("contacts waiting to be folded")
        constraints = [
            # A claim has its time (the lease is counted from it), and a free mark has neither.
            models.CheckConstraint(
                condition=Q(claim__isnull=True, claimed_at__isnull=True)
                | Q(claim__isnull=False, claimed_at__isnull=False),
                name="pending_fold_claim_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} since {self.since:%H:%M:%S}"


class TelephonyClient(models.Model):
    """A telephony platform's API client. With a signing secret, every event request must carry
    `X-Tawasul-Signature: sha256=<hex HMAC-SHA256 of the body>`; without one, the token is enough.
    The secret has to be readable to check a signature, so it is not hashed (unlike API tokens):
    it is shown once, at creation, like the token, and replaced rather than displayed again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telephony_client", primary_key=True
    )
    signing_secret = models.CharField(_("signing secret"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("telephony client")
        verbose_name_plural = _("telephony clients")

    def __str__(self) -> str:
        return str(self.user_id)
