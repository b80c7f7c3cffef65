"""Who is asked: the sampling rule per queue, the decision taken for every closed contact, and the
invitation (a signed, single-use, expiring link) sent to the member."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check


class SamplingRule(models.Model):
    """The share of a queue's closed contacts whose member is invited; the rule with no queue
    serves every queue without one of its own."""

    queue = models.ForeignKey(
        "calls.Queue",
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_sampling_rules",
        help_text=_("Leave empty for the rule that serves every other queue."),
    )
    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("survey"), on_delete=models.PROTECT, related_name="sampling_rules"
    )
    percentage = models.DecimalField(_("percentage invited"), max_digits=5, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sampling rule")
        verbose_name_plural = _("sampling rules")
        ordering = ["queue__name"]
        constraints = [
            # One rule per queue, and one default rule (no queue).
            models.UniqueConstraint(Coalesce("queue", 0), name="sampling_rule_one_per_queue"),
            models.CheckConstraint(
                condition=Q(percentage__gte=0, percentage__lte=100), name="sampling_rule_percentage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queue or _('Every other queue')}: {self.percentage}%"


class InvitationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Invitation(models.Model):
    """A member asked to answer a survey. The link carries a signed token; only its hash is kept."""

    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("survey"), on_delete=models.PROTECT, related_name="invitations"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("member"), on_delete=models.PROTECT, related_name="survey_invitations"
    )
    # The contact a post-contact survey asks about (none for a SERVQUAL panel).
    contact = models.ForeignKey(
        "calls.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=InvitationChannel.choices)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    # The link is rebuilt from the salt with the secret key; only the hash of its nonce is looked up
    # (surveys/rules/tokens.py).
    token_salt = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_error = models.CharField(_("sending failed"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The N-day rule: this member's latest invitation.
            models.Index(fields=["customer", "-created_at"], name="invitation_customer_recent_idx"),
        ]
        constraints = [
            choices_check("channel", InvitationChannel, "invitation_channel_valid"),
            models.UniqueConstraint(
                fields=["contact"], condition=Q(contact__isnull=False), name="invitation_one_per_contact"
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} → {self.customer_id}"


class SkipReason(models.TextChoices):
    NO_MEMBER = "no_member", _("No member identified")
    NO_RULE = "no_rule", _("No sampling rule for the queue")
    NOT_SAMPLED = "not_sampled", _("Not in the sample")
    RECENTLY_INVITED = "recently_invited", _("Invited within the last days")
    COMPLAINT = "complaint", _("A complaint was made")
    BEREAVEMENT = "bereavement", _("Bereavement")
    OPTED_OUT = "opted_out", _("Opted out of surveys")
    DECEASED = "deceased", _("Member deceased")
    NO_ADDRESS = "no_address", _("No email address or mobile number")


class SamplingDecision(models.Model):
    """Whether a closed contact's member was invited, and if not, why: one per contact, so the sweep
    that takes these decisions can run any number of times."""

    contact = models.OneToOneField(
        "calls.Contact", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="survey_decision"
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )
    skip_reason = models.CharField(_("not invited because"), max_length=20, choices=SkipReason.choices, blank=True)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("sampling decision")
        verbose_name_plural = _("sampling decisions")
        constraints = [
            choices_check("skip_reason", SkipReason, "decision_skip_reason_valid", blank=True),
            # Invited, or skipped for a reason: never both, never neither.
            models.CheckConstraint(
                condition=(Q(invitation__isnull=False) & Q(skip_reason=""))
                | (Q(invitation__isnull=True) & ~Q(skip_reason="")),
                name="decision_invited_or_skipped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.skip_reason or 'invited'}"
