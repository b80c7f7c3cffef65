"""The screen-pop look-up (GET /api/v1/telephony/lookup/?number=...) at the insurer's scale, against a
real gunicorn: 2.3 million members and 10 million past calls.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tawasul_scale DEBUG=true    # then, once:
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_members --count 2300000
    .venv/bin/python manage.py load_contacts --count 10000000
    .venv/bin/python benchmarks/telephony_lookup.py --database-url postgres://postgres@127.0.0.1:5432/tawasul_scale

Starts gunicorn (two sync workers: the machine has two cores) with production settings, issues a
token to a telephony API client, then looks numbers up one at a time, interleaving the kinds round
by round with the baseline (/healthz/, one trivial query) so that machine noise hits all alike:

- long history: the members' numbers with the most calls (hundreds each over two years);
- household: the phone of a policy holder whose household has three to five members;
- member: a random member's phone;
- unknown, with history: numbers no member has that call often (hospitals, GP surgeries);
- unknown: a number never seen.

Numbers are sent as platforms send them, E.164 or national. Reports p50/p95/p99/max per kind, p50 as
a multiple of the baseline's, and the members listed. Target (issue 4): p99 under 20 ms.

The look-up lists a member's household (customers.Household); `load_members` puts families on one
policy but creates no households, so on first use this script creates them from the policies (one
household per policy, its holder and members: `--no-households` to skip), and says so.
"""

import argparse
import http.client
import json
import random
import socket
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import bench_api_token, free_port, gunicorn, production_env  # noqa: E402
from benchmarks.telephony_events import load_average, machine  # noqa: E402

HOUSEHOLDS_FROM_POLICIES = [
    """
    INSERT INTO customers_household (holder_id)
    SELECT p.holder_id FROM claims_policy p
    WHERE p.holder_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers_household h WHERE h.holder_id = p.holder_id)
    """,
    """
    INSERT INTO customers_householdmember (household_id, customer_id, relationship)
    SELECT DISTINCT ON (pm.customer_id) h.id, pm.customer_id,
           CASE WHEN pm.customer_id = p.holder_id THEN 'holder'
                WHEN c.date_of_birth > current_date - interval '18 years' THEN 'child'
                ELSE 'partner' END
    FROM claims_policymember pm
    JOIN claims_policy p ON p.id = pm.policy_id
    JOIN customers_household h ON h.holder_id = p.holder_id
    JOIN customers_customer c ON c.id = pm.customer_id
    WHERE NOT EXISTS (SELECT 1 FROM customers_householdmember m WHERE m.customer_id = pm.customer_id)
    ORDER BY pm.customer_id, pm.id
    """,
    "ANALYZE customers_household, customers_householdmember",
]


