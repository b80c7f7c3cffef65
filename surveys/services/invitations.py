"""Inviting members: the post-contact sweep and its sampling decisions, issuing an invitation (a
signed, single-use, expiring link), sending it by email or text message, and opting out.

The sweep draws with a salt derived from SECRET_KEY (sampling_salt), not a fixed one: an agent who
read the source could otherwise tell which of their calls will be surveyed."""

import hashlib
import hmac
import logging
import smtplib
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string

from calls.models import Complaint, Contact, ContactChannel, ContactOutcome, ContactState, Direction, ReasonCode
from calls.rules.complaints import OPEN_STATUSES
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from customers.models import Customer, CustomerPhone, CustomerStatus, PhoneKind, VulnerabilityCategory

from ..exceptions import LinkUnusable
from ..models import Invitation, InvitationChannel, SamplingDecision, Survey
from ..rules.sampling import SamplingFacts, skip_reason
from ..rules.tokens import token_for, token_hash, token_new, token_nonce
from ..selectors.sampling import active_rules, rule_for

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# A run decides at most this many contacts; the next run, minutes later, takes the rest.
MAX_PER_RUN = 5000


def invitation_channel(customer: Customer) -> str | None:
    """Email when the member has an address; otherwise a text message to their mobile if they
    consent to texts; None when neither. (The sweep annotates `has_mobile` to save a query.)"""
    if customer.email:
        return InvitationChannel.EMAIL
    if not customer.consent_sms:
        return None
    has_mobile = getattr(customer, "has_mobile", None)
    if has_mobile is None:
        has_mobile = customer.phones.filter(kind=PhoneKind.MOBILE).exists()
    return InvitationChannel.SMS if has_mobile else None


def invitation_issue(*, survey: Survey, customer: Customer, contact=None, channel: str) -> tuple[Invitation, str]:
    """(invitation, token): a new invitation in the member's language, valid SURVEY_LINK_DAYS, with
    its link's token (rebuilt when sending: surveys/rules/tokens.py). Sending is queued after the
    transaction commits; should the broker be down then, the resend sweep sends it later."""
    token, digest, salt = token_new()
    now = timezone.now()
    invitation = Invitation.objects.create(
        survey=survey,
        customer=customer,
        contact=contact,
        channel=channel,
        language=customer.preferred_language,
        token_salt=salt,
        token_hash=digest,
        expires_at=now + timedelta(days=settings.SURVEY_LINK_DAYS),
    )
    from ..tasks.invitations import invitation_send

    transaction.on_commit(lambda: invitation_send.delay(invitation.pk), robust=True)
    return invitation, token


# --- The sweep -------------------------------------------------------------------------------------


def sampling_salt() -> str:
    return hmac.new(settings.SECRET_KEY.encode(), b"surveys.sampling", hashlib.sha256).hexdigest()


def _contact_exclusions(contact: Contact, excluded: frozenset[str]) -> tuple[bool, bool]:
    """(bereavement, complaint) as the contact itself shows them: a complaint attached or logged, or a
    reason (or its category) in SURVEY_EXCLUDED_REASONS. An excluded reason other than a bereavement
    counts as a complaint: the decision has no reason of its own for it."""
    codes = set()
    for reason in contact.reasons.all():
        codes.add(reason.code)
        if reason.parent_id is not None:
            codes.add(reason.parent.code)
    hits = codes & excluded
    bereavement = VulnerabilityCategory.BEREAVEMENT in hits
    complaint = (
        contact.complaint_id is not None
        or contact.outcome == ContactOutcome.COMPLAINT_LOGGED
        or bool(hits - {VulnerabilityCategory.BEREAVEMENT})
    )
    return bereavement, complaint


