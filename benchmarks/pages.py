"""Page and endpoint timings at demo scale, each against a baseline measured in the same run.

    .venv/bin/python benchmarks/pages.py --scale large                       # embedded SQLite
    .venv/bin/python benchmarks/pages.py --scale large --database-url postgres://postgres@127.0.0.1:5432/tawasul_bench

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL database named, which is
dropped and re-created), seeds it with `seed_demo`, then requests each page many times through
Django's test client, interleaving the pages round by round so that machine noise hits them alike.
Reports the median time per request, the ratio to the baseline (`/healthz/`: one trivial query), and
the number of SQL queries each page runs. The machines are shared: quote the ratios.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="large")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="tawasul-bench-")
    os.environ.update(
        DEBUG="true",
        ENV_FILE=os.devnull,
        SQLITE_PATH=f"{tmp}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="contactcentre.settings",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.pop("REDIS_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        recreate_postgres(args.database_url)
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from staff.models import Team, User
    from staff.roles import Role

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", scale=args.scale, seed=2026, stdout=quiet)
    seed_seconds = time.perf_counter() - started

    def client_for(email: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(email=email))
        return client

    hr, leader, manager, agent = (client_for(f"{n}@tawasul.demo") for n in ("hr", "teamleader", "manager", "agent"))
    big_team = max(Team.objects.all(), key=lambda t: t.members.count())
    big_leader = client_for(big_team.leader.email)
    pages = {
        "baseline: /healthz/": (Client(), "/healthz/", {}),
        "agent desk": (agent, "/calls/desk/", {}),
        "team page (largest team)": (big_leader, "/staff/team/", {}),
        "people directory, page 1": (hr, "/staff/people/", {}),
        "people directory, search": (hr, "/staff/people/", {"q": "smith"}),
        "people directory, agents at a site": (hr, "/staff/people/", {"role": Role.AGENT, "site": 1}),
        "manager dashboard": (manager, "/performance/", {}),
        "API /api/v1/teams/": (agent, "/api/v1/teams/", {}),
    }
    del leader
    timings: dict[str, list[float]] = {name: [] for name in pages}
    queries: dict[str, int] = {}
    for name, (client, path, params) in pages.items():  # warm-up and query count
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, params)
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured)
    for _ in range(args.rounds):
        for name, (client, path, params) in pages.items():
            start = time.perf_counter()
            client.get(path, params)
            timings[name].append(time.perf_counter() - start)
    reset_queries()

    base = statistics.median(timings["baseline: /healthz/"])
    print(
        f"database: {connection.vendor}; scale: {args.scale}; staff: {User.objects.count()}; "
        f"teams: {Team.objects.count()}; rounds: {args.rounds}; seed_demo: {seed_seconds:.1f} s"
    )
    print(f"{'page':<38}{'median ms':>10}{'p90 ms':>9}{'x baseline':>12}{'queries':>9}")
    for name, values in timings.items():
        values.sort()
        median = statistics.median(values)
        p90 = values[int(len(values) * 0.9) - 1]
        print(f"{name:<38}{median * 1000:>10.2f}{p90 * 1000:>9.2f}{median / base:>12.1f}{queries[name]:>9}")


def recreate_postgres(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        dbname="postgres", user=parts.username, password=parts.password, host=parts.hostname, port=parts.port or 5432
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


if __name__ == "__main__":
    main()
