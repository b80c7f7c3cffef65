"""Member lookup at the insurer's scale, through the HTTP API, against a real gunicorn.

    .venv/bin/python manage.py load_members --count 2300000        # with DATABASE_URL set (PostgreSQL)
    .venv/bin/python benchmarks/member_lookup.py --database-url postgres://postgres@127.0.0.1:5432/tawasul_scale

Starts gunicorn (two workers: the machine has two cores) on a free port with production settings,
issues an API token to a telephony client, then sends searches one at a time, interleaving the
kinds round by round with a baseline (/healthz/, one trivial query) so that machine noise hits all
alike: exact phone number (typed with spaces, as read out), exact membership number, full name,
name with date of birth, surname alone. Reports p50/p95/max per kind and p50 as a multiple of the
baseline's. Targets (issue 3): phone and membership number p95 < 20 ms, name search p95 < 150 ms.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/11",
        help="the cache (throttles, permissions), as in production; '' for none",
    )
    args = parser.parse_args()

    env = production_env(args.database_url, args.redis_url)
    import django

    django.setup()
    from django.db import connection

    from customers.models import Customer

    token = bench_api_token()
    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id), count(*) FROM customers_customer")
        low, high, total = cursor.fetchone()
    sample = []
    while len(sample) < args.rounds:
        person = Customer.objects.filter(pk=rng.randint(low, high)).prefetch_related("phones").first()
        if person:
            sample.append(person)
    connection.close()

    def spoken(e164: str) -> str:  # "+447123456789" -> "07123 456 789", as a caller reads it out
        national = "0" + e164[3:]
        return f"{national[:5]} {national[5:8]} {national[8:]}"

    kinds = {
        "baseline: /healthz/": lambda p: "/healthz/",
        "phone number (exact)": lambda p: f"/api/v1/customers/?q={quote(spoken(str(p.phones.all()[0].number)))}",
        "membership number (exact)": lambda p: f"/api/v1/customers/?q={p.membership_number}",
        "full name": lambda p: f"/api/v1/customers/?q={quote(p.first_name + ' ' + p.last_name)}",
        "name + date of birth": lambda p: (
            f"/api/v1/customers/?q={quote(p.last_name + ' ' + p.date_of_birth.strftime('%d/%m/%Y'))}"
        ),
        "surname alone": lambda p: f"/api/v1/customers/?q={quote(p.last_name)}",
    }

    port = free_port()
    server = gunicorn(port, args.workers, env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}

        def get(path: str) -> tuple[float, int, list[int]]:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - start
            ids = [r["customer"]["id"] for r in json.loads(body)] if path.startswith("/api/") else []
            return elapsed, response.status, ids

        for person in sample[:20]:  # warm-up: connections, caches
            for make in kinds.values():
                get(make(person))
        timings = {name: [] for name in kinds}
        hits = dict.fromkeys(kinds, 0)
        for person in sample:
            for name, make in kinds.items():
                elapsed, status, ids = get(make(person))
                assert status == 200, (name, status)
                timings[name].append(elapsed)
                hits[name] += person.pk in ids  # the caller is in the list (a surname alone lists 20 of many)
    finally:
        server.terminate()
        server.wait(timeout=30)

    base = statistics.median(timings["baseline: /healthz/"])
    print(f"members: {total:,}; rounds: {args.rounds}; gunicorn workers: {args.workers}")
    print(f"{'lookup':<28}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p50 x base':>12}{'caller listed':>15}")
    for name, values in timings.items():
        values.sort()
        p95 = values[max(0, round(len(values) * 0.95) - 1)]
        print(
            f"{name:<28}{statistics.median(values) * 1000:>9.2f}{p95 * 1000:>9.2f}{values[-1] * 1000:>9.2f}"
            f"{statistics.median(values) / base:>12.1f}{hits[name]:>15}"
        )


if __name__ == "__main__":
    main()