def _member_facts(customer_id: int, contact_id: int) -> Customer | None:
    """The member, locked, with what the decision needs read after the lock (so a concurrent sweep's
    invitation is seen); None when the contact was decided meanwhile."""
    Customer.objects.select_for_update().filter(pk=customer_id).values_list("pk", flat=True).get()
    # An invitation that could not be sent (send_error) asked nobody: it does not hold the member back.
    latest = (
        Invitation.objects.filter(customer=OuterRef("pk"), send_error="")
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    customer = (
        Customer.objects.filter(pk=customer_id)
        .annotate(
            last_invited_at=Subquery(latest),
            decided=Exists(SamplingDecision.objects.filter(contact_id=contact_id)),
            open_complaint=Exists(Complaint.objects.filter(customer=OuterRef("pk"), status__in=OPEN_STATUSES)),
            has_mobile=Exists(CustomerPhone.objects.filter(customer=OuterRef("pk"), kind=PhoneKind.MOBILE)),
        )
        .get()
    )
    return None if customer.decided else customer


def _decide(contact: Contact, rules: dict, *, now: datetime, salt: str, excluded: frozenset[str]) -> bool | None:
    """Take and record one contact's decision: True invited, False skipped, None decided elsewhere.
    Four queries when invited (lock, facts, invitation, decision), three when skipped."""
    with transaction.atomic():
        customer = _member_facts(contact.customer_id, contact.pk)
        if customer is None:
            return None
        rule = rule_for(contact.queue_id, rules)
        bereaved, complained = _contact_exclusions(contact, excluded)
        facts = SamplingFacts(
            contact_id=contact.pk,
            now=now,
            deceased=customer.status == CustomerStatus.DECEASED,
            bereavement=bereaved or customer.vulnerability_category == VulnerabilityCategory.BEREAVEMENT,
            complaint=complained or customer.open_complaint,
            consents=customer.consent_research,
            channel=invitation_channel(customer),
            percentage=rule.percentage if rule else None,
            last_invited_at=customer.last_invited_at,
            interval_days=settings.SURVEY_INTERVAL_DAYS,
        )
        reason = skip_reason(facts, salt=salt)
        invitation = None
        if reason is None:
            invitation, _token = invitation_issue(
                survey=rule.survey, customer=customer, contact=contact, channel=facts.channel
            )
        SamplingDecision.objects.create(contact=contact, invitation=invitation, skip_reason=reason or "")
    return reason is None


def invitations_sweep(*, now: datetime | None = None) -> int:
    """Decide, for every closed contact with a member wrapped up in the last SURVEY_LOOKBACK_HOURS and
    not yet decided, whether to invite the member; returns how many were invited. Idempotent: a
    decision is taken once per contact, however often (or however concurrently) this runs."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.SURVEY_LOOKBACK_HOURS)
    rules = active_rules()
    salt, excluded = sampling_salt(), frozenset(settings.SURVEY_EXCLUDED_REASONS)
    pending = (
        Contact.objects.filter(
            state=ContactState.CLOSED,
            # A member's own call in: not a letter, an email or a call we made to them (a callback,
            # or a team leader closing the loop), which the invitation's "your call" would not fit.
            channel=ContactChannel.PHONE,
            direction=Direction.INBOUND,
            customer__isnull=False,
            wrapped_up_at__gte=since,
            wrapped_up_at__lte=now,
            survey_decision__isnull=True,
        )
        .only("id", "customer_id", "queue_id", "complaint_id", "outcome")
        .prefetch_related(Prefetch("reasons", queryset=ReasonCode.objects.select_related("parent")))
        .order_by("id")
    )
    invited = decided = 0
    after = 0
    while decided < MAX_PER_RUN:
        batch = list(pending.filter(id__gt=after)[:BATCH_SIZE])
        for contact in batch:
            try:
                outcome = _decide(contact, rules, now=now, salt=salt, excluded=excluded)
            except IntegrityError:
                # Decided by a concurrent sweep between our check and our insert: its decision stands.
                outcome = None
            decided += outcome is not None
            invited += bool(outcome)
        if len(batch) < BATCH_SIZE:
            break
        after = batch[-1].pk
    if decided:
        logger.info("Survey sweep: %d contacts decided, %d members invited", decided, invited)
    return invited


# --- Sending ---------------------------------------------------------------------------------------


class SendDeferred(Exception):
    """A transient failure (the mail server or the SMS provider unreachable): try again later."""


class SendRefused(Exception):
    """A permanent failure: this invitation cannot be sent."""


def _transient(error: Exception) -> bool:
    """SMTP connection trouble, or a 4xx (try later) answer; everything else is for good."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError | socket.gaierror)


def survey_links(token: str) -> tuple[str, str]:
    """(answer link, opt-out link), absolute, for an email or a text message."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("survey-respond", args=[token]), base + reverse("survey-opt-out", args=[token])


def invitation_message(invitation: Invitation, token: str) -> dict:
    """The email's subject, text and HTML, or the text message, in the invitation's language."""
    link, opt_out = survey_links(token)
    arabic = invitation.language == "ar"
    customer, survey, contact = invitation.customer, invitation.survey, invitation.contact
    with translation.override(invitation.language):
        when = contact and (contact.wrapped_up_at or contact.offered_at)
        context = {
            "name": (customer.full_name_ar if arabic else "") or customer.first_name,
            "survey": (survey.name_ar if arabic else "") or survey.name,
            "contact_date": formats.date_format(timezone.localtime(when), "j F") if when else "",
            "expires": formats.date_format(timezone.localtime(invitation.expires_at), "j F Y"),
            "link": link,
            "opt_out": opt_out,
            "rtl": translation.get_language_bidi(),
            "language": invitation.language,
        }
        return {
            "subject": " ".join(render_to_string("surveys/email/invitation_subject.txt", context).split()),
            "text": render_to_string("surveys/email/invitation.txt", context),
            "html": render_to_string("surveys/email/invitation.html", context),
            "sms": " ".join(render_to_string("surveys/email/invitation_sms.txt", context).split()),
        }


def _mobile(customer: Customer) -> str | None:
    phone = customer.phones.filter(kind=PhoneKind.MOBILE).order_by("-is_primary", "id").first()
    return str(phone.number) if phone else None


def _send(invitation: Invitation, token: str) -> None:
    customer = invitation.customer
    if not customer.consent_research:
        raise SendRefused("The member opted out before it was sent.")
    message = invitation_message(invitation, token)
    if invitation.channel == InvitationChannel.EMAIL:
        if not customer.email:
            raise SendRefused("The member has no email address now.")
        email = EmailMultiAlternatives(message["subject"], message["text"], None, [customer.email])
        email.attach_alternative(message["html"], "text/html")
        email.send(fail_silently=False)
        return
    number = _mobile(customer) if customer.consent_sms else None
    if number is None:
        raise SendRefused("The member has no mobile number, or no consent to texts, now.")
    try:
        import_string(settings.SURVEY_SMS_SENDER)(number, message["sms"])
    except (ConnectionError, TimeoutError):
        raise
    except Exception as error:  # the provider's refusal, whatever its client calls it
        raise SendRefused(f"The text message was refused: {error}") from error


def invitation_deliver(*, invitation_id: int) -> bool:
    """Send an invitation's email or text message, once: True when sent now; False when there was
    nothing to do (already sent, given up on) or it cannot be sent (recorded in send_error). Raises
    SendDeferred for a transient failure, leaving the invitation to be tried again."""
    with transaction.atomic():
        # Locked while sending: a redelivered task waits, then finds it sent.
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("customer", "survey", "contact")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at is not None or invitation.send_error:
            return False
        now = timezone.now()
        try:
            token = token_for(invitation.token_salt)
            if token_hash(token_nonce(token)) != invitation.token_hash:
                raise SendRefused("The link does not match the invitation (the secret key has changed).")
            if invitation.answered_at is not None or invitation.expires_at <= now:
                raise SendRefused("Answered or expired before it was sent.")
            _send(invitation, token)
        except SendRefused as error:
            return _record_failure(invitation, str(error))
        except Exception as error:
            if _transient(error):
                raise SendDeferred(f"{type(error).__name__}: {error}") from error
            if isinstance(error, smtplib.SMTPException):
                return _record_failure(invitation, f"The mail server refused it: {error}")
            raise
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    return True


RESEND_AFTER = timedelta(minutes=10)


def invitations_resend(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Queue the sending again of invitations neither sent nor given up on, still open, made more
    than RESEND_AFTER ago: their task was lost (the broker down when they were made). Sending is
    idempotent, so one queued twice is still sent once. Returns how many were queued."""
    from ..tasks.invitations import invitation_send

    now = now or timezone.now()
    pending = list(
        Invitation.objects.filter(
            sent_at__isnull=True,
            send_error="",
            answered_at__isnull=True,
            expires_at__gt=now,
            created_at__lte=now - RESEND_AFTER,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for invitation_id in pending:
        invitation_send.delay(invitation_id)
    if pending:
        logger.warning("Survey invitations queued again (their sending was lost): %d", len(pending))
    return len(pending)


def _record_failure(invitation: Invitation, message: str) -> bool:
    invitation.send_error = message[:300]
    invitation.save(update_fields=["send_error"])
    logger.warning("Survey invitation %s not sent: %s", invitation.pk, invitation.send_error)
    return False


def invitation_send_failed(*, invitation_id: int, error: str) -> None:
    """Give up on an invitation after its retries: recorded, unless it was sent meanwhile."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is not None and invitation.sent_at is None and not invitation.send_error:
            _record_failure(invitation, f"Gave up after retrying: {error}")


# --- The member's side -----------------------------------------------------------------------------


def invitation_for_link(token: str) -> Invitation:
    """The invitation a genuine link stands for, answered or expired alike (opting out, the thank-you
    page); LinkUnusable("forged") for a link we never made."""
    nonce = token_nonce(token)
    invitation = None
    if nonce is not None:
        invitation = (
            Invitation.objects.select_related("survey", "customer").filter(token_hash=token_hash(nonce)).first()
        )
    if invitation is None:
        raise LinkUnusable("forged")
    return invitation


def invitation_opened(*, invitation: Invitation) -> None:
    """Record when the member first opened the link (one conditional update, so two tabs agree)."""
    if invitation.opened_at is None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


@transaction.atomic
def member_opt_out(*, invitation: Invitation, ip_address: str | None = None) -> bool:
    """Withdraw the member's consent to surveys and research (any survey, any later invitation; an
    invitation not yet sent is then not sent). True when it changed; audited when it does."""
    customer = Customer.objects.select_for_update().get(pk=invitation.customer_id)
    if not customer.consent_research:
        return False
    customer.consent_research = False
    customer.save(update_fields=["consent_research", "updated_at"])
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=customer,
        summary="Opted out of surveys and research (survey link)",
        ip_address=ip_address,
        detail={"invitation": invitation.pk, "consent_research": False},
    )
    return True
