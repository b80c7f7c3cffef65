"""Reads about members: the search an agent runs when a call comes in, and the customer 360."""

import re
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from .models import Customer, CustomerPhone, HouseholdMember
from .rules import (
    arabic_name_words,
    clean_membership_number,
    looks_like_date,
    looks_like_postcode,
    membership_number_valid,
    name_words,
    normalise_phone,
    normalise_postcode,
    parse_date_of_birth,
    soundex,
    word_scores,
)

# Below this a name that sounds alike is still too unlike what was typed to list (a one-letter typo in a
# five-letter name scores 1/3).
NAME_MATCH_FLOOR = 0.3


@dataclass(frozen=True)
class SearchTerms:
    """What a free-text search box holds, read the way an agent types what a caller says."""

    membership_number: str = ""
    phone: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    name: str = ""

    @property
    def empty(self) -> bool:
        return not any([self.membership_number, self.phone, self.date_of_birth, self.postcode, self.name])


def search_terms(text: str) -> SearchTerms:
    """'Smith 14/03/1962', '07700 900123', '123456782', 'TW18 3HA', 'Jon Smyth TW18 3HA'..."""
    text = (text or "").strip()
    if not text:
        return SearchTerms()
    if membership_number_valid(text):
        return SearchTerms(membership_number=clean_membership_number(text))
    if re.fullmatch(r"\d{9}", clean_membership_number(text)):
        return SearchTerms()  # a membership number with a wrong check digit: a typo, not a phone number
    if looks_like_date(text):
        return SearchTerms(date_of_birth=parse_date_of_birth(text))  # none if the date is impossible
    if not re.search(r"[A-Za-z\u0600-\u06FF]", text):
        phone = normalise_phone(text)
        if phone:
            return SearchTerms(phone=phone)
    words = text.split()
    dob, postcode, rest = None, "", []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if dob is None and parse_date_of_birth(words[i]):
            dob = parse_date_of_birth(words[i])
        elif not postcode and len(words) > i + 1 and looks_like_postcode(pair):
            postcode, i = normalise_postcode(pair), i + 1
        elif not postcode and looks_like_postcode(words[i]):
            postcode = normalise_postcode(words[i])
        else:
            rest.append(words[i])
        i += 1
    return SearchTerms(date_of_birth=dob, postcode=postcode, name=" ".join(rest))


@dataclass(frozen=True)
class SearchResult:
    customer: Customer
    score: float
    matched_on: str  # membership_number | phone | name | date_of_birth | postcode


def customer_search(text: str, *, limit: int = 20) -> list[SearchResult]:
    """One list, strongest match first: an exact membership number or phone number, then people
    whose name (with any date of birth or postcode given) matches best."""
    terms = search_terms(text)
    # Results show who the person is, nothing joined: the search stays one cheap query per step.
    base = Customer.objects.all()
    if terms.empty:
        return []
    if terms.membership_number:
        return [
            SearchResult(c, 1.0, "membership_number") for c in base.filter(membership_number=terms.membership_number)
        ]
    if terms.phone:
        owners = CustomerPhone.objects.filter(number=terms.phone).values("customer_id")
        people = base.filter(pk__in=owners).order_by("last_name", "first_name", "id")
        return [SearchResult(c, 0.95, "phone") for c in people[:limit]]
    people = Customer.objects.all()
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    if terms.postcode:
        people = people.filter(postcode=terms.postcode)
    if not terms.name:
        matched_on = "date_of_birth" if terms.date_of_birth else "postcode"
        found = people.order_by("last_name", "first_name", "id")[:limit]
        return [SearchResult(c, 0.6, matched_on) for c in found]
    arabic = arabic_name_words(terms.name)[:4]
    if arabic:
        return [SearchResult(c, 1.0, "name") for c in _same_arabic_name(people, arabic, limit)]
    words = name_words(terms.name)[:4]
    if not words:
        return []
    if terms.date_of_birth or terms.postcode:
        # Already narrowed to a few people: rank them all by how like the name they are.
        return _ranked_by_name(people, words, limit, floor=NAME_MATCH_FLOOR)
    found = [SearchResult(c, 1.0, "name") for c in _same_name(people, words, limit)]
    if len(found) < limit:
        seen = {r.customer.pk for r in found}
        similar = _ranked_by_name(_sounding_alike(people, words), words, limit, floor=NAME_MATCH_FLOOR)
        found += [r for r in similar if r.customer.pk not in seen][: limit - len(found)]
    return found


