"""Bulk loading of members at the insurer's real scale (2.3 million people covered), with PostgreSQL
COPY: customers, their phone numbers, policies and policy memberships, streamed in chunks.

Names are drawn so that they look like a real population: common surnames often (Smith about 1 in
80), a long tail of rarer ones, so that searching a full name lists a handful of people, not
thousands. Deterministic for a given seed."""

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection

from staff.demo import FIRST

from .rules import membership_number_for, soundex

COMMON_SURNAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
]
ROOTS = [
    "Ash",
    "Brad",
    "Carl",
    "Dal",
    "Ell",
    "Fair",
    "Gold",
    "Hart",
    "Kings",
    "Lang",
    "Mar",
    "North",
    "Oak",
    "Pem",
    "Rad",
    "Sand",
    "Thorn",
    "West",
    "Whit",
    "Wood",
    "Ather",
    "Bram",
    "Cres",
    "Dun",
    "Eg",
    "Fen",
    "Glen",
    "Haw",
    "Ips",
    "Kel",
    "Lind",
    "Mid",
    "Nor",
    "Over",
    "Pen",
    "Rook",
    "Stan",
    "Tal",
    "Up",
    "Wick",
    "Bur",
    "Cal",
    "Hadd",
    "Mans",
    "Nass",
    "Sal",
    "Az",
    "Kh",
    "Qur",
    "Rah",
]
ENDINGS = [
    "ley",
    "ton",
    "field",
    "worth",
    "by",
    "well",
    "ford",
    "man",
    "son",
    "wood",
    "er",
    "ham",
    "more",
    "croft",
    "stone",
    "bury",
    "dale",
    "ridge",
    "combe",
    "wick",
    "den",
    "hurst",
    "low",
    "mere",
    "shaw",
    "thorpe",
    "ing",
    "ard",
    "ani",
    "our",
]
FIRST_NAMES = [
    *FIRST,  # the staff demo's names, then more
    "Omar",
    "Fatima",
    "Yusuf",
    "Mariam",
    "Khalid",
    "Nour",
    "Samir",
    "Huda",
    "Thomas",
    "Olivia",
    "James",
    "Chloe",
    "William",
    "Jessica",
    "Daniel",
    "Hannah",
    "Joseph",
    "Lucy",
    "Samuel",
    "Ruby",
    "Henry",
    "Evie",
    "Alfie",
    "Poppy",
    "Max",
    "Daisy",
    "Ethan",
    "Sienna",
    "Lucas",
    "Matilda",
    "Adam",
    "Zara",
    "Ibrahim",
    "Layla",
    "Ravi",
    "Anika",
    "David",
    "Sarah",
    "Michael",
    "Laura",
    "Paul",
    "Helen",
    "Peter",
    "Susan",
    "John",
    "Margaret",
    "Robert",
    "Patricia",
    "Richard",
    "Elizabeth",
    "Mark",
    "Karen",
    "Stephen",
    "Julie",
    "Andrew",
    "Claire",
    "Christopher",
    "Rachel",
    "Matthew",
    "Emma",
    "Simon",
    "Joanne",
    "Ian",
    "Nicola",
    "Gary",
    "Louise",
    "Graham",
    "Sharon",
    "Kevin",
    "Angela",
    "Neil",
    "Tracey",
    "Colin",
    "Deborah",
    "Alan",
    "Gillian",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Piotr",
    "Agnieszka",
    "Tomasz",
    "Anna",
    "Mohammed",
    "Zainab",
    "Hamza",
    "Sana",
    "Bilal",
    "Amina",
    "Kofi",
    "Abena",
    "Chidi",
    "Ngozi",
]
DISTRICTS = [
    "TW18",
    "TW15",
    "TW20",
    "SL4",
    "M1",
    "M20",
    "M50",
    "SK4",
    "W1G",
    "KT12",
    "GU1",
    "RG1",
    "OX1",
    "B15",
    "LS1",
    "BS8",
    "CF10",
    "EH1",
    "G2",
    "NE1",
    "L1",
    "S1",
    "NG1",
    "LE1",
    "CB1",
    "BN1",
    "SO14",
    "PL1",
    "EX1",
]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


MIDDLES = ["", "", "", "er", "ing", "s", "en", "el", "ham", "ers", "ow", "in", "an", "ey", "ol", "ster"]
_WEIGHTS = [1 / rank**0.6 for rank in range(1, len(COMMON_SURNAMES) + 1)]


