"""Members and the groups they belong to: customers, their phone numbers, households, corporate
accounts, and the record of each identification and verification (ID&V)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from staff.models import Language


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    DECEASED = "deceased", _("Deceased")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    SMS = "sms", _("Text message")


class VulnerabilityCategory(models.TextChoices):
    BEREAVEMENT = "bereavement", _("Bereavement")
    SERIOUS_ILLNESS = "serious_illness", _("Serious or terminal illness")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    COGNITIVE = "cognitive", _("Cognitive impairment")
    COMMUNICATION = "communication", _("Hearing, sight or language needs")
    FINANCIAL = "financial", _("Financial difficulty")
    OTHER = "other", _("Other")


class ServiceTier(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ENHANCED = "enhanced", _("Enhanced")
    PREMIUM = "premium", _("Premium")


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    HOME = "home", _("Home")
    WORK = "work", _("Work")


class Relationship(models.TextChoices):
    HOLDER = "holder", _("Policy holder")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    DEPENDANT = "dependant", _("Other dependant")


class CorporateAccount(models.Model):
    """A company scheme: its employees hold the account's plan."""

    account_number = models.CharField(_("account number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corporate_accounts",
    )
    plan = models.ForeignKey("claims.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+")
    service_tier = models.CharField(
        _("service tier"), max_length=20, choices=ServiceTier.choices, default=ServiceTier.STANDARD
    )

    class Meta:
        verbose_name = _("corporate account")
        verbose_name_plural = _("corporate accounts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(service_tier__in=ServiceTier.values), name="corporate_tier_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_number})"


class Customer(models.Model):
    """A member: a person covered, or holding cover, with the insurer."""

    membership_number = models.CharField(_("membership number"), max_length=9, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_ar = models.CharField(_("first name in Arabic"), max_length=100, blank=True)
    last_name_ar = models.CharField(_("last name in Arabic"), max_length=100, blank=True)
    # Kept by the services (customers.services.name_keys): lower-case "first last", and the Soundex
    # keys of each name, which the name search reads (customers/selectors.py).
    search_name = models.CharField(max_length=201, editable=False, default="")
    first_name_key = models.CharField(max_length=4, editable=False, default="")
    last_name_key = models.CharField(max_length=4, editable=False, default="")
    # The Arabic rendering, normalised the same way (rules.arabic_name_words), for searching in Arabic.
    first_name_ar_key = models.CharField(max_length=100, editable=False, default="")
    last_name_ar_key = models.CharField(max_length=100, editable=False, default="")
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("email"), blank=True)
    address_line_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    consent_marketing = models.BooleanField(_("consents to marketing"), default=False)
    consent_research = models.BooleanField(_("consents to surveys and research"), default=False)
    consent_sms = models.BooleanField(_("consents to text messages"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE)
    is_vulnerable = models.BooleanField(_("vulnerable"), default=False)
    vulnerability_category = models.CharField(
        _("vulnerability"), max_length=20, blank=True, choices=VulnerabilityCategory.choices
    )
    vulnerability_note = models.TextField(_("vulnerability note"), blank=True)
    corporate_account = models.ForeignKey(
        CorporateAccount,
        verbose_name=_("corporate account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["last_name", "first_name", "id"]
        permissions = [("lookup_customer", _("Can look members up (search results only, not their records)"))]
        indexes = [
            # Search by date of birth, and by postcode (exact, normalised).
            models.Index(fields=["date_of_birth"], name="customer_dob_idx"),
            models.Index(fields=["postcode"], name="customer_postcode_idx"),
            # The name search, exact words: "oliver smith" (either order), a surname alone, a first name
            # alone, each read in the order the results are listed so the first 20 come off the index.
            models.Index("search_name", "id", name="customer_search_name_idx"),
            models.Index(Lower("last_name"), Lower("first_name"), "id", name="customer_last_first_idx"),
            models.Index(Lower("first_name"), Lower("last_name"), "id", name="customer_first_last_idx"),
            # The name search, names that sound alike (a misspelt "Smyth" for "Smith").
            models.Index("last_name_key", "first_name_key", name="customer_sound_idx"),
            models.Index("first_name_key", name="customer_first_sound_idx"),
            # The name search in Arabic script: a surname or first name alone, or both.
            models.Index("last_name_ar_key", "first_name_ar_key", "id", name="customer_ar_last_first_idx"),
            models.Index("first_name_ar_key", "last_name_ar_key", "id", name="customer_ar_first_last_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(membership_number__regex=r"^[0-9]{9}$"), name="customer_membership_number_format"
            ),
            models.CheckConstraint(condition=Q(status__in=CustomerStatus.values), name="customer_status_valid"),
            models.CheckConstraint(condition=Q(preferred_language__in=Language.values), name="customer_language_valid"),
            models.CheckConstraint(
                condition=Q(is_vulnerable=False, vulnerability_category="")
                | (Q(is_vulnerable=True) & ~Q(vulnerability_category="")),
                name="customer_vulnerability_has_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.membership_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()


class CustomerPhone(models.Model):
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(_("type"), max_length=10, choices=PhoneKind.choices, default=PhoneKind.MOBILE)
    number = PhoneNumberField(_("number"))  # stored in E.164
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["number"], name="customer_phone_number_idx")]  # screen-pop lookup
        constraints = [
            models.UniqueConstraint(fields=["customer", "number"], name="customer_phone_unique"),
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_primary=True), name="customer_one_primary_phone"
            ),
            models.CheckConstraint(condition=Q(number__startswith="+"), name="customer_phone_e164"),
        ]

    def __str__(self) -> str:
        return str(self.number)


class Household(models.Model):
    """A policy holder and the dependants who share their cover."""

    holder = models.OneToOneField(
        Customer, verbose_name=_("policy holder"), on_delete=models.PROTECT, related_name="household_held"
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.holder.full_name}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    customer = models.OneToOneField(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="household_membership"
    )
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(relationship="holder"), name="household_one_holder"
            ),
            models.CheckConstraint(
                condition=Q(relationship__in=Relationship.values), name="household_relationship_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} ({self.relationship})"


class IdentityCheck(models.Model):
    """One identification and verification of a caller: who checked, how, and the outcome.
    The items are recorded by name (which matched, which did not), never the values given."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="identity_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    # The contact (call, letter, email) it was done on, when done on one.
    contact = models.ForeignKey(
        "calls.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identity_checks",
    )
    passed = models.BooleanField(_("passed"))
    method = models.CharField(_("method"), max_length=20, blank=True)
    matched = models.JSONField(_("items matched"), default=list)
    mismatched = models.JSONField(_("items not matched"), default=list)

    class Meta:
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["customer", "-checked_at"], name="identity_check_customer_idx")]

    def __str__(self) -> str:
        return f"ID&V {'passed' if self.passed else 'failed'} {self.checked_at:%Y-%m-%d %H:%M}"
