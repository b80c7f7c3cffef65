"""Writes for qualitative research: themes, focus groups and panels (the session, its participants,
its findings) and coding survey comments to themes. Each is atomic and audited; participants are
members' personal data, so reading a session's participant list is audited too."""

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from calls.models import ComplaintCategory
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from customers.models import Customer, CustomerStatus

from ..models import Answer, CommentCode, FindingTheme, FocusGroup, Participant, SessionKind, Theme

THEME_FIELDS = ("code", "name", "name_ar", "complaint_category", "keywords", "is_active", "position")
FOCUS_GROUP_FIELDS = ("kind", "title", "held_on", "site", "facilitator", "topic_guide", "notes")
MAX_KEYWORD = 60


def keywords_clean(raw: str) -> str:
    """One keyword or phrase per line, trimmed, blanks and repeats dropped (commas also separate, as
    rules/coding.py reads them)."""
    seen, kept = set(), []
    for word in re.split(r"[\n,،]", raw):
        word = " ".join(word.split())
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            kept.append(word)
    return "\n".join(kept)


def _theme_errors(values: dict, *, theme_id: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if values["complaint_category"] and values["complaint_category"] not in ComplaintCategory.values:
        errors["complaint_category"] = [_("Choose a complaint category from the list.")]
    if Theme.objects.filter(code=values["code"]).exclude(pk=theme_id).exists():
        errors["code"] = [_("Another theme has this code.")]
    long = [word for word in values["keywords"].splitlines() if len(word) > MAX_KEYWORD]
    if long:
        message = _("Keep each keyword to %(n)s characters: %(word)s") % {"n": MAX_KEYWORD, "word": long[0]}
        errors["keywords"] = [message]
    return errors


def _theme_saved(theme: Theme, update_fields: list[str] | None = None) -> Theme:
    try:
        with transaction.atomic():
            theme.save(update_fields=update_fields)
    except IntegrityError:  # the same code saved by someone else at the same moment
        raise DomainError(_("The theme was not saved."), fields={"code": [_("Another theme has this code.")]}) from None
    return theme


@transaction.atomic
def theme_create(
    *,
    actor,
    code: str,
    name: str,
    name_ar: str = "",
    complaint_category: str = "",
    keywords: str = "",
    is_active: bool = True,
    position: int = 0,
) -> Theme:
    values = {
        "code": code.strip(),
        "name": name.strip(),
        "name_ar": name_ar.strip(),
        "complaint_category": complaint_category,
        "keywords": keywords_clean(keywords),
        "is_active": is_active,
        "position": position,
    }
    errors = _theme_errors(values, theme_id=None)
    if errors:
        raise DomainError(_("The theme was not saved."), fields=errors)
    theme = _theme_saved(Theme(**values))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=theme, summary=f"Theme {theme.code} created")
    return theme


@transaction.atomic
def theme_update(*, actor, theme_id: int, **changes) -> Theme:
    """Change a theme's fields (any of THEME_FIELDS); the comments and findings coded to it stay."""
    theme = Theme.objects.select_for_update().get(pk=theme_id)
    unknown = set(changes) - set(THEME_FIELDS)
    if unknown:
        raise ValueError(f"Unknown theme fields: {sorted(unknown)}")
    if "keywords" in changes:
        changes["keywords"] = keywords_clean(changes["keywords"])
    for name in ("code", "name", "name_ar"):
        if name in changes:
            changes[name] = changes[name].strip()
    values = {name: getattr(theme, name) for name in THEME_FIELDS} | changes
    errors = _theme_errors(values, theme_id=theme.pk)
    if errors:
        raise DomainError(_("The theme was not saved."), fields=errors)
    changed = [name for name in THEME_FIELDS if getattr(theme, name) != values[name]]
    if not changed:
        return theme
    before = {name: getattr(theme, name) for name in changed}
    for name in changed:
        setattr(theme, name, values[name])
    _theme_saved(theme, update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=theme,
        summary=f"Theme {theme.code} changed",
        detail={"changed": changed, "before": {k: v for k, v in before.items() if k != "keywords"}},
    )
    return theme


# Focus groups and panels --------------------------------------------------------------------------------


def _session_errors(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if values.get("kind") not in SessionKind.values:
        errors["kind"] = [_("Choose a focus group or a customer panel.")]
    if not values.get("title", "").strip():
        errors["title"] = [_("Give the session a title.")]
    if not isinstance(values.get("held_on"), date):
        errors["held_on"] = [_("Give the date it is held on.")]
    if values.get("facilitator") is None:
        errors["facilitator"] = [_("Name the facilitator.")]
    return errors


@transaction.atomic
def focus_group_create(
    *,
    actor,
    kind: str,
    title: str,
    held_on: date,
    facilitator,
    site=None,
    topic_guide: str = "",
    notes: str = "",
) -> FocusGroup:
    values = {"kind": kind, "title": title, "held_on": held_on, "facilitator": facilitator}
    errors = _session_errors(values)
    if errors:
        raise DomainError(_("The session was not saved."), fields=errors)
    session = FocusGroup.objects.create(
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        facilitator=facilitator,
        site=site,
        topic_guide=topic_guide,
        notes=notes,
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session, summary=f"{session.get_kind_display()} created")
    return session


@transaction.atomic
def focus_group_update(*, actor, focus_group_id: int, **changes) -> FocusGroup:
    """Change the session's details (any of FOCUS_GROUP_FIELDS): the notes after it is held, say."""
    session = FocusGroup.objects.select_for_update().get(pk=focus_group_id)
    unknown = set(changes) - set(FOCUS_GROUP_FIELDS)
    if unknown:
        raise ValueError(f"Unknown focus group fields: {sorted(unknown)}")
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    values = {name: getattr(session, name) for name in FOCUS_GROUP_FIELDS} | changes
    errors = _session_errors(values)
    if errors:
        raise DomainError(_("The session was not saved."), fields=errors)
    changed = [name for name in FOCUS_GROUP_FIELDS if getattr(session, name) != values[name]]
    if not changed:
        return session
    for name in changed:
        setattr(session, name, values[name])
    session.save(update_fields=changed)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=session, summary="Focus group changed", detail={"changed": changed}
    )
    return session


