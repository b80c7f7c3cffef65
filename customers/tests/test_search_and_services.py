"""Member search against PostgreSQL (pg_trgm) and the member services."""

from datetime import date

import pytest

from claims.tests.factories import CustomerFactory, PhoneFactory
from contactcentre.models import AuditAction, AuditEvent
from customers import services
from customers.rules import CallerAnswers, membership_number_valid
from customers.selectors import customer_search, search_terms
from staff.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    smith = CustomerFactory(
        first_name="Charlie", last_name="Smith", date_of_birth=date(1962, 3, 14), postcode="TW18 3HA"
    )
    PhoneFactory(customer=smith, number="+447700900123")
    return {
        "smith": smith,
        "smithson": CustomerFactory(first_name="Emily", last_name="Smithson", postcode="M1 1AE"),
        "other_smith": CustomerFactory(
            first_name="George", last_name="Smith", date_of_birth=date(1980, 1, 2), postcode="SL4 1NE"
        ),
        "jones": CustomerFactory(first_name="Ava", last_name="Jones", postcode="M20 6RT"),
    }


def names(results):
    return [r.customer.full_name for r in results]


def test_a_phone_number_read_out_with_spaces_finds_the_member(members):
    results = customer_search("07700 900 123")
    assert names(results) == ["Charlie Smith"] and results[0].matched_on == "phone"


def test_the_membership_number_finds_exactly_one(members):
    number = members["jones"].membership_number
    assert names(customer_search(f"{number[:4]} {number[4:]}")) == ["Ava Jones"]


def test_name_search_lists_the_strongest_match_first(members):
    results = customer_search("charlie smith")
    assert names(results)[0] == "Charlie Smith"
    assert "Ava Jones" not in names(results)


def test_name_search_forgives_a_typo(members):
    assert "Charlie Smith" in names(customer_search("Charly Smyth"))


def test_name_with_date_of_birth_narrows_to_that_person(members):
    assert names(customer_search("Smith 14/03/1962")) == ["Charlie Smith"]


def test_postcode_alone_lists_who_lives_there(members):
    results = customer_search("tw18 3ha")
    assert names(results) == ["Charlie Smith"] and results[0].matched_on == "postcode"


def test_date_of_birth_alone(members):
    assert names(customer_search("02/01/1980")) == ["George Smith"]


def test_nothing_typed_finds_nothing(members):
    assert customer_search("   ") == []


@pytest.mark.parametrize(
    ("typed", "field"),
    [("07700 900123", "phone"), ("Smith TW18 3HA", "postcode"), ("jones 1962-03-14", "date_of_birth")],
)
def test_search_terms_are_read_the_way_agents_type(typed, field):
    assert getattr(search_terms(typed), field)


def test_sqlite_fallback_ranks_like_postgres(members, settings, monkeypatch):
    """The slower fallback (no trigram index) gives the same first answers."""
    from django.db import connection

    postgres = names(customer_search("charly smyth"))
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert names(customer_search("charly smyth"))[:1] == postgres[:1]


def test_customer_create_allocates_a_valid_membership_number_and_normalises(user_factory):
    agent = user_factory(role=Role.AGENT)
    member = services.customer_create(
        first_name=" Layla ",
        last_name="Mansour",
        date_of_birth=date(1985, 7, 1),
        postcode="m11ae",
        phones=[("mobile", "07700 900 555")],
        actor=agent,
    )
    assert membership_number_valid(member.membership_number)
    assert member.postcode == "M1 1AE" and member.search_name == "layla mansour"
    assert str(member.phones.get().number) == "+447700900555"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(member.pk)).exists()


def test_identity_checks_keep_the_outcome_not_the_answers(members, user_factory):
    agent = user_factory(role=Role.AGENT)
    passed = services.identity_check_record(
        customer=members["smith"],
        actor=agent,
        answers=CallerAnswers(date_of_birth=date(1962, 3, 14), postcode="TW18 3HA"),
    )
    failed = services.identity_check_record(
        customer=members["smith"],
        actor=agent,
        answers=CallerAnswers(date_of_birth=date(1962, 3, 15), postcode="TW18 3HA"),
    )
    assert (passed.passed, passed.method) == (True, "dob_postcode")
    assert (failed.passed, failed.mismatched) == (False, ["date_of_birth"])
    assert "1962" not in str(failed.matched) + str(failed.mismatched)


def test_vulnerability_needs_a_category_in_the_database(members):
    from django.db import IntegrityError

    member = members["jones"]
    member.is_vulnerable = True
    with pytest.raises(IntegrityError):
        member.save()


def test_names_with_apostrophes_and_hyphens_are_found():
    from customers.services import customer_create

    customer_create(first_name="Sean", last_name="O'Brien", date_of_birth=date(1970, 1, 1))
    customer_create(first_name="Ava", last_name="Smith-Jones", date_of_birth=date(1971, 1, 1))
    assert names(customer_search("sean o'brien")) == ["Sean O'Brien"]
    assert names(customer_search("obrien")) == ["Sean O'Brien"]
    assert names(customer_search("Smith-Jones")) == ["Ava Smith-Jones"]


def test_a_membership_number_with_a_wrong_check_digit_finds_nobody(members):
    number = members["jones"].membership_number
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert customer_search(typo) == []


@pytest.mark.parametrize(("typed", "found"), [("14 03 1962", ["Charlie Smith"]), ("30/02/1962", [])])
def test_dates_are_never_taken_for_phone_numbers(members, typed, found):
    assert names(customer_search(typed)) == found


def test_a_date_of_birth_does_not_list_people_with_quite_another_name(members):
    CustomerFactory(first_name="Ava", last_name="Jones", date_of_birth=date(1962, 3, 14))
    assert names(customer_search("Smith 14/03/1962")) == ["Charlie Smith"]


def test_members_are_found_by_their_arabic_names_however_written():
    from customers.services import customer_create

    customer_create(
        first_name="Fatima",
        last_name="Haddad",
        first_name_ar="فاطِمة",
        last_name_ar="حدّاد",
        date_of_birth=date(1980, 1, 1),
    )
    customer_create(
        first_name="Abdullah",
        last_name="Nasser",
        first_name_ar="عبد الله",
        last_name_ar="ناصر",
        date_of_birth=date(1975, 1, 1),
    )
    assert names(customer_search("حداد")) == ["Fatima Haddad"]  # without the shadda
    assert names(customer_search("فاطمه حداد")) == ["Fatima Haddad"]  # ة written as ه
    assert names(customer_search("حداد فاطمة")) == ["Fatima Haddad"]  # surname first
    assert names(customer_search("عبد الله ناصر")) == ["Abdullah Nasser"]  # a two-word first name
    assert names(customer_search("فاطمة 01/01/1980")) == ["Fatima Haddad"]
    assert customer_search("سمير") == []