def national(e164: str) -> str:
    return "0" + e164[3:] if e164.startswith("+44") else e164


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-households", action="store_true", help="do not create households from policies")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11", help="the cache; '' for none")
    args = parser.parse_args()

    env = production_env(args.database_url, args.redis_url)
    import django

    django.setup()
    from django.db import connection, transaction

    token = bench_api_token()
    rng = random.Random(7)
    n = args.rounds
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM customers_household")
        if not cursor.fetchone()[0] and not args.no_households:
            started = time.perf_counter()
            with transaction.atomic():
                for sql in HOUSEHOLDS_FROM_POLICIES:
                    cursor.execute(sql)
            print(f"created households from policies in {time.perf_counter() - started:.0f} s")
        cursor.execute(
            "SELECT (SELECT count(*) FROM customers_customer), (SELECT count(*) FROM calls_contact), "
            "(SELECT count(*) FROM customers_householdmember), (SELECT count(*) FROM calls_telephonyevent)"
        )
        members, contacts, household_members, events = cursor.fetchone()
        started = time.perf_counter()
        cursor.execute(
            "SELECT caller_number, count(*) FROM calls_contact WHERE customer_id IS NOT NULL "
            "GROUP BY caller_number ORDER BY count(*) DESC LIMIT %s",
            [n],
        )
        long_history = cursor.fetchall()
        cursor.execute(
            "SELECT caller_number, count(*) FROM calls_contact WHERE customer_id IS NULL AND caller_number LIKE '+%%' "
            "GROUP BY caller_number ORDER BY count(*) DESC LIMIT %s",
            [min(n, 400)],
        )
        unknown_history = cursor.fetchall()
        picked_in = time.perf_counter() - started
        cursor.execute(
            """
            SELECT ph.number FROM customers_household h
            JOIN customers_customerphone ph ON ph.customer_id = h.holder_id AND ph.is_primary
            WHERE h.id IN (SELECT household_id FROM customers_householdmember
                           GROUP BY household_id HAVING count(*) >= 3)
            ORDER BY random() LIMIT %s
            """,
            [n],
        )
        households = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT min(customer_id), max(customer_id) FROM customers_customerphone")
        low, high = cursor.fetchone()
        ids = [rng.randint(low, high) for _ in range(n * 2)]
        cursor.execute(
            "SELECT number FROM customers_customerphone WHERE customer_id = ANY(%s) AND is_primary LIMIT %s", [ids, n]
        )
        member = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT number FROM customers_customerphone WHERE number LIKE '+441%%' LIMIT 1")
        assert cursor.fetchone() is None  # +441 numbers are never members' (customers.bulk: +447)
    connection.close()
    if not households:
        households = member  # no households: the step still runs, and finds the member alone

    history_sizes = [count for _number, count in long_history]
    # Never seen: the loader's one-off callers are +44[123]100000000 to +44[123]102000000.
    unknown = [f"+441{rng.randint(5 * 10**8, 10**9 - 1)}" for _ in range(n)]
    numbers = {
        "baseline: /healthz/": [""] * n,
        "long history": [number for number, _count in long_history],
        "household": households,
        "member": member,
        "unknown, with history": [number for number, _count in unknown_history],
        "unknown": unknown,
    }

    def path_for(kind: str, index: int) -> str:
        if kind.startswith("baseline"):
            return "/healthz/"
        pool = numbers[kind]
        number = pool[index % len(pool)]
        sent = number if index % 2 else national(number)  # as platforms send them: E.164 or national
        return f"/api/v1/telephony/lookup/?number={quote(sent)}"

    port = free_port()
    server = gunicorn(port, args.workers, env)
    timings: dict[str, list[float]] = {kind: [] for kind in numbers}
    listed: dict[str, list[int]] = {kind: [] for kind in numbers}
    how: dict[str, dict[str, int]] = {kind: {} for kind in numbers}
    load_before = load_average()
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}

        def get(path: str) -> tuple[float, int, bytes]:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            return time.perf_counter() - started, response.status, body

        for index in range(30):  # warm-up: connections, caches
            for kind in numbers:
                get(path_for(kind, n - 1 - index))
        for index in range(n):
            for kind in numbers:
                elapsed, status, body = get(path_for(kind, index))
                assert status == 200, (kind, status, body[:200])
                timings[kind].append(elapsed)
                if not kind.startswith("baseline"):
                    rows = json.loads(body)
                    listed[kind].append(len(rows))
                    for row in rows:
                        how[kind][row["matched_on"]] = how[kind].get(row["matched_on"], 0) + 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = load_average()

    def pct(values: list[float], p: float) -> float:
        return values[max(0, round(len(values) * p) - 1)] * 1000

    base = statistics.median(timings["baseline: /healthz/"])
    print(f"machine: {machine()}; load average before {load_before}, after {load_after}")
    print(
        f"members {members:,}, contacts {contacts:,}, household members {household_members:,}, "
        f"telephony events {events:,}; rounds {n}; gunicorn sync workers {args.workers}"
    )
    print(
        f"long-history numbers: {min(history_sizes):,} to {max(history_sizes):,} calls each; unknown numbers "
        f"with history: up to {max(c for _n, c in unknown_history):,} calls (picked in {picked_in:.0f} s)"
    )
    print(f"{'lookup':<24}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'p50 x base':>11}  members listed")
    for kind, values in timings.items():
        values.sort()
        counts = listed[kind]
        listed_text = (
            f"{statistics.mean(counts):.1f} avg, max {max(counts)} "
            + "("
            + ", ".join(f"{k} {v:,}" for k, v in sorted(how[kind].items()))
            + ")"
            if counts
            else "-"
        )
        print(
            f"{kind:<24}{statistics.median(values) * 1000:>8.2f}{pct(values, 0.95):>8.2f}{pct(values, 0.99):>8.2f}"
            f"{values[-1] * 1000:>8.2f}{statistics.median(values) / base:>11.1f}  {listed_text}"
        )
    worst = max(pct(sorted(v), 0.99) for k, v in timings.items() if not k.startswith("baseline"))
    print(f"worst p99 {worst:.2f} ms; target < 20 ms: {'met' if worst < 20 else 'MISSED'}")


if __name__ == "__main__":
    main()