def surname(rng: random.Random) -> str:
    """About a fifth of people share the 100 commonest surnames, Smith the commonest at about 1 in 70
    (Zipf-like weights, as in Britain); the rest have one of some 20,000 rarer ones."""
    if rng.random() < 0.22:
        return rng.choices(COMMON_SURNAMES, weights=_WEIGHTS)[0]
    return rng.choice(ROOTS) + rng.choice(MIDDLES) + rng.choice(ENDINGS)


@dataclass
class LoadCounts:
    customers: int = 0
    phones: int = 0
    policies: int = 0
    memberships: int = 0


def _copy(table: str, columns: list[str], rows: Iterator[str]) -> None:
    buffer = io.StringIO("".join(rows))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer)


def load_members(
    *,
    count: int,
    seed: int,
    plan_ids: list[int],
    chunk: int = 100_000,
    first_serial: int = 50_000_000,
    on_progress=None,
) -> LoadCounts:
    """COPY `count` members (in households of 1 to 5 on one policy each) into an empty database."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The bulk loader uses PostgreSQL's COPY; set DATABASE_URL.")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    counts = LoadCounts()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM customers_customer")
        next_customer = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM claims_policy")
        next_policy = cursor.fetchone()[0] + 1
    today = date.today()
    serial = first_serial
    while counts.customers < count:
        customers, phones, policies, members = [], [], [], []
        target = min(count, counts.customers + chunk)
        while counts.customers < target:
            size = min(rng.choice([1, 1, 2, 2, 2, 3, 4, 5]), target - counts.customers)
            family = surname(rng)
            family_key = soundex(family)
            postcode = f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
            start = today - timedelta(days=rng.randint(30, 3650))
            start = start.replace(day=1)
            renewal = date(start.year + (today - start).days // 365 + 1, start.month, 1)
            policy_id = next_policy
            next_policy += 1
            holder_id = next_customer
            policies.append(
                f"{policy_id}\tB{policy_id:09d}\t{rng.choice(plan_ids)}\t{holder_id}\t\\N\t"
                f"{'moratorium' if rng.random() < 0.6 else 'full_medical'}\tactive\t{start}\t{renewal}\n"
            )
            for _ in range(size):
                customer_id = next_customer
                next_customer += 1
                first = rng.choice(FIRST_NAMES)
                born = date(rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28))
                number = membership_number_for(serial)
                serial += 1
                customers.append(
                    f"{customer_id}\t{number}\t{first}\t{family}\t\t\t{first.lower()} {family.lower()}\t"
                    f"{soundex(first)}\t{family_key}\t\t\t{born}\t\t"
                    f"{rng.randint(1, 200)} High Street\t\t\t{postcode}\ten\tphone\tf\tf\tf\tactive\tf\t\t\t\\N\t"
                    f"{today}T00:00:00+00:00\t{today}T00:00:00+00:00\n"
                )
                mobile = f"+447{(customer_id * 7_919_683 + 41_000_000) % 1_000_000_000:09d}"
                phones.append(f"{customer_id}\tmobile\t{mobile}\tt\n")
                members.append(f"{policy_id}\t{customer_id}\t{start}\t{start}\t\\N\n")
                counts.customers += 1
        _copy(
            "customers_customer",
            [
                "id",
                "membership_number",
                "first_name",
                "last_name",
                "first_name_ar",
                "last_name_ar",
                "search_name",
                "first_name_key",
                "last_name_key",
                "first_name_ar_key",
                "last_name_ar_key",
                "date_of_birth",
                "email",
                "address_line_1",
                "address_line_2",
                "town",
                "postcode",
                "preferred_language",
                "preferred_channel",
                "consent_marketing",
                "consent_research",
                "consent_sms",
                "status",
                "is_vulnerable",
                "vulnerability_category",
                "vulnerability_note",
                "corporate_account_id",
                "created_at",
                "updated_at",
            ],
            iter(customers),
        )
        _copy("customers_customerphone", ["customer_id", "kind", "number", "is_primary"], iter(phones))
        _copy(
            "claims_policy",
            [
                "id",
                "number",
                "plan_id",
                "holder_id",
                "corporate_account_id",
                "underwriting",
                "status",
                "start_date",
                "renewal_date",
            ],
            iter(policies),
        )
        _copy(
            "claims_policymember",
            ["policy_id", "customer_id", "joined_on", "covered_from", "covered_to"],
            iter(members),
        )
        counts.phones += len(phones)
        counts.policies += len(policies)
        counts.memberships += len(members)
        if on_progress:
            on_progress(counts)
    with connection.cursor() as cursor:
        for table in ("customers_customer", "claims_policy"):
            # The table names come from the tuple above, never from input.
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            cursor.execute(sql)
    return counts
