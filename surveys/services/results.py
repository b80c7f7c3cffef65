"""The audit trail of reading survey results: a response (a member's answers), members' comments on
the pages that show them, and the exports of the results (people's results, by agent) and of the
verbatims (members' words)."""

from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import Response


def response_viewed(*, actor, response: Response, ip_address: str | None = None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=response,
        summary="Survey response viewed",
        detail={"customer": response.customer_id, "contact": response.contact_id},
        ip_address=ip_address,
    )


def results_exported(*, actor, what: str, filters: dict, ip_address: str | None = None) -> None:
    """`what`: "results" or "verbatims"; `filters`: as chosen, as text."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="surveys.response",
        summary=f"Survey {what} exported",
        detail=filters,
        ip_address=ip_address,
    )


def responses_listed(*, actor, filters: dict, response_ids: list[int], ip_address: str | None = None) -> None:
    """A page of responses read through the API (members' answers, by contact)."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="surveys.response",
        summary="Survey responses API: list",
        detail={"filters": filters, "responses": response_ids},
        ip_address=ip_address,
    )


def comments_viewed(*, actor, where: str, answer_ids: list[int], ip_address: str | None = None) -> None:
    """Members' comments read on a page (`where`: verbatims, a follow-up, a theme): their words can
    hold health details, so each page of them shown is in the audit trail, with the answers' ids."""
    if not answer_ids:
        return
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="surveys.answer",
        summary=f"Survey comments viewed: {where}",
        detail={"answers": answer_ids},
        ip_address=ip_address,
    )
