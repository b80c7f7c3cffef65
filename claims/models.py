"""Cover and claims: plans and their benefits and promises, policies and the members they cover,
providers, cover checks, pre-authorisations, claims with their lines, transitions and payment.

Money is Decimal (two places, never negative) in the installation's one currency (settings.CURRENCY)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contactcentre.constraints import choices_check, not_negative

from .rules import Decision, ExcessBasis, Underwriting

MONEY = {"max_digits": 12, "decimal_places": 2}


class BenefitCategory(models.TextChoices):
    INPATIENT = "inpatient", _("In-patient")
    DAY_PATIENT = "day_patient", _("Day-patient")
    OUTPATIENT = "outpatient", _("Out-patient consultations")
    DIAGNOSTICS = "diagnostics", _("Diagnostics and scans")
    THERAPIES = "therapies", _("Therapies")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    CANCER_CARE = "cancer_care", _("Cancer care")


class Tier(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    STANDARD = "standard", _("Standard")
    PREMIER = "premier", _("Premier")


class PromiseMetric(models.TextChoices):
    CLAIM_PAID_WORKING_DAYS = "claim_paid_working_days", _("Claims paid within (working days)")
    CALL_ANSWERED_SECONDS = "call_answered_seconds", _("Calls answered within (seconds)")
    PREAUTH_SAME_CALL = "preauth_same_call_percent", _("Pre-authorisations given on the first call (%)")


class PolicyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ProviderKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    CONSULTANT = "consultant", _("Consultant")


class PreAuthorisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    USED = "used", _("Used by a claim")
    CANCELLED = "cancelled", _("Cancelled")


class ClaimStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSING = "assessing", _("Assessing")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    PARTLY_APPROVED = "partly_approved", _("Partly approved")
    REJECTED = "rejected", _("Rejected")
    PAYMENT_SCHEDULED = "payment_scheduled", _("Payment scheduled")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Payee(models.TextChoices):
    PROVIDER = "provider", _("Provider (direct settlement)")
    MEMBER = "member", _("Member (reimbursement)")


class Plan(models.Model):
    """A product at a tier and a price: its benefits, its excess and the promises made to its holders."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ar = models.CharField(_("name in Arabic"), max_length=100, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    annual_premium = models.DecimalField(_("annual premium"), **MONEY)
    excess = models.DecimalField(_("excess"), **MONEY, default=0)
    excess_basis = models.CharField(
        _("excess applies"),
        max_length=20,
        default=ExcessBasis.POLICY_YEAR,
        choices=[
            (ExcessBasis.POLICY_YEAR.value, _("once per policy year")),
            (ExcessBasis.PER_CLAIM.value, _("once per claim")),
        ],
    )
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["annual_premium", "name"]
        constraints = [
            choices_check("tier", Tier, "plan_tier_valid"),
            not_negative("annual_premium", "plan_premium_not_negative"),
            not_negative("excess", "plan_excess_not_negative"),
            models.CheckConstraint(
                condition=Q(excess_basis__in=[e.value for e in ExcessBasis]), name="plan_excess_basis_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Benefit(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="benefits")
    category = models.CharField(_("category"), max_length=20, choices=BenefitCategory.choices)
    annual_limit = models.DecimalField(
        _("annual limit"), **MONEY, null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    per_event_limit = models.DecimalField(_("limit per treatment"), **MONEY, null=True, blank=True)
    waiting_period_days = models.PositiveSmallIntegerField(_("waiting period (days)"), default=0)
    pre_authorisation_required = models.BooleanField(_("pre-authorisation required"), default=False)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["plan", "category"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "category"], name="benefit_unique_per_plan"),
            choices_check("category", BenefitCategory, "benefit_category_valid"),
            models.CheckConstraint(
                condition=Q(annual_limit__isnull=True) | Q(annual_limit__gt=0), name="benefit_annual_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(per_event_limit__isnull=True) | Q(per_event_limit__gt=0),
                name="benefit_event_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_category_display()}"


class ServicePromise(models.Model):
    """What the plan promises its holders, measured later against what was delivered (gap 4)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="promises")
    metric = models.CharField(_("measure"), max_length=40, choices=PromiseMetric.choices)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    wording = models.CharField(_("wording"), max_length=200)
    wording_ar = models.CharField(_("wording in Arabic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service promise")
        verbose_name_plural = _("service promises")
        constraints = [
            models.UniqueConstraint(fields=["plan", "metric"], name="promise_unique_per_plan"),
            choices_check("metric", PromiseMetric, "promise_metric_valid"),
            models.CheckConstraint(condition=Q(target__gt=0), name="promise_target_positive"),
        ]

    def __str__(self) -> str:
        return self.wording


class Policy(models.Model):
    number = models.CharField(_("policy number"), max_length=20, unique=True)
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="policies")
    holder = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies_held",
    )
    corporate_account = models.ForeignKey(
        "customers.CorporateAccount",
        verbose_name=_("corporate account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    underwriting = models.CharField(
        _("underwriting"),
        max_length=20,
        choices=[
            (Underwriting.MORATORIUM.value, _("Moratorium")),
            (Underwriting.FULL_MEDICAL.value, _("Full medical underwriting")),
        ],
    )
    status = models.CharField(_("status"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.ACTIVE)
    start_date = models.DateField(_("start date"))
    renewal_date = models.DateField(_("renewal date"))

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-start_date", "number"]
        constraints = [
            # Held by a person or by a company scheme, never both, never neither.
            models.CheckConstraint(
                condition=(Q(holder__isnull=False) & Q(corporate_account__isnull=True))
                | (Q(holder__isnull=True) & Q(corporate_account__isnull=False)),
                name="policy_one_holder",
            ),
            models.CheckConstraint(condition=Q(renewal_date__gt=F("start_date")), name="policy_renews_after_start"),
            choices_check("status", PolicyStatus, "policy_status_valid"),
            models.CheckConstraint(
                condition=Q(underwriting__in=[u.value for u in Underwriting]), name="policy_underwriting_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PolicyMember(models.Model):
    """A person covered by a policy, from a date (and maybe to one)."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="members")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("member"), on_delete=models.PROTECT, related_name="policy_memberships"
    )
    joined_on = models.DateField(_("member since"), help_text=_("Start of continuous membership with the insurer."))
    covered_from = models.DateField(_("covered from"))
    covered_to = models.DateField(_("covered to"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy member")
        verbose_name_plural = _("policy members")
        constraints = [
            models.UniqueConstraint(fields=["policy", "customer"], name="policy_member_unique"),
            models.CheckConstraint(
                condition=Q(covered_to__isnull=True) | Q(covered_to__gte=F("covered_from")),
                name="policy_member_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(joined_on__lte=F("covered_from")), name="policy_member_joined_first"),
        ]
        indexes = [models.Index(fields=["customer", "covered_from"], name="policy_member_customer_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id} on {self.policy_id}"


ICD10_REGEX = r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"


class Exclusion(models.Model):
    """A condition excluded from a member's cover (listed at full medical underwriting)."""

    policy_member = models.ForeignKey(
        PolicyMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="exclusions"
    )
    description = models.CharField(_("condition"), max_length=200)
    icd10 = models.CharField(_("ICD-10 code"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.CheckConstraint(condition=Q(icd10="") | Q(icd10__regex=ICD10_REGEX), name="exclusion_icd10_format"),
        ]

    def __str__(self) -> str:
        return self.description


class MedicalHistoryEntry(models.Model):
    """Symptoms, treatment, medication or advice for a condition on a date (the moratorium's evidence)."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("member"), on_delete=models.CASCADE, related_name="medical_history"
    )
    description = models.CharField(_("condition"), max_length=200)
    icd10 = models.CharField(_("ICD-10 code"), max_length=8)
    occurred_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("medical history entry")
        verbose_name_plural = _("medical history")
        ordering = ["customer", "occurred_on"]
        constraints = [
            models.CheckConstraint(condition=Q(icd10__regex=ICD10_REGEX), name="history_icd10_format"),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.icd10}) {self.occurred_on}"


class Provider(models.Model):
    provider_number = models.CharField(_("provider number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=ProviderKind.choices)
    town = models.CharField(_("town"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    recognised = models.BooleanField(_("recognised"), default=True)
    direct_settlement = models.BooleanField(_("direct settlement"), default=False)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            choices_check("kind", ProviderKind, "provider_kind_valid"),
            # Only a recognised provider is paid directly.
            models.CheckConstraint(
                condition=Q(direct_settlement=False) | Q(recognised=True), name="provider_direct_only_if_recognised"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CoverCheck(models.Model):
    """One cover check as it was answered: the question, the decision and every reason."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("member"), on_delete=models.PROTECT, related_name="cover_checks"
    )
    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), null=True, blank=True, on_delete=models.PROTECT, related_name="cover_checks"
    )
    category = models.CharField(_("benefit"), max_length=20, choices=BenefitCategory.choices)
    procedure = models.CharField(_("procedure"), max_length=200, blank=True)
    icd10 = models.CharField(_("diagnosis (ICD-10)"), max_length=8, blank=True)
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    treatment_date = models.DateField(_("treatment date"))
    estimated_cost = models.DecimalField(_("estimated cost"), **MONEY)
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=[
            (Decision.COVERED.value, _("Covered")),
            (Decision.PARTLY_COVERED.value, _("Partly covered")),
            (Decision.NOT_COVERED.value, _("Not covered")),
        ],
    )
    insurer_pays = models.DecimalField(_("insurer pays"), **MONEY)
    member_pays = models.DecimalField(_("member pays"), **MONEY)
    findings = models.JSONField(_("reasons"), default=list)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cover check")
        verbose_name_plural = _("cover checks")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["customer", "-checked_at"], name="cover_check_customer_idx")]
        constraints = [
            not_negative("estimated_cost", "cover_check_cost_not_negative"),
            not_negative("insurer_pays", "cover_check_insurer_not_negative"),
            not_negative("member_pays", "cover_check_member_not_negative"),
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in Decision]), name="cover_check_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.treatment_date}: {self.decision}"


class PreAuthorisation(models.Model):
    """An authorisation given for a treatment at a provider, for an amount, valid for a period."""

    number = models.CharField(_("authorisation number"), max_length=20, unique=True)
    cover_check = models.OneToOneField(
        CoverCheck, verbose_name=_("cover check"), on_delete=models.PROTECT, related_name="pre_authorisation"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("member"), on_delete=models.PROTECT, related_name="pre_authorisations"
    )
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("benefit"), max_length=20, choices=BenefitCategory.choices)
    procedure = models.CharField(_("procedure"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount authorised"), **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"), max_length=10, choices=PreAuthorisationStatus.choices, default=PreAuthorisationStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pre-authorisation")
        verbose_name_plural = _("pre-authorisations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="preauth_amount_positive"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="preauth_validity_ordered"),
            choices_check("status", PreAuthorisationStatus, "preauth_status_valid"),
        ]

    def __str__(self) -> str:
        return self.number


class Claim(models.Model):
    number = models.CharField(_("claim number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("member"), on_delete=models.PROTECT, related_name="claims"
    )
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="claims")
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="claims")
    pre_authorisation = models.ForeignKey(
        PreAuthorisation,
        verbose_name=_("pre-authorisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    status = models.CharField(_("status"), max_length=25, choices=ClaimStatus.choices, default=ClaimStatus.RECEIVED)
    received_on = models.DateField(_("received on"))
    claimed_total = models.DecimalField(_("claimed"), **MONEY)
    approved_total = models.DecimalField(_("approved"), **MONEY, null=True, blank=True)
    excess_applied = models.DecimalField(_("excess applied"), **MONEY, null=True, blank=True)
    payee = models.CharField(_("payee"), max_length=10, choices=Payee.choices, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    turnaround_working_days = models.PositiveSmallIntegerField(_("turnaround (working days)"), null=True, blank=True)
    # Optimistic locking: each change bumps it; a change made from a stale copy is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-received_on", "-id"]
        permissions = [
            ("assess_claim", _("Can assess claims and decide them")),
            ("pay_claim", _("Can schedule and make claim payments")),
            ("withdraw_claim", _("Can withdraw a claim at the member's request")),
        ]
        indexes = [
            models.Index(fields=["customer", "-received_on"], name="claim_customer_idx"),  # the member's 360
            models.Index(fields=["status", "received_on"], name="claim_queue_idx"),  # the assessors' work queue
        ]
        constraints = [
            choices_check("status", ClaimStatus, "claim_status_valid"),
            models.CheckConstraint(condition=Q(claimed_total__gt=0), name="claim_claimed_positive"),
            models.CheckConstraint(
                condition=Q(approved_total__isnull=True) | Q(approved_total__gte=0), name="claim_approved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(approved_total__isnull=True) | Q(approved_total__lte=F("claimed_total")),
                name="claim_approved_within_claimed",
            ),
            models.CheckConstraint(condition=Q(payee="") | Q(payee__in=Payee.values), name="claim_payee_valid"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_on__isnull=False), name="claim_paid_has_date"),
            # A pre-authorisation is relied on by one claim at a time (a rejected or withdrawn one frees it).
            models.UniqueConstraint(
                fields=["pre_authorisation"],
                condition=Q(pre_authorisation__isnull=False) & ~Q(status__in=["rejected", "withdrawn"]),
                name="claim_one_open_per_pre_authorisation",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ClaimLine(models.Model):
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("benefit"), max_length=20, choices=BenefitCategory.choices)
    procedure = models.CharField(_("procedure"), max_length=200)
    icd10 = models.CharField(_("diagnosis (ICD-10)"), max_length=8, blank=True)
    treatment_date = models.DateField(_("treatment date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    approved_amount = models.DecimalField(_("approved"), **MONEY, null=True, blank=True)
    findings = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_line_amount_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | (Q(approved_amount__gte=0) & Q(approved_amount__lte=F("amount"))),
                name="claim_line_approved_range",
            ),
            choices_check("category", BenefitCategory, "claim_line_category_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} {self.amount}"


class ClaimTransition(models.Model):
    """Every change of a claim's state: who, when, from, to and why."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=25, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=25, choices=ClaimStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("claim transition")
        verbose_name_plural = _("claim transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Payment(models.Model):
    """The one payment of a claim: the unique claim makes a second payment impossible, whatever races."""

    claim = models.OneToOneField(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="payment")
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    payee = models.CharField(_("payee"), max_length=10, choices=Payee.choices)
    payee_name = models.CharField(_("paid to"), max_length=200)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    paid_on = models.DateField(_("paid on"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paid by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(payee__in=Payee.values), name="payment_payee_valid"),
        ]

    def __str__(self) -> str:
        return self.reference
