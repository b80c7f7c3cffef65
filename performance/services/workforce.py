"""Writes of the shift roster: add a shift, remove one, copy last week's. Each is atomic and audited;
an agent's row is locked while their shifts are checked for overlap, so two managers rostering the
same agent at once cannot both succeed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from calls.models import Queue
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import RosterShift
from ..models.workforce import MAX_SHIFT

User = get_user_model()


def _overlapping(agent_id: int, starts_at: datetime, ends_at: datetime):
    return RosterShift.objects.filter(agent_id=agent_id, starts_at__lt=ends_at, ends_at__gt=starts_at)


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")


def shift_add(*, actor, agent, queue: Queue, starts_at: datetime, ends_at: datetime) -> RosterShift:
    """Roster `agent` on `queue` from `starts_at` to `ends_at`: after the start, at most 16 hours,
    overlapping none of the agent's other shifts (on any queue)."""
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [gettext("The shift must end after it starts.")]
    elif ends_at - starts_at > MAX_SHIFT:
        errors["ends_at"] = [gettext("A shift lasts at most 16 hours.")]
    if not queue.is_active:
        errors["queue"] = [gettext("This queue is closed: roster agents on an open one.")]
    if errors:
        raise DomainError(gettext("The shift could not be added."), fields=errors)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=agent.pk).first()  # one check at a time per agent
        clash = _overlapping(agent.pk, starts_at, ends_at).select_related("queue").first()
        if clash is not None:
            message = gettext("%(agent)s is already rostered from %(start)s to %(end)s (%(queue)s).") % {
                "agent": agent.full_name,
                "start": _when(clash.starts_at),
                "end": _when(clash.ends_at),
                "queue": clash.queue.name,
            }
            raise DomainError(gettext("The shift could not be added."), fields={"starts_at": [message]})
        shift = RosterShift.objects.create(agent=agent, queue=queue, starts_at=starts_at, ends_at=ends_at)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=shift,
            summary=f"{agent.full_name} {queue.code} {_when(starts_at)}-{_when(ends_at)}",
            detail={
                "agent": agent.pk,
                "queue": queue.pk,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
        )
    return shift


def shift_remove(*, actor, shift_id: int) -> RosterShift | None:
    """Remove a shift; returns it as it was (None: it was gone already, e.g. a second click)."""
    with transaction.atomic():
        shift = RosterShift.objects.select_for_update().select_related("agent", "queue").filter(pk=shift_id).first()
        if shift is None:
            return None
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=shift,
            summary=f"{shift.agent.full_name} {shift.queue.code} {_when(shift.starts_at)}-{_when(shift.ends_at)}",
            detail={"agent": shift.agent_id, "queue": shift.queue_id, "starts_at": shift.starts_at.isoformat()},
        )
        shift.delete()
    return shift


@dataclass(frozen=True)
class WeekCopy:
    week_start: date  # the Monday copied to
    created: int
    skipped: int  # would have overlapped a shift the agent already had that week (or, over a clock
    # change, outgrown 16 hours)


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def _a_week_later(moment: datetime) -> datetime:
    """Same local clock time seven days on (across a clock change too)."""
    return timezone.make_aware(timezone.localtime(moment).replace(tzinfo=None) + timedelta(days=7))


def roster_copy_week(*, actor, week_start: date, queue_id: int | None = None) -> WeekCopy:
    """Copy the shifts that start in the week before `week_start`'s week into it (one queue, or
    all), at the same local times; a shift that would overlap one the agent has already is skipped."""
    monday = week_of(week_start)
    first = timezone.make_aware(datetime.combine(monday - timedelta(days=7), datetime.min.time()))
    last = timezone.make_aware(datetime.combine(monday, datetime.min.time()))
    sources = RosterShift.objects.filter(starts_at__gte=first, starts_at__lt=last)
    if queue_id is not None:
        sources = sources.filter(queue_id=queue_id)
    with transaction.atomic():
        sources = list(sources.order_by("agent_id", "starts_at"))
        agent_ids = sorted({shift.agent_id for shift in sources})
        list(User.objects.select_for_update().filter(pk__in=agent_ids).order_by("pk").values_list("pk", flat=True))
        existing: dict[int, list[tuple[datetime, datetime]]] = {}
        for agent_id, starts_at, ends_at in RosterShift.objects.filter(
            agent_id__in=agent_ids, starts_at__lt=last + timedelta(days=8), ends_at__gt=last - timedelta(days=1)
        ).values_list("agent_id", "starts_at", "ends_at"):
            existing.setdefault(agent_id, []).append((starts_at, ends_at))
        new, skipped = [], 0
        for shift in sources:
            starts_at, ends_at = _a_week_later(shift.starts_at), _a_week_later(shift.ends_at)
            taken = existing.setdefault(shift.agent_id, [])
            if ends_at - starts_at > MAX_SHIFT or any(s < ends_at and e > starts_at for s, e in taken):
                skipped += 1
                continue
            taken.append((starts_at, ends_at))
            new.append(
                RosterShift(agent_id=shift.agent_id, queue_id=shift.queue_id, starts_at=starts_at, ends_at=ends_at)
            )
        RosterShift.objects.bulk_create(new)
        if new or skipped:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type=RosterShift._meta.label_lower,
                summary=gettext("Copied last week's roster to the week of %(day)s") % {"day": monday.isoformat()},
                detail={"week_start": monday.isoformat(), "queue": queue_id, "created": len(new), "skipped": skipped},
            )
    return WeekCopy(week_start=monday, created=len(new), skipped=skipped)
