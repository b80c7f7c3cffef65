"""Writes for recruitment: vacancies (open, close, filled by its hires), applications (from HR or the
careers site), the one locked stage move, the hire (which makes the employee), assessment scores,
interviewers' notes, and the retention sweep that anonymises candidates. Each is atomic and audited;
the allowed moves are in staff.rules.recruitment."""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from contactcentre.exceptions import Conflict, DomainError, InvalidTransition, invalid, validation_fields
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..models import (
    Application,
    AssessmentScore,
    Competency,
    InterviewNote,
    JobRole,
    PersonSpecItem,
    Site,
    Stage,
    StageChange,
    Team,
    User,
    Vacancy,
    VacancyStatus,
)
from ..models.recruitment import SCORE_MAX, SCORE_MIN, Source
from ..rules import recruitment as rules
from ..selectors.recruitment import candidate_name
from .employees import employee_create

# Stored in place of an anonymised candidate's name; pages and the API show it translated
# (staff.selectors.recruitment.candidate_name).
ANONYMISED_NAME = "Anonymised candidate"

logger = logging.getLogger(__name__)


# --- Vacancies ----------------------------------------------------------------------------------
def vacancy_create(
    *,
    actor,
    job_role: JobRole,
    site: Site,
    posts: int = 1,
    description: str = "",
    opened_on: date | None = None,
    closes_on: date | None = None,
) -> Vacancy:
    """Open a vacancy for a job at a site; its person specification is its job's."""
    vacancy = Vacancy(
        reference=f"TMP{uuid.uuid4().hex[:16]}",
        job_role=job_role,
        site=site,
        posts=posts,
        description=description.strip(),
        opened_on=opened_on or timezone.localdate(),
        closes_on=closes_on,
        created_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        vacancy.full_clean(exclude=["reference", "created_by"])
    except ValidationError as error:
        errors = validation_fields(error)
    if closes_on is not None and closes_on < vacancy.opened_on:
        errors["closes_on"] = [gettext("Applications cannot close before the vacancy opens.")]
    if errors:
        raise DomainError(gettext("The vacancy could not be saved."), fields=errors)
    with transaction.atomic():
        vacancy.save()
        vacancy.reference = rules.vacancy_reference(vacancy.pk, vacancy.opened_on)
        vacancy.save(update_fields=["reference"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=vacancy,
            summary=vacancy.reference,
            detail={"job_role": job_role.code, "site": site.code, "posts": posts},
        )
    return vacancy


def vacancy_close(*, vacancy_id: int, actor) -> Vacancy:
    """Stop taking applications (the open applications stay, to be finished or rejected)."""
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        if vacancy.status != VacancyStatus.OPEN:
            raise InvalidTransition(
                gettext("This vacancy is already %(status)s.") % {"status": vacancy.get_status_display().lower()},
                fields={"status": [vacancy.status]},
            )
        vacancy.status = VacancyStatus.CLOSED
        vacancy.save(update_fields=["status"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=vacancy, summary=f"{vacancy.reference}: closed")
    return vacancy


def vacancy_is_open(vacancy: Vacancy, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return vacancy.status == VacancyStatus.OPEN and (vacancy.closes_on is None or vacancy.closes_on >= today)


# --- Applications -------------------------------------------------------------------------------
class RepeatApplication(Conflict):
    """A second application from the same email address to the same vacancy; `existing` is the first."""

    def __init__(self, existing: Application | None):
        message = gettext("This email address has already applied for this vacancy.")
        super().__init__(message, fields={"email": [message]})
        self.existing = existing


def _existing(vacancy: Vacancy, email: str) -> Application | None:
    return Application.objects.filter(vacancy=vacancy, email__iexact=email).first() if email else None


def application_create(
    *,
    vacancy: Vacancy,
    full_name: str,
    email: str = "",
    phone: str = "",
    cover_note: str = "",
    source: str = Source.CAREERS_SITE,
    actor=None,
    now: datetime | None = None,
) -> Application:
    """An application to an open vacancy, entered by HR (`actor`) or sent from the careers site (no
    actor). A second application from the same email address to the same vacancy is refused."""
    now = now or timezone.now()
    email = email.strip()
    application = Application(
        vacancy=vacancy,
        full_name=full_name.strip(),
        email=email,
        phone=phone.strip(),
        cover_note=cover_note.strip(),
        source=source,
        applied_at=now,
        stage_entered_at=now,
    )
    errors: dict[str, list[str]] = {}
    try:
        application.full_clean(exclude=["vacancy", "employee"], validate_constraints=False)
    except ValidationError as error:
        errors = validation_fields(error)
    if not email and not application.phone:
        errors.setdefault("email", []).append(gettext("Give an email address or a telephone number."))
    try:
        with transaction.atomic():
            # Locked, so that an application and the vacancy's closing cannot cross.
            vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
            if not vacancy_is_open(vacancy, timezone.localdate(now)):
                raise Conflict(
                    gettext("Vacancy %(reference)s is not taking applications.") % {"reference": vacancy.reference},
                    fields={"vacancy": [gettext("This vacancy is closed.")]},
                )
            if errors:
                raise DomainError(gettext("The application could not be saved."), fields=errors)
            existing = _existing(vacancy, email)
            if existing is not None:
                raise RepeatApplication(existing)
            application.vacancy = vacancy
            application.save()
            StageChange.objects.create(application=application, to_stage=Stage.APPLIED, at=now, actor=actor)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=application,
                summary=f"{rules.application_reference(application.pk)} for {vacancy.reference}",
                detail={"vacancy": vacancy.pk, "source": source},
            )
    except IntegrityError:
        # Cannot happen while the vacancy is locked; the database's unique email per vacancy backs it.
        raise RepeatApplication(_existing(vacancy, email)) from None
    return application


@dataclass(frozen=True)
class CareersReceipt:
    """What the careers site is told about an application it sent."""

    reference: str
    vacancy: str
    stage: str


def careers_application_receive(
    *, vacancy: Vacancy, full_name: str, email: str, phone: str = "", cover_note: str = "", now: datetime | None = None
) -> CareersReceipt:
    """An application from the careers site (no account). A repeat from an address that has already
    applied to the vacancy is answered as a new one would be, with the first application's reference and
    the stage a new application starts in (never the first one's own stage), and stores nothing: the
    answer must not tell anyone whether an address has applied. It is logged, without the address."""
    try:
        application = application_create(
            vacancy=vacancy,
            full_name=full_name,
            email=email,
            phone=phone,
            cover_note=cover_note,
            source=Source.CAREERS_SITE,
            now=now,
        )
    except RepeatApplication as repeat:
        if repeat.existing is None:  # withdrawn from under us: nothing to point at
            raise
        application = repeat.existing
        logger.info(
            "Careers site: a repeat application to %s was answered with %s; nothing stored.",
            vacancy.reference,
            rules.application_reference(application.pk),
        )
    return CareersReceipt(
        reference=rules.application_reference(application.pk), vacancy=vacancy.reference, stage=Stage.APPLIED
    )


def _refused(application: Application, target: str) -> InvalidTransition:
    allowed = rules.next_stages(application.stage)
    names = ", ".join(str(Stage(s).label) for s in allowed) or gettext("none: this application is closed")
    message = gettext("%(name)s is at %(stage)s and cannot move to %(target)s. Allowed next stages: %(allowed)s.") % {
        "name": candidate_name(application),
        "stage": application.get_stage_display(),
        "target": Stage(target).label if target in Stage.values else target,
        "allowed": names,
    }
    return InvalidTransition(message, fields={"stage": [message]})


def _move(application: Application, target: str, actor, reason: str, now: datetime) -> StageChange:
    """Move a locked application (checked by the caller) and record the change."""
    before = application.stage
    application.stage = target
    application.stage_entered_at = now
    fields = ["stage", "stage_entered_at"]
    if target in rules.FINAL_STAGES:
        application.closed_at = now
        application.close_reason = reason
        fields += ["closed_at", "close_reason"]
    application.save(update_fields=[*fields, *(["employee"] if application.employee_id else [])])
    change = StageChange.objects.create(
        application=application, from_stage=before, to_stage=target, at=now, actor=actor, reason=reason
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=application,
        summary=f"{rules.application_reference(application.pk)}: {before} -> {target}",
        # Whether a reason was given, not its text: the candidate's free text is blanked at the end of
        # its retention period, and the audit trail is never blanked.
        detail={"from": before, "to": target, "reason_given": bool(reason)},
    )
    return change


def application_move(
    *, application_id: int, target: str, actor, reason: str = "", now: datetime | None = None
) -> Application:
    """The one way an application changes stage (rules.TRANSITIONS): lock, check, write the stage change
    (time and actor), audit. Rejection and withdrawal need a reason; hiring goes through
    application_hire, which makes the employee."""
    now = now or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if not rules.can_move(application.stage, target):
            raise _refused(application, target)
        if target == Stage.HIRED:
            message = gettext("Hire the candidate with the hire form: it makes their employment record.")
            raise InvalidTransition(message, fields={"stage": [message]})
        if rules.reason_required(target) and not reason:
            message = gettext("Give the reason for this decision.")
            raise DomainError(message, fields={"reason": [message]})
        _move(application, target, actor, reason, now)
    return application


def application_hire(
    *,
    application_id: int,
    actor,
    employee_number: str,
    start_date: date,
    contract_hours: Decimal,
    team: Team | None = None,
    now: datetime | None = None,
) -> Application:
    """Hire a candidate who accepted the offer: their account in the job's access role and their
    employment record with the induction plan (staff.services.employees.employee_create). The vacancy
    is filled when its hires reach its posts."""
    now = now or timezone.now()
    vacancy_id = Application.objects.values_list("vacancy_id", flat=True).get(pk=application_id)
    with transaction.atomic():
        # Vacancy before application, always: two hires on one vacancy queue up instead of deadlocking.
        vacancy = Vacancy.objects.select_for_update().select_related("job_role", "site").get(pk=vacancy_id)
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.stage != Stage.ACCEPTED:
            raise _refused(application, Stage.HIRED)
        if not application.email:
            message = gettext("Record the candidate's email address first: it is their login.")
            raise DomainError(message, fields={"email": [message]})
        if User.objects.filter(email__iexact=application.email).exists():
            message = gettext("Someone already has an account with this email address.")
            raise Conflict(message, fields={"email": [message]})
        if team is not None and team.site_id != vacancy.site_id:
            message = gettext("Choose a team at %(site)s.") % {"site": vacancy.site}
            raise DomainError(message, fields={"team": [message]})
        try:
            with transaction.atomic():
                employee = employee_create(
                    actor=actor,
                    job_role=vacancy.job_role,
                    employee_number=employee_number,
                    start_date=start_date,
                    contract_hours=contract_hours,
                    email=application.email,
                    full_name=application.full_name,
                    site=vacancy.site,
                    team=team,
                )
        except ValidationError as error:
            raise invalid(error, gettext("The employee could not be created.")) from None
        application.employee = employee
        _move(application, Stage.HIRED, actor, "", now)
        hires = Application.objects.filter(vacancy=vacancy, stage=Stage.HIRED).count()
        if hires >= vacancy.posts and vacancy.status != VacancyStatus.FILLED:
            vacancy.status = VacancyStatus.FILLED
            vacancy.filled_on = timezone.localdate(now)
            vacancy.save(update_fields=["status", "filled_on"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=vacancy,
                summary=f"{vacancy.reference}: filled",
                detail={"hires": hires, "posts": vacancy.posts},
            )
    return application


def application_record_viewed(*, application: Application, actor, ip_address: str | None = None) -> None:
    """A candidate's page holds their personal data: every opening is audited."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=application,
        ip_address=ip_address,
        summary=rules.application_reference(application.pk),
    )


def applications_listed(*, vacancy: Vacancy, actor, ip_address: str | None = None) -> None:
    """A list of a vacancy's candidates names them: audited like a candidate's page."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=vacancy,
        ip_address=ip_address,
        summary=f"{vacancy.reference}: applications",
    )


# --- Assessment ---------------------------------------------------------------------------------
def _open_application(application_id: int) -> Application:
    application = Application.objects.select_related("vacancy").select_for_update(of=("self",)).get(pk=application_id)
    if application.anonymised_at is not None:
        raise Conflict(gettext("This application has been anonymised."))
    return application


def score_record(
    *,
    application_id: int,
    competency: Competency,
    exercise: str,
    score: int,
    assessor,
    evidence: str = "",
    now: datetime | None = None,
) -> AssessmentScore:
    """An assessor's 1-5 score for a competency of the vacancy's person specification in the exercise
    that assesses it. Scoring the same competency in the same exercise again changes the score."""
    errors: dict[str, list[str]] = {}
    if score is None or not SCORE_MIN <= score <= SCORE_MAX:
        errors["score"] = [gettext("A score is from %(low)s to %(high)s.") % {"low": SCORE_MIN, "high": SCORE_MAX}]
    with transaction.atomic():
        application = _open_application(application_id)
        in_spec = PersonSpecItem.objects.filter(
            job_role_id=application.vacancy.job_role_id, competency=competency, assessed_by=exercise
        ).exists()
        if not in_spec:
            errors["competency"] = [
                gettext("%(competency)s is not assessed in this exercise by the person specification.")
                % {"competency": competency}
            ]
        if errors:
            raise DomainError(gettext("The score could not be recorded."), fields=errors)
        recorded, created = AssessmentScore.objects.update_or_create(
            application=application,
            competency=competency,
            exercise=exercise,
            assessor=assessor,
            defaults={"score": score, "evidence": evidence.strip(), "scored_at": now or timezone.now()},
        )
        audit_record(
            actor=assessor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=recorded,
            summary=f"{rules.application_reference(application.pk)}: {competency.code} {exercise} = {score}",
            detail={"application": application.pk, "score": score},
        )
    return recorded


def note_add(*, application_id: int, author, text: str, stage: str = "") -> InterviewNote:
    """An interviewer's note, at the stage the application is in unless another is named."""
    text = text.strip()
    if not text:
        message = gettext("Write the note.")
        raise DomainError(message, fields={"text": [message]})
    with transaction.atomic():
        application = _open_application(application_id)
        note = InterviewNote.objects.create(
            application=application, stage=stage or application.stage, author=author, text=text
        )
        audit_record(
            actor=author,
            action=AuditAction.CREATE,
            obj=note,
            summary=f"{rules.application_reference(application.pk)}: note",
        )
    return note


# --- Retention ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnonymiseResult:
    anonymised: int


def applications_anonymise(*, now: datetime | None = None, batch: int = 500) -> AnonymiseResult:
    """Blank the personal data of applications closed more than settings.RECRUITMENT_RETENTION_DAYS ago:
    the name (to ANONYMISED_NAME), email, telephone, cover note, the reason it closed, the reasons given
    for its moves, interviewers' notes and score evidence.
    The stages, scores and dates stay, for the metrics. Idempotent: done ones are not looked at again."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RECRUITMENT_RETENTION_DAYS)
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                Application.objects.select_for_update(skip_locked=True)
                .filter(closed_at__lt=cutoff, anonymised_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            Application.objects.filter(pk__in=ids).update(
                full_name=ANONYMISED_NAME, email="", phone="", cover_note="", close_reason="", anonymised_at=now
            )
            StageChange.objects.filter(application_id__in=ids).update(reason="")
            InterviewNote.objects.filter(application_id__in=ids).update(text="")
            AssessmentScore.objects.filter(application_id__in=ids).update(evidence="")
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                object_type=Application._meta.label_lower,
                summary=f"{len(ids)} applications anonymised",
                detail={"applications": ids, "retention_days": settings.RECRUITMENT_RETENTION_DAYS},
            )
            done += len(ids)
    return AnonymiseResult(anonymised=done)