def _same_name(people: QuerySet[Customer], words: list[str], limit: int) -> list[Customer]:
    """People whose names are the words typed: "oliver smith" (or "smith oliver"), or one name alone
    (surnames first). Each query reads an index in the order listed, so the first `limit` are cheap
    even for the commonest surname."""
    related = people
    if len(words) == 1:
        by_last = list(
            related.annotate(l1=Lower("last_name"), l2=Lower("first_name"))
            .filter(l1=words[0])
            .order_by("l1", "l2", "id")[:limit]
        )
        if len(by_last) >= limit:
            return by_last
        by_first = (
            related.annotate(l1=Lower("first_name"), l2=Lower("last_name"))
            .filter(l1=words[0])
            .order_by("l1", "l2", "id")[: limit - len(by_last)]
        )
        return by_last + [c for c in by_first if c not in by_last]
    typed = " ".join(words)
    found = list(related.filter(search_name=typed).order_by("search_name", "id")[:limit])
    if len(words) == 2 and len(found) < limit:
        found += list(
            related.filter(search_name=f"{words[1]} {words[0]}").order_by("search_name", "id")[: limit - len(found)]
        )
    return found


def _same_arabic_name(people: QuerySet[Customer], words: list[str], limit: int) -> list[Customer]:
    """People whose Arabic name is the words typed (normalised: rules.arabic_name_words): one word as a
    surname, then as a first name; several as first name(s) then surname, in either order (Arabic names
    often have two words, "عبد الله")."""
    if len(words) == 1:
        by_last = list(
            people.filter(last_name_ar_key=words[0]).order_by("last_name_ar_key", "first_name_ar_key", "id")[:limit]
        )
        by_first = people.filter(first_name_ar_key=words[0]).order_by("first_name_ar_key", "last_name_ar_key", "id")[
            : max(0, limit - len(by_last))
        ]
        return by_last + [c for c in by_first if c not in by_last]
    splits = Q()
    for cut in range(1, len(words)):
        first, last = " ".join(words[:cut]), " ".join(words[cut:])
        splits |= Q(first_name_ar_key=first, last_name_ar_key=last) | Q(first_name_ar_key=last, last_name_ar_key=first)
    return list(people.filter(splits).order_by("last_name_ar_key", "first_name_ar_key", "id")[:limit])


def _sounding_alike(people: QuerySet[Customer], words: list[str]) -> QuerySet[Customer]:
    """People whose names sound like the words typed (Soundex), in either order: the candidates for
    a misspelt name, found through an index instead of a scan of every name."""
    keys = [soundex(w) for w in words]
    if not any(keys):
        return people.none()
    if len(keys) == 1:
        return people.filter(Q(last_name_key=keys[0]) | Q(first_name_key=keys[0]))
    first, last = keys[0], keys[-1]
    return people.filter(Q(first_name_key=first, last_name_key=last) | Q(first_name_key=last, last_name_key=first))


def _ranked_by_name(people: QuerySet[Customer], words: list[str], limit: int, *, floor: float) -> list[SearchResult]:
    """Rank by trigram similarity: PostgreSQL computes it (pg_trgm); elsewhere Python does, the same way."""
    if connection.vendor == "postgresql":
        score = sum(
            (TrigramWordSimilarity(w, "search_name") for w in words[1:]), TrigramWordSimilarity(words[0], "search_name")
        ) / len(words)
        ranked = (
            people.annotate(score=score)
            .filter(score__gte=floor)
            .order_by("-score", "last_name", "first_name", "id")[:limit]
        )
        return [SearchResult(c, round(c.score, 3), "name") for c in ranked]
    scored = []
    for candidate in people.only("id", "search_name").iterator():
        per_word = word_scores(words, candidate.search_name)
        if min(per_word) >= floor:
            scored.append((sum(per_word) / len(per_word), candidate.pk))
    scored = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit]
    by_id = Customer.objects.in_bulk([pk for _, pk in scored])
    found = [SearchResult(by_id[pk], round(score, 3), "name") for score, pk in scored]
    found.sort(key=lambda r: (-r.score, r.customer.last_name, r.customer.first_name, r.customer.pk))
    return found


def customer_lookup_by_phone(number: str) -> QuerySet[Customer]:
    """Screen-pop: the members whose phone is this number (any format)."""
    e164 = normalise_phone(number)
    if not e164:
        return Customer.objects.none()
    return Customer.objects.filter(phones__number=e164).distinct()


def customer_get(pk: int) -> Customer:
    return get_object_or_404(
        Customer.objects.select_related("corporate_account", "corporate_account__plan").prefetch_related(
            Prefetch("phones", queryset=CustomerPhone.objects.order_by("-is_primary", "id"))
        ),
        pk=pk,
    )


def household_of(customer: Customer) -> list[HouseholdMember]:
    membership = HouseholdMember.objects.filter(customer=customer).select_related("household").first()
    if membership is None:
        return []
    return list(
        HouseholdMember.objects.filter(household=membership.household)
        .select_related("customer")
        .order_by("relationship", "customer__date_of_birth")
    )


def identity_checks_for(customer_id: int, *, limit: int = 3) -> list:
    from .models import IdentityCheck

    return list(
        IdentityCheck.objects.filter(customer_id=customer_id)
        .select_related("checked_by")
        .order_by("-checked_at")[:limit]
    )
