"""What each job is: its job description, and the person specification every vacancy and every
appraisal measures people against (competencies, essential or desirable, and how each is assessed)."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check

from ..roles import Role


class CompetencyKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    BEHAVIOURAL = "behavioural", _("Behavioural")


class Competency(models.Model):
    """Something a person in a role must be able to do or be (e.g. empathy with an anxious caller,
    clear written English, knowledge of the cover rules)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CompetencyKind.choices)
    description = models.TextField(_("what good looks like"), blank=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["name"]
        constraints = [choices_check("kind", CompetencyKind, "competency_kind_valid")]

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    """A job (customer service adviser, team leader, nurse adviser...): its written job description
    (how it fits the organisation, what is expected) and the access role a person hired into it gets."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    title_ar = models.CharField(_("title in Arabic"), max_length=120, blank=True)
    access_role = models.CharField(
        _("access role"),
        max_length=20,
        choices=[(value, label) for value, label in Role.choices if value != Role.API_CLIENT],
        help_text=_("What a person hired into this job may do in Tawasul."),
    )
    purpose = models.TextField(_("purpose: how the job fits the organisation"))
    responsibilities = models.TextField(_("what is expected"))
    reports_to = models.CharField(_("reports to"), max_length=120, blank=True)
    needs_nurse_registration = models.BooleanField(_("needs a nursing registration"), default=False)
    competencies = models.ManyToManyField(
        Competency, through="PersonSpecItem", verbose_name=_("person specification"), related_name="job_roles"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(Lower("title"), name="job_role_title_unique"),
            models.CheckConstraint(
                condition=models.Q(access_role__in=[r for r in Role.values if r != Role.API_CLIENT]),
                name="job_role_access_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assessment(models.TextChoices):
    """Where in the recruitment process a competency is assessed (the case study's stages)."""

    APPLICATION = "application", _("Application form")
    TELEPHONE_SCREENING = "telephone_screening", _("Telephone screening interview")
    COMPETENCY_INTERVIEW = "competency_interview", _("Competency-based interview")
    EMAIL_EXERCISE = "email_exercise", _("Email-writing exercise")
    CENTRE_VISIT = "centre_visit", _("Visit to the contact centre")


class PersonSpecItem(models.Model):
    """One line of a job's person specification: a competency, essential or desirable, and how it
    is assessed."""

    job_role = models.ForeignKey(JobRole, verbose_name=_("job role"), on_delete=models.CASCADE, related_name="spec")
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="spec_items"
    )
    essential = models.BooleanField(_("essential"), default=True, help_text=_("Otherwise desirable."))
    assessed_by = models.CharField(_("assessed by"), max_length=24, choices=Assessment.choices)

    class Meta:
        verbose_name = _("person specification item")
        verbose_name_plural = _("person specification items")
        ordering = ["job_role", "-essential", "competency__name"]
        constraints = [
            models.UniqueConstraint(fields=["job_role", "competency", "assessed_by"], name="spec_item_unique"),
            choices_check("assessed_by", Assessment, "spec_item_assessment_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.job_role}: {self.competency} ({self.get_assessed_by_display()})"
