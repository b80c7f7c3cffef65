"""Pure rules about members: membership numbers, postcodes, phone numbers as callers read them out,
and identification and verification (ID&V)."""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import phonenumbers
from django.conf import settings
from stdnum import luhn

MEMBERSHIP_BODY_DIGITS = 8
MEMBERSHIP_PATTERN = re.compile(r"^\d{9}$")


def membership_number_for(serial: int) -> str:
    """Eight digits from a serial, then a Luhn check digit: any single mistyped digit, and most
    swapped neighbours, make an invalid number."""
    body = f"{serial:0{MEMBERSHIP_BODY_DIGITS}d}"
    if len(body) != MEMBERSHIP_BODY_DIGITS:
        raise ValueError(f"serial {serial} does not fit in {MEMBERSHIP_BODY_DIGITS} digits")
    return body + luhn.calc_check_digit(body)


def clean_membership_number(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "")


def membership_number_valid(text: str) -> bool:
    number = clean_membership_number(text)
    return bool(MEMBERSHIP_PATTERN.match(number)) and luhn.is_valid(number)


UK_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")


def normalise_postcode(text: str) -> str:
    """'sw1a1aa' -> 'SW1A 1AA'. Non-UK postcodes are upper-cased with single spaces."""
    compact = re.sub(r"\s+", " ", (text or "").strip().upper())
    match = UK_POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else compact


def looks_like_postcode(text: str) -> bool:
    return bool(UK_POSTCODE.match(re.sub(r"\s+", " ", (text or "").strip().upper())))


def normalise_phone(text: str, region: str | None = None) -> str | None:
    """A number in any format a caller reads out ('07700 900 123', '+44 7700-900123', '00447700900123')
    in E.164 ('+447700900123'); None if it is not a possible number."""
    digits = re.sub(r"[^\d+]", "", text or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if len(re.sub(r"\D", "", digits)) < 7:
        return None
    try:
        parsed = phonenumbers.parse(digits, region or settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


DATE_SHAPE = re.compile(r"^(\d{1,2}[ /.-]\d{1,2}[ /.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})$")


def looks_like_date(text: str) -> bool:
    """Shaped like a date, valid or not ('30/02/2000' is a mistyped date, not a phone number)."""
    return bool(DATE_SHAPE.match((text or "").strip()))


def name_words(text: str) -> list[str]:
    """A name as the search compares it: lower-case words with punctuation dropped inside them
    ("O'Brien" -> "obrien", "Smith-Jones" -> "smithjones"), for stored names and typed ones alike."""
    words = (re.sub(r"[\W_\d]", "", word) for word in (text or "").lower().split())
    return [word for word in words if word]


_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # diacritics, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
ARABIC = re.compile("[\u0600-\u06ff]")


def arabic_name_words(text: str) -> list[str]:
    """An Arabic name as the search compares it: without diacritics or tatweel, and with the letters
    people write interchangeably made one (أ إ آ -> ا, ة -> ه, ى -> ي), so "فاطمة" finds "فاطمه"."""
    words = (_ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS) for word in (text or "").split())
    return [re.sub(r"[^\u0621-\u064a]", "", word) for word in words if ARABIC.search(word)]


def parse_date_of_birth(text: str) -> date | None:
    """'14/03/1962', '14 03 1962', '14-03-1962', '14.03.1962' (day first, as in the UK) or '1962-03-14'."""
    text = (text or "").strip()
    for pattern, order in (
        (r"^(\d{1,2}) (\d{1,2}) (\d{4})$", "dmy"),
        (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", "ymd"),
        (r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", "dmy"),
    ):
        match = re.match(pattern, text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


class VerificationMethod(StrEnum):
    DOB_AND_POSTCODE = "dob_postcode"
    MEMBERSHIP_AND_ONE_MORE = "membership_plus_one"


@dataclass(frozen=True)
class MemberFacts:
    membership_number: str
    date_of_birth: date
    postcode: str
    first_line_of_address: str = ""


@dataclass(frozen=True)
class CallerAnswers:
    membership_number: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    first_line_of_address: str = ""


@dataclass(frozen=True)
class Verification:
    passed: bool
    method: VerificationMethod | None
    matched: tuple[str, ...]
    mismatched: tuple[str, ...]


def verify_caller(facts: MemberFacts, answers: CallerAnswers) -> Verification:
    """Passed with date of birth + postcode, or membership number + one more item; any item given
    wrongly fails the check (a caller who gets one thing wrong is not verified by the others)."""
    matched, mismatched = [], []

    def compare(name: str, given, expected, same) -> None:
        if given in ("", None):
            return
        (matched if same(given, expected) else mismatched).append(name)

    compare(
        "membership_number",
        clean_membership_number(answers.membership_number),
        facts.membership_number,
        lambda a, b: a == b,
    )
    compare("date_of_birth", answers.date_of_birth, facts.date_of_birth, lambda a, b: a == b)
    compare("postcode", normalise_postcode(answers.postcode), normalise_postcode(facts.postcode), lambda a, b: a == b)
    compare(
        "first_line_of_address",
        answers.first_line_of_address,
        facts.first_line_of_address,
        lambda a, b: bool(b) and a.strip().casefold() == b.strip().casefold(),
    )
    method = None
    if not mismatched:
        if {"date_of_birth", "postcode"} <= set(matched):
            method = VerificationMethod.DOB_AND_POSTCODE
        elif "membership_number" in matched and len(matched) >= 2:
            method = VerificationMethod.MEMBERSHIP_AND_ONE_MORE
    return Verification(method is not None, method, tuple(matched), tuple(mismatched))


_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(name: str) -> str:
    """American Soundex: 'Smith' and 'Smyth' are both S530, 'Robert' and 'Rupert' R163. Names that
    sound alike share a key, which the name search uses to find likely misspellings quickly.
    Empty for a name with no Latin letters."""
    letters = [c for c in (name or "").lower() if "a" <= c <= "z"]
    if not letters:
        return ""
    key, last = letters[0].upper(), _SOUNDEX.get(letters[0], "")
    for letter in letters[1:]:
        code = _SOUNDEX.get(letter, "")
        if code and code != last:
            key += code
            if len(key) == 4:
                break
        if letter not in "hw":  # h and w do not separate two letters with the same code
            last = code
    return key.ljust(4, "0")


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: lower-cased words, each padded with two spaces before and one after."""
    found: set[str] = set()
    for word in re.findall(r"\w+", (text or "").lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def word_similarity(query: str, text: str) -> float:
    """Shared trigrams over all the trigrams of both (Jaccard): pg_trgm's similarity of two words,
    and its word_similarity of a one-word query to the best-matching word of a name. A one-letter
    typo in a five-letter name ('smyth' for 'smith') scores 1/3."""
    tq, tt = trigrams(query), trigrams(text)
    return len(tq & tt) / len(tq | tt) if tq and tt else 0.0


def word_scores(words: list[str], name: str) -> list[float]:
    """For each typed word, how well it matches the best word of a stored name (0 to 1), the way
    PostgreSQL's word similarity measures it (pg_trgm). The name search lists a name when every word
    scores at least its floor, and ranks by the mean; the SQLite fallback computes it here."""
    targets = re.findall(r"\w+", (name or "").lower())
    if not targets:
        return [0.0 for _ in words]
    return [max(word_similarity(w, t) for t in targets) for w in words]
