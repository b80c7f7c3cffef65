"""The employment record of a person who works here (the user is who they are; their site and team
are on the user), their qualifications, and how they left."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check

from .jobs import JobRole


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    LEFT = "left", _("Left")


class LeavingReason(models.TextChoices):
    CAREER = "career", _("Resigned: career move")
    PAY = "pay", _("Resigned: pay or benefits")
    HOURS = "hours", _("Resigned: hours or shifts")
    WORKLOAD = "workload", _("Resigned: workload or stress")
    RELOCATION = "relocation", _("Resigned: moving away")
    PERSONAL = "personal", _("Resigned: personal reasons")
    DISMISSED = "dismissed", _("Dismissed")
    PROBATION = "probation", _("Did not pass probation")
    END_OF_CONTRACT = "end_of_contract", _("End of fixed-term contract")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="employee"
    )
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    job_role = models.ForeignKey(
        JobRole, verbose_name=_("job role"), on_delete=models.PROTECT, related_name="employees"
    )
    start_date = models.DateField(_("start date"))
    contract_hours = models.DecimalField(_("contract hours per week"), max_digits=4, decimal_places=1)
    status = models.CharField(
        _("employment status"), max_length=10, choices=EmploymentStatus.choices, default=EmploymentStatus.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leaving_reason = models.CharField(_("leaving reason"), max_length=20, choices=LeavingReason.choices, blank=True)
    leaving_note = models.TextField(_("leaving note"), blank=True)
    profit_share_eligible_from = models.DateField(
        _("in the profit-share scheme from"),
        null=True,
        blank=True,
        help_text=_("Empty while not eligible for the employee participation (profit-share) scheme."),
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["user__full_name"]
        indexes = [
            # Attrition: leavers in a period.
            models.Index(fields=["left_on"], condition=Q(left_on__isnull=False), name="employee_left_on_idx"),
        ]
        constraints = [
            choices_check("status", EmploymentStatus, "employee_status_valid"),
            choices_check("leaving_reason", LeavingReason, "employee_leaving_reason_valid", blank=True),
            models.CheckConstraint(
                condition=Q(contract_hours__gt=0) & Q(contract_hours__lte=48), name="employee_contract_hours_range"
            ),
            # A leaver has a leaving date and reason; nobody else has either.
            models.CheckConstraint(
                condition=(Q(status=EmploymentStatus.LEFT) & Q(left_on__isnull=False) & ~Q(leaving_reason=""))
                | (~Q(status=EmploymentStatus.LEFT) & Q(left_on__isnull=True) & Q(leaving_reason="")),
                name="employee_leaver_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("start_date")),
                name="employee_leaves_after_starting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.employee_number})"


class QualificationKind(models.TextChoices):
    NURSE_REGISTRATION = "nurse_registration", _("Nursing registration (NMC)")
    OTHER = "other", _("Other qualification")


class Qualification(models.Model):
    """A qualification; for the nurse line, a registered nurse's registration number and its expiry."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    name = models.CharField(_("name"), max_length=150)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["employee", "kind", "name"]
        constraints = [
            choices_check("kind", QualificationKind, "qualification_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=QualificationKind.NURSE_REGISTRATION)
                | (~Q(registration_number="") & Q(expires_on__isnull=False)),
                name="nurse_registration_has_number_and_expiry",
            ),
            models.UniqueConstraint(
                fields=["kind", "registration_number"],
                condition=~Q(registration_number=""),
                name="qualification_registration_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name
