"""Contacts (one interaction on one channel: a call, a letter, an email) and the managed
two-level taxonomy of reasons they are coded with."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check, not_negative

from ..rules.telephony import wrap_up_seconds_counted


class ReasonCode(models.Model):
    """A contact reason: a category (no parent) or a reason within one. Two levels, no deeper:
    `clean()` refuses a third (administrators manage the taxonomy in the admin, which calls it)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        ordering = ["position", "name"]
        constraints = [models.CheckConstraint(condition=~Q(parent=models.F("id")), name="reason_not_own_parent")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": _("Choose a category: reasons go two levels deep, no more.")})
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": _("This is a category with reasons of its own; it cannot go under another.")}
            )


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class ContactState(models.TextChoices):
    OFFERED = "offered", _("Waiting in the queue")
    RINGING = "ringing", _("Ringing")
    ON_CALL = "on_call", _("On the call")
    ON_HOLD = "on_hold", _("On hold")
    WRAP_UP = "wrap_up", _("Wrap-up")
    CLOSED = "closed", _("Closed")
    ABANDONED = "abandoned", _("Abandoned")


class IdvOutcome(models.TextChoices):
    NOT_DONE = "not_done", _("Not verified")
    PASSED = "passed", _("Verified")
    FAILED = "failed", _("Failed verification")


class CallerState(models.TextChoices):
    CALM = "calm", _("Calm")
    ANXIOUS = "anxious", _("Anxious")
    DISTRESSED = "distressed", _("Distressed")
    ANGRY = "angry", _("Angry")


class ContactOutcome(models.TextChoices):
    INFORMATION_GIVEN = "information_given", _("Information given")
    COVER_CONFIRMED = "cover_confirmed", _("Cover confirmed")
    CLAIM_PROGRESSED = "claim_progressed", _("Claim progressed")
    PAYMENT_TAKEN = "payment_taken", _("Payment taken")
    COMPLAINT_LOGGED = "complaint_logged", _("Complaint logged")
    CALLBACK_ARRANGED = "callback_arranged", _("Callback arranged")
    REFERRED = "referred", _("Referred elsewhere")
    NURSE_ADVICE = "nurse_advice", _("Nurse advice given")
    OTHER = "other", _("Other")


