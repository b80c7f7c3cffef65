"""Reads about members: the search an agent runs when a call comes in, and the customer 360."""

import re
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Customer, CustomerPhone, HouseholdMember
from .rules import (
    clean_membership_number,
    looks_like_postcode,
    membership_number_valid,
    normalise_phone,
    normalise_postcode,
    parse_date_of_birth,
    word_scores,
)

# Below this a name is too unlike what was typed to list; PostgreSQL's pg_trgm.word_similarity_threshold
# is set to the same value for every connection (settings.py), so its index finds the same candidates.
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
    if not re.search(r"[A-Za-z\u0600-\u06FF]", text) and parse_date_of_birth(text) is None:
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
    base = Customer.objects.select_related("corporate_account")
    if terms.empty:
        return []
    if terms.membership_number:
        return [
            SearchResult(c, 1.0, "membership_number") for c in base.filter(membership_number=terms.membership_number)
        ]
    if terms.phone:
        people = base.filter(phones__number=terms.phone).distinct().order_by("last_name", "first_name", "id")
        return [SearchResult(c, 0.95, "phone") for c in people[:limit]]
    people = Customer.objects.all()
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    if terms.postcode:
        people = people.filter(postcode=terms.postcode)
    if not terms.name:
        matched_on = "date_of_birth" if terms.date_of_birth else "postcode"
        found = people.select_related("corporate_account").order_by("last_name", "first_name", "id")[:limit]
        return [SearchResult(c, 0.6, matched_on) for c in found]
    words = re.findall(r"\w+", terms.name.lower())[:4]
    narrowed = bool(terms.date_of_birth or terms.postcode)
    floor = 0.0 if narrowed else NAME_MATCH_FLOOR
    if connection.vendor == "postgresql":
        # Every typed word must be like a word of the name (each condition can use the GIN index);
        # the score is the mean of the words' similarities, as in rules.word_scores.
        ranked = people.select_related("corporate_account")
        if not narrowed:
            for word in words:
                ranked = ranked.filter(search_name__trigram_word_similar=word)
        score = sum(
            (TrigramWordSimilarity(word, "search_name") for word in words[1:]),
            TrigramWordSimilarity(words[0], "search_name"),
        ) / len(words)
        ranked = ranked.annotate(score=score).order_by("-score", "last_name", "first_name", "id")[:limit]
        found = [SearchResult(c, round(c.score, 3), "name") for c in ranked]
    else:
        # SQLite: no trigram index; score every candidate in Python with the same measure.
        candidates = people.only("id", "search_name")
        scored = []
        for candidate in candidates.iterator():
            per_word = word_scores(words, candidate.search_name)
            if min(per_word) >= floor:
                scored.append((sum(per_word) / len(per_word), candidate.pk))
        scored = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[: limit * 3]
        by_id = base.in_bulk([pk for _, pk in scored])
        found = [SearchResult(by_id[pk], round(score, 3), "name") for score, pk in scored]
    found.sort(key=lambda r: (-r.score, r.customer.last_name, r.customer.first_name, r.customer.pk))
    return found[:limit]


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
