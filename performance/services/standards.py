"""Setting, changing and retiring service standards. A standard is never overwritten: a change ends
the one in force the day before the new one starts and links them (`replaces`), so the history
shows which target applied on any day. Each write is atomic and audited."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contactcentre.exceptions import Conflict, DomainError, invalid
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import Metric, ServiceStandard
from ..rules.standards import threshold_errors
from ..selectors.standards import same_scope_q


def _summary(standard: ServiceStandard) -> dict:
    return {
        "metric": standard.metric,
        "target": str(standard.target),
        "warning": str(standard.warning),
        "queue": standard.queue_id,
        "site": standard.site_id,
        "plan_tier": standard.plan_tier,
        "corporate_account": standard.corporate_account_id,
        "effective_from": standard.effective_from.isoformat(),
        "effective_to": standard.effective_to.isoformat() if standard.effective_to else None,
        "replaces": standard.replaces_id,
    }


def _check(metric: str, target: Decimal | None, warning: Decimal | None) -> None:
    if metric not in Metric.values:
        raise DomainError(_("The standard was not saved."), fields={"metric": [_("Choose a measure from the list.")]})
    if target is None or warning is None:
        given = (("target", target), ("warning", warning))
        missing = {name: [_("This field is required.")] for name, value in given if value is None}
        raise DomainError(_("The standard was not saved."), fields=missing)
    errors = threshold_errors(metric, Decimal(target), Decimal(warning))
    if errors:
        raise DomainError(_("The standard was not saved."), fields=errors)


@transaction.atomic
def standard_set(
    *,
    metric: str,
    target: Decimal,
    warning: Decimal,
    effective_from: date,
    queue=None,
    site=None,
    plan_tier: str = "",
    corporate_account=None,
    note: str = "",
    by,
) -> ServiceStandard:
    """Set a standard for a metric and scope from `effective_from`. If one is in force (open) for
    the same metric and scope, it ends the day before and the new one replaces it; the new one
    must then start after it did. Raises DomainError with field errors, or Conflict when another
    change to the same standard won the race."""
    _check(metric, target, warning)
    new = ServiceStandard(
        metric=metric,
        target=target,
        warning=warning,
        queue=queue,
        site=site,
        plan_tier=plan_tier or "",
        corporate_account=corporate_account,
        effective_from=effective_from,
        note=note,
        changed_by=by,
    )
    scope = same_scope_q(new)
    current = ServiceStandard.objects.select_for_update().filter(scope, effective_to__isnull=True).first()
    if current is not None and effective_from <= current.effective_from:
        raise DomainError(
            _("The standard was not saved."),
            fields={
                "effective_from": [
                    _("The standard in force started on %(day)s: the new one must start after it.")
                    % {"day": current.effective_from.isoformat()}
                ]
            },
        )
    overlapping = ServiceStandard.objects.filter(scope, effective_to__gte=effective_from)
    if current is not None:
        overlapping = overlapping.exclude(pk=current.pk)
    clash = overlapping.order_by("-effective_to").first()
    if clash is not None:
        raise DomainError(
            _("The standard was not saved."),
            fields={
                "effective_from": [
                    _("An earlier standard for this measure and scope was in force until %(day)s: start after it.")
                    % {"day": clash.effective_to.isoformat()}
                ]
            },
        )
    if current is not None:
        current.effective_to = effective_from - timedelta(days=1)
        current.save(update_fields=["effective_to"])
        new.replaces = current
    try:
        new.full_clean(exclude=["changed_by"], validate_constraints=False)
    except ValidationError as error:
        raise invalid(error, _("The standard was not saved.")) from error
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as error:
        raise Conflict(_("Someone else set this standard at the same time: look again and retry.")) from error
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=new,
        summary=f"Service standard {new.metric} {new.target} from {new.effective_from}",
        detail=_summary(new),
    )
    return new


def standard_change(
    standard: ServiceStandard,
    *,
    target: Decimal,
    warning: Decimal,
    effective_from: date,
    note: str = "",
    by,
) -> ServiceStandard:
    """A new target (and warning) for the same metric and scope from `effective_from`: the standard
    given must be the one in force (not ended); it ends the day before."""
    if standard.effective_to is not None:
        raise DomainError(_("This standard has ended: set a new one instead."))
    return standard_set(
        metric=standard.metric,
        target=target,
        warning=warning,
        effective_from=effective_from,
        queue=standard.queue,
        site=standard.site,
        plan_tier=standard.plan_tier,
        corporate_account=standard.corporate_account,
        note=note,
        by=by,
    )


@transaction.atomic
def standard_retire(standard: ServiceStandard, *, last_day: date, by) -> ServiceStandard:
    """End a standard on `last_day` (included) with no successor: the scope falls back to a wider
    standard, if any."""
    locked = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
    if locked.effective_to is not None:
        raise DomainError(_("This standard has already ended."))
    if last_day < locked.effective_from:
        raise DomainError(
            _("The standard was not ended."),
            fields={
                "last_day": [
                    _("The standard started on %(day)s: it cannot end before.")
                    % {"day": locked.effective_from.isoformat()}
                ]
            },
        )
    locked.effective_to = last_day
    locked.save(update_fields=["effective_to"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=locked,
        summary=f"Service standard {locked.metric} ended on {last_day}",
        detail=_summary(locked),
    )
    return locked