class Contact(models.Model):
    """One customer interaction. For telephony calls, the timing fields (state, timestamps,
    seconds, legs, abandonment) are derived from the call's events by `rules.fold_call` and never
    typed; the agent's wrap-up (reasons, outcome, notes, caller state, FCR) is typed."""

    channel = models.CharField(
        _("channel"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.PHONE
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INBOUND)
    # The telephony platform's name for the call; both empty for contacts logged by hand.
    provider = models.CharField(_("telephony provider"), max_length=40, blank=True)
    external_id = models.CharField(_("external call id"), max_length=128, blank=True)
    caller_number = models.CharField(_("caller number"), max_length=32, blank=True)
    dialled_number = models.CharField(_("dialled number"), max_length=32, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        db_index=False,
    )
    idv_outcome = models.CharField(
        _("identification and verification"), max_length=10, choices=IdvOutcome.choices, default=IdvOutcome.NOT_DONE
    )
    queue = models.ForeignKey(
        "calls.Queue",
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        db_index=False,
    )
    site = models.ForeignKey(
        "staff.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        db_index=False,
    )
    # The agent as the telephony named them; `agent_unmatched` flags a name no agent holds (kept, never dropped).
    agent_extension = models.CharField(_("agent extension"), max_length=40, blank=True)
    agent_unmatched = models.BooleanField(_("unknown agent extension"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=ContactState.choices, default=ContactState.OFFERED)
    offered_at = models.DateTimeField(_("offered or received at"), null=True, blank=True)
    ringing_at = models.DateTimeField(_("ringing at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    wrap_up_ended_at = models.DateTimeField(_("wrap-up ended at"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("queue wait (seconds)"), default=0)
    ring_seconds = models.PositiveIntegerField(_("ring (seconds)"), default=0)
    hold_seconds = models.PositiveIntegerField(_("hold (seconds)"), default=0)
    talk_seconds = models.PositiveIntegerField(_("talk (seconds)"), default=0)
    wrap_up_seconds = models.PositiveIntegerField(_("wrap-up (seconds)"), default=0)
    transfer_count = models.PositiveSmallIntegerField(_("transfers"), default=0)
    # The chain of legs: [{"queue": code, "agent": extension, "from": iso time}, ...]
    legs = models.JSONField(_("legs"), default=list, blank=True)
    is_abandoned = models.BooleanField(_("abandoned"), default=False)
    is_short_abandon = models.BooleanField(_("short abandon"), default=False)
    end_cause = models.CharField(_("end cause"), max_length=40, blank=True)
    # The agent's wrap-up.
    reasons = models.ManyToManyField(ReasonCode, verbose_name=_("reasons"), blank=True, related_name="contacts")
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    caller_state = models.CharField(_("caller state"), max_length=10, choices=CallerState.choices, blank=True)
    resolved_first_contact = models.BooleanField(_("resolved at first contact"), null=True, blank=True)
    wrapped_up_at = models.DateTimeField(_("wrapped up at"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    claim = models.ForeignKey(
        "claims.Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        db_index=False,
    )
    policy = models.ForeignKey(
        "claims.Policy",
        verbose_name=_("policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    cover_check = models.ForeignKey(
        "claims.CoverCheck",
        verbose_name=_("cover check"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        db_index=False,
    )
    complaint = models.ForeignKey(
        "calls.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        db_index=False,
    )
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-offered_at", "-id"]
        indexes = [
            # The 360's recent contacts, and the repeat-contact FCR measure.
            models.Index(fields=["customer", "-offered_at"], name="contact_customer_recent_idx"),
            # The telephony lookup's "recent caller number" rank.
            models.Index(fields=["caller_number", "-offered_at"], name="contact_caller_recent_idx"),
            # The desk's screen-pop: this agent's live call.
            models.Index(fields=["agent", "state"], name="contact_agent_state_idx"),
            # KPIs per queue and interval.
            models.Index(fields=["queue", "offered_at"], name="contact_queue_offered_idx"),
            # The survey sweep: contacts wrapped up lately (partial, so a live call's fold never touches it).
            models.Index(
                fields=["wrapped_up_at"], condition=Q(wrapped_up_at__isnull=False), name="contact_wrapped_up_idx"
            ),
            # The customer, queue and agent foreign keys are served by the indexes above (each leads
            # with it), and the links below by partial indexes: most contacts have none, and a
            # telephony fold rewrites each live call's row several times, every index with it.
            *(
                models.Index(fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"contact_{name}_idx")
                for name in ("claim", "policy", "cover_check", "complaint")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], condition=~Q(external_id=""), name="contact_external_call_unique"
            ),
            choices_check("channel", ContactChannel, "contact_channel_valid"),
            choices_check("direction", Direction, "contact_direction_valid"),
            choices_check("state", ContactState, "contact_state_valid"),
            choices_check("idv_outcome", IdvOutcome, "contact_idv_valid"),
            choices_check("caller_state", CallerState, "contact_caller_state_valid", blank=True),
            choices_check("outcome", ContactOutcome, "contact_outcome_valid", blank=True),
            not_negative("wait_seconds", "contact_wait_not_negative"),
            # Abandoned means ended unanswered: the flag can never disagree with the times.
            models.CheckConstraint(
                condition=Q(is_abandoned=False) | (Q(answered_at__isnull=True) & Q(ended_at__isnull=False)),
                name="contact_abandoned_is_unanswered",
            ),
            models.CheckConstraint(
                condition=Q(is_short_abandon=False) | Q(is_abandoned=True), name="contact_short_abandon_is_abandon"
            ),
            # A contact wrapped up says how it ended.
            models.CheckConstraint(
                condition=Q(wrapped_up_at__isnull=True) | ~Q(outcome=""), name="contact_wrap_up_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.pk}"

    @property
    def handle_seconds(self) -> int:
        """Talk, hold and wrap-up as AHT counts them (a wrap-up ended at the desk when the platform
        said none: docs/kpis.md)."""
        wrap_up = wrap_up_seconds_counted(
            wrap_up_seconds=self.wrap_up_seconds,
            wrap_up_ended_at=self.wrap_up_ended_at,
            wrapped_up_at=self.wrapped_up_at,
            ended_at=self.ended_at,
        )
        return self.talk_seconds + self.hold_seconds + wrap_up

    @property
    def is_live(self) -> bool:
        return self.state in {ContactState.OFFERED, ContactState.RINGING, ContactState.ON_CALL, ContactState.ON_HOLD}