def _refusal(message: str) -> DomainError:
    return DomainError(_("The member was not added."), fields={"membership_number": [message]})


@transaction.atomic
def participant_add(*, actor, focus_group: FocusGroup, membership_number: str) -> Participant:
    """Add a member to the session by membership number: only a member who consents to research and
    is not recorded as deceased (a field error says which it is)."""
    customer = Customer.objects.filter(membership_number=membership_number.strip()).first()
    if customer is None:
        raise _refusal(_("No member has this membership number."))
    if customer.status == CustomerStatus.DECEASED:
        raise _refusal(_("This member is recorded as deceased."))
    if not customer.consent_research:
        raise _refusal(_("This member has not consented to surveys and research, so cannot be invited."))
    try:
        with transaction.atomic():
            participant = Participant.objects.create(focus_group=focus_group, customer=customer)
    except IntegrityError:
        raise _refusal(_("This member is already a participant.")) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=participant,
        summary="Focus group participant added",
        detail={"focus_group": focus_group.pk, "customer": customer.pk},
    )
    return participant


def _participant(focus_group: FocusGroup, participant_id: int) -> Participant:
    participant = Participant.objects.select_for_update().filter(focus_group=focus_group, pk=participant_id).first()
    if participant is None:
        message = _("This member is not a participant of the session.")
        raise DomainError(message, fields={"participant": [message]})
    return participant


@transaction.atomic
def participant_remove(*, actor, focus_group: FocusGroup, participant_id: int) -> None:
    participant = _participant(focus_group, participant_id)
    detail = {"focus_group": focus_group.pk, "customer": participant.customer_id}
    audit_record(actor=actor, action=AuditAction.DELETE, obj=participant, summary="Participant removed", detail=detail)
    participant.delete()


@transaction.atomic
def participant_mark_attended(*, actor, focus_group: FocusGroup, participant_id: int, attended: bool) -> Participant:
    participant = _participant(focus_group, participant_id)
    if participant.attended != attended:
        participant.attended = attended
        participant.save(update_fields=["attended"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=participant,
            summary="Attendance recorded",
            detail={"focus_group": focus_group.pk, "customer": participant.customer_id, "attended": attended},
        )
    return participant


def participants_viewed(*, actor, focus_group: FocusGroup, ip_address: str | None = None) -> None:
    """Reading the participant list is reading members' personal data: one row naming whose."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=focus_group,
        summary="Focus group participants viewed",
        ip_address=ip_address,
        detail={"customers": sorted(p.customer_id for p in focus_group.participants.all())},
    )


@transaction.atomic
def finding_add(*, actor, focus_group: FocusGroup, theme: Theme, evidence: str) -> FindingTheme:
    """Record a theme the session raised, with what was said."""
    if not theme.is_active:
        raise DomainError(_("The finding was not added."), fields={"theme": [_("This theme is no longer in use.")]})
    evidence = evidence.strip()
    if not evidence:
        raise DomainError(_("The finding was not added."), fields={"evidence": [_("Write what was said.")]})
    try:
        with transaction.atomic():
            finding = FindingTheme.objects.create(
                focus_group=focus_group, theme=theme, evidence=evidence, coded_by=actor
            )
    except IntegrityError:
        raise DomainError(
            _("The finding was not added."),
            fields={"theme": [_("This theme is already recorded for the session: remove it to record it again.")]},
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=finding,
        summary=f"Finding {theme.code} recorded",
        detail={"focus_group": focus_group.pk, "theme": theme.pk},
    )
    return finding


@transaction.atomic
def finding_remove(*, actor, focus_group: FocusGroup, finding_id: int) -> None:
    finding = FindingTheme.objects.select_for_update().filter(focus_group=focus_group, pk=finding_id).first()
    if finding is None:
        message = _("This finding is not recorded for the session.")
        raise DomainError(message, fields={"finding": [message]})
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=finding,
        summary="Finding removed",
        detail={"focus_group": focus_group.pk, "theme": finding.theme_id, "evidence": finding.evidence[:200]},
    )
    finding.delete()


# Comment coding ------------------------------------------------------------------------------------------


@transaction.atomic
def comment_code_add(*, actor, answer: Answer, theme: Theme) -> tuple[CommentCode, bool]:
    """Code a comment to a theme: (code, created). Adding a theme already applied changes nothing
    (created False), even when two people add it at the same moment (the unique constraint)."""
    if not theme.is_active:
        raise DomainError(_("The theme was not added."), fields={"theme": [_("This theme is no longer in use.")]})
    code, created = CommentCode.objects.get_or_create(answer=answer, theme=theme, defaults={"coded_by": actor})
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=code,
            summary=f"Comment coded {theme.code}",
            detail={"answer": answer.pk, "theme": theme.pk},
        )
    return code, created


@transaction.atomic
def comment_code_remove(*, actor, answer: Answer, theme: Theme) -> bool:
    """Take a theme off a comment: True if it was there."""
    deleted, _rows = CommentCode.objects.filter(answer=answer, theme=theme).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="surveys.commentcode",
            object_id=f"{answer.pk}:{theme.pk}",
            summary=f"Comment code {theme.code} removed",
            detail={"answer": answer.pk, "theme": theme.pk},
        )
    return bool(deleted)
