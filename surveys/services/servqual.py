"""Writes for SERVQUAL: inviting a panel of members to answer a SERVQUAL survey. (A manager's answers
to the management perception study are stored by surveys.services.responses.response_submit, as
every response is.)"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import PolicyMember, Tier
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from customers.models import Customer, CustomerPhone, CustomerStatus, PhoneKind, VulnerabilityCategory

from ..models import Invitation, Survey, SurveyKind
from .invitations import invitation_channel, invitation_issue

MAX_PANEL = 1000


@dataclass(frozen=True)
class PanelPool:
    """The members of the chosen group and, in this order, why those not invitable are not: each
    member is counted once, under the first reason that applies."""

    in_group: int
    deceased: int
    no_consent: int
    bereaved: int
    no_channel: int
    recently_invited: int
    eligible: int


@dataclass(frozen=True)
class PanelInvited:
    asked: int
    invited: int
    pool: PanelPool


def _group(*, plan_tier: str, corporate: bool | None) -> QuerySet[Customer]:
    """Members with cover today on the tier, and corporate or individual cover, as asked (everyone
    when neither is asked). Mirrors surveys.selectors.segments.member_plan's "cover today"."""
    members = Customer.objects.all()
    if not plan_tier and corporate is None:
        return members
    today = timezone.localdate()
    cover = PolicyMember.objects.filter(
        customer=OuterRef("pk"),
        covered_from__lte=today,
        policy__start_date__lte=today,
        policy__renewal_date__gt=today,
    ).exclude(covered_to__lt=today)
    if plan_tier:
        cover = cover.filter(policy__plan__tier=plan_tier)
    if corporate is not None:
        cover = cover.filter(policy__corporate_account__isnull=not corporate)
    return members.filter(Exists(cover))


def _reasons(cutoff) -> dict[str, Q]:
    """Each reason as a condition that holds only when the earlier reasons do not."""
    mobile = CustomerPhone.objects.filter(customer=OuterRef("pk"), kind=PhoneKind.MOBILE)
    recent = Invitation.objects.filter(customer=OuterRef("pk"), created_at__gte=cutoff)
    # invitation_channel's test, in SQL: an email address, or a mobile and consent to texts.
    reachable = ~Q(email="") | (Q(consent_sms=True) & Exists(mobile))
    deceased = Q(status=CustomerStatus.DECEASED)
    consents = Q(consent_research=True)
    bereaved = Q(vulnerability_category=VulnerabilityCategory.BEREAVEMENT)
    return {
        "deceased": deceased,
        "no_consent": ~deceased & ~consents,
        "bereaved": ~deceased & consents & bereaved,
        "no_channel": ~deceased & consents & ~bereaved & ~reachable,
        "recently_invited": ~deceased & consents & ~bereaved & reachable & Exists(recent),
        "eligible": ~deceased & consents & ~bereaved & reachable & ~Exists(recent),
    }


def _cutoff():
    return timezone.now() - timedelta(days=settings.SURVEY_INTERVAL_DAYS)


def panel_pool(*, plan_tier: str = "", corporate: bool | None = None) -> PanelPool:
    """How many members of the group could be invited now, and why the others could not (one query)."""
    counts = _group(plan_tier=plan_tier, corporate=corporate).aggregate(
        in_group=Count("pk"), **{name: Count("pk", filter=q) for name, q in _reasons(_cutoff()).items()}
    )
    return PanelPool(**counts)


def _check(*, survey: Survey, size: int, plan_tier: str) -> None:
    errors: dict[str, list[str]] = {}
    if survey.kind != SurveyKind.SERVQUAL or not survey.is_active:
        errors["survey"] = [_("Choose an active SERVQUAL survey.")]
    if not 1 <= size <= MAX_PANEL:
        errors["size"] = [_("Invite from 1 to %(max)s members at a time.") % {"max": MAX_PANEL}]
    if plan_tier and plan_tier not in Tier.values:
        errors["plan_tier"] = [_("Unknown plan tier.")]
    if errors:
        raise DomainError(_("The panel was not invited."), fields=errors)


@transaction.atomic
def servqual_invite_panel_explained(
    *, actor, survey: Survey, size: int, plan_tier: str = "", corporate: bool | None = None
) -> PanelInvited:
    """Invite up to `size` members, drawn at random, to answer a SERVQUAL survey through its link:
    members (of the plan tier, and corporate or individual, if asked) who consent to research, are not
    deceased nor flagged bereaved, can be reached (surveys.services.invitations.invitation_channel)
    and were not invited to any survey in the last SURVEY_INTERVAL_DAYS. Says how many were invited
    and, when fewer than asked, why. The drawn members are locked (skipping any another panel is
    inviting at the same moment), so two panels drawn at once never invite a member twice."""
    _check(survey=survey, size=size, plan_tier=plan_tier)
    pool = panel_pool(plan_tier=plan_tier, corporate=corporate)
    drawn = list(
        _group(plan_tier=plan_tier, corporate=corporate)
        .filter(_reasons(_cutoff())["eligible"])
        .order_by("?")
        .select_for_update(of=("self",), skip_locked=True)[:size]
    )
    invited = 0
    for customer in drawn:
        channel = invitation_channel(customer)
        if channel is None:  # the member's details changed since the draw
            continue
        invitation_issue(survey=survey, customer=customer, contact=None, channel=channel)
        invited += 1
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=survey,
        summary=f"SERVQUAL panel: {invited} of {size} members invited",
        detail={"asked": size, "invited": invited, "plan_tier": plan_tier, "corporate": corporate} | asdict(pool),
    )
    return PanelInvited(asked=size, invited=invited, pool=pool)


def servqual_invite_panel(
    *, actor, survey: Survey, size: int, plan_tier: str = "", corporate: bool | None = None
) -> int:
    """How many members were invited (servqual_invite_panel_explained: the same, with the reasons)."""
    return servqual_invite_panel_explained(
        actor=actor, survey=survey, size=size, plan_tier=plan_tier, corporate=corporate
    ).invited
