"""Writes about members: creating and updating the record, recording identification and
verification, and recording every read of a member's record in the audit trail."""

import random
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q

from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from .models import Customer, CustomerPhone, IdentityCheck
from .rules import (
    CallerAnswers,
    MemberFacts,
    arabic_name_words,
    membership_number_for,
    name_words,
    normalise_phone,
    normalise_postcode,
    soundex,
    verify_caller,
)

_rng = random.SystemRandom()


def search_name_for(first_name: str, last_name: str) -> str:
    """The name the search compares ("sean obrien" for Seán O'Brien: see rules.name_words)."""
    return " ".join(name_words(first_name) + name_words(last_name))


def name_keys(customer: Customer) -> None:
    """Fill the fields the name search reads from the names (call before saving)."""
    customer.search_name = search_name_for(customer.first_name, customer.last_name)
    customer.first_name_key = soundex(customer.first_name)
    customer.last_name_key = soundex(customer.last_name)
    customer.first_name_ar_key = " ".join(arabic_name_words(customer.first_name_ar))
    customer.last_name_ar_key = " ".join(arabic_name_words(customer.last_name_ar))


@transaction.atomic
def customer_create(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    actor=None,
    phones: list[tuple[str, str]] = (),
    membership_number: str = "",
    postcode: str = "",
    **fields,
) -> Customer:
    """A new member, with a fresh membership number (eight digits and a check digit) unless given."""
    customer = Customer(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        postcode=normalise_postcode(postcode),
        **fields,
    )
    name_keys(customer)
    for attempt in range(10):
        customer.membership_number = membership_number or membership_number_for(_rng.randrange(10_000_000, 99_999_999))
        customer.full_clean()
        try:
            with transaction.atomic():
                customer.save()
            break
        except IntegrityError:
            if membership_number or attempt == 9:
                raise
    for index, (kind, number) in enumerate(phones):
        e164 = normalise_phone(number)
        if e164 is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"phones": [f"{number!r} is not a phone number."]})
        CustomerPhone.objects.create(customer=customer, kind=kind, number=e164, is_primary=index == 0)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=customer, summary=customer.membership_number)
    return customer


def customer_record_viewed(*, customer: Customer, actor, ip_address: str | None = None, via: str = "web") -> None:
    """Every opening of a member's record is in the audit trail (who, when, from where, how)."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=customer,
        ip_address=ip_address,
        summary=customer.membership_number,
        detail={"via": via},
    )


@transaction.atomic
def identity_check_record(
    *, customer: Customer, actor, answers: CallerAnswers, contact_id: int | None = None
) -> IdentityCheck:
    """Check what the caller said against the record and keep the outcome (never the answers).
    Done on a contact, the outcome is recorded on the contact too (the caller becomes this member)."""
    from calls.models import Contact

    facts = MemberFacts(customer.membership_number, customer.date_of_birth, customer.postcode, customer.address_line_1)
    result = verify_caller(facts, answers)
    contact = None
    if contact_id is not None:
        # Only a contact of the agent's own (or of nobody's yet) takes the outcome.
        mine = Q(agent__isnull=True) | Q(agent=actor)
        contact = Contact.objects.select_for_update(no_key=True).filter(mine, pk=contact_id).first()
        if contact is not None:
            contact.customer = customer
            contact.idv_outcome = "passed" if result.passed else "failed"
            contact.save(update_fields=["customer", "idv_outcome", "updated_at"])
    check = IdentityCheck.objects.create(
        customer=customer,
        contact=contact,
        checked_by=actor,
        passed=result.passed,
        method=result.method or "",
        matched=list(result.matched),
        mismatched=list(result.mismatched),
    )
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_CHECK,
        obj=customer,
        summary=f"ID&V {'passed' if result.passed else 'failed'}",
        detail={"method": result.method or "", "passed": result.passed},
    )
    return check
