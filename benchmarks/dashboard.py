"""The manager dashboard at scale: 1 million against 10 million contacts over three years.

    # once per database (kept for re-runs): members, contacts by COPY, agents' timelines, rollups
    DB=postgres://postgres@127.0.0.1:5432
    .venv/bin/python benchmarks/dashboard.py prepare --database-url $DB/tawasul_dash_bench_1m --contacts 1000000
    .venv/bin/python benchmarks/dashboard.py prepare --database-url $DB/tawasul_dash_bench --contacts 10000000
    # then, as often as wanted: the two databases measured in alternating passes
    .venv/bin/python benchmarks/dashboard.py measure \\
        --database-url $DB/tawasul_dash_bench_1m --database-url $DB/tawasul_dash_bench

`prepare` creates the database if it is missing, migrates it, and does whatever is not yet done:
members (`load_members`), contacts over `--years` (`load_contacts`, COPY; or, in a copy of a
smaller database made with `createdb -T`, its contacts multiplied in SQL up to `--contacts`:
`calls.bulk.replicate_contacts`, minutes instead of an hour on a busy machine), the agents' state
timelines (`calls.bulk.load_agent_states`, COPY), a manager to log in as, and the KPI rollups
(`rollups_rebuild`, timed: `--rebuild` times it again on a database that has them).

`measure` runs one process per database and pass (passes alternate the order of the databases, so
the machine's noise hits both alike). In each, every item is timed round by round, interleaved:
the baseline `/healthz/` (one trivial query) through Django's test client, the dashboard
`/performance/` for several 12-month periods through the test client (server time: view, selectors,
template, ORM, database; no network), `performance.selectors.kpis.kpi_set` for the same periods
and some scopes, read from the rollups, and the same figures computed naively over the raw
contacts for the last 12 months (`performance.selectors.naive.kpi_set`, in the first pass only, a
few rounds: it reads a year of contacts).
Reported: median and 90th percentile per item and database, the ratio to the baseline, the query
count, and the ratio of the 10M database's median to the 1M's (target < 1.5; dashboard < 300 ms).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MANAGER = "bench-manager@tawasul.bench"
# The dashboard's query string for a custom period ({first}, {last}: ISO dates); the form's names.
PAGE_QUERY = "preset=custom&start={first}&end={last}&compare=previous"


def twelve_months(today: date) -> dict[str, tuple[date, date]]:
    """Several different 12-month periods within the last three years."""
    year = today.year - 1
    return {
        "last 12 months": (today - timedelta(days=365), today - timedelta(days=1)),
        "the 12 months before": (today - timedelta(days=730), today - timedelta(days=366)),
        f"calendar {year}": (date(year, 1, 1), date(year, 12, 31)),
        f"April {year - 1} - March {year}": (date(year - 1, 4, 1), date(year, 3, 31)),
    }


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    conn = psycopg2.connect(
        dbname="postgres", user=parts.username, password=parts.password, host=parts.hostname, port=parts.port or 5432
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{database_name(url)}"')
    conn.close()


def setup_django(url: str, redis_url: str, *, debug: bool) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="true" if debug else "false",
        ENV_FILE=os.devnull,
        SECRET_KEY="benchmark-only-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="contactcentre.settings",
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CACHE_URL", None)
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    import django

    django.setup()


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def prepare(args) -> None:
    ensure_database(args.database_url)
    setup_django(args.database_url, args.redis_url, debug=True)
    from django.core.management import call_command
    from django.db import connection

    from calls.bulk import contact_centre_ensure, load_agent_states, replicate_contacts
    from calls.models import AgentStateChange, Contact
    from customers.models import Customer
    from performance.models import (
        AgentDailyRollup,
        AgentMonthlyRollup,
        AgentStateDaily,
        AgentStateMonthly,
        DailyRollup,
        IntervalRollup,
        MonthlyRollup,
    )
    from performance.services.rollups import rollups_rebuild
    from staff.models import User
    from staff.roles import Role
    from staff.services import roles_sync, user_create

    call_command("migrate", verbosity=0)
    roles_sync()
    if not Customer.objects.exists():
        started = time.perf_counter()
        call_command("load_members", count=args.members, stdout=open(os.devnull, "w"))  # noqa: SIM115
        say(f"{args.members:,} members loaded in {time.perf_counter() - started:,.0f} s")
    present = Contact.objects.count()
    if not present:
        started = time.perf_counter()
        call_command("load_contacts", count=args.contacts, years=args.years, stdout=sys.stdout)
        say(f"{args.contacts:,} contacts loaded in {time.perf_counter() - started:,.0f} s")
    elif present < args.contacts and args.contacts % present == 0:
        # A copy of a smaller database (CREATE DATABASE ... TEMPLATE): multiplied in SQL, much faster
        # than drawing each call in Python (calls.bulk.replicate_contacts says how).
        started = time.perf_counter()
        added = replicate_contacts(times=args.contacts // present, on_progress=say)
        say(f"{added:,} contacts added by replication in {time.perf_counter() - started:,.0f} s")
    if not AgentStateChange.objects.exists():
        started = time.perf_counter()
        rows = load_agent_states(seed=7, centre=contact_centre_ensure(), years=args.years)
        say(f"{rows:,} agent state changes loaded in {time.perf_counter() - started:,.0f} s")
    if not User.objects.filter(email=MANAGER).exists():
        user_create(email=MANAGER, full_name="Benchmark manager", role=Role.MANAGER)
    if args.rebuild or not DailyRollup.objects.exists():
        started = time.perf_counter()

        def progress(day, done, total):
            if done % 50 == 0 or done == total:
                elapsed = time.perf_counter() - started
                say(f"  rollups: {done:,} / {total:,} days ({elapsed / done:.2f} s a day)")

        days = rollups_rebuild(progress=progress)
        seconds = time.perf_counter() - started
        say(f"rollups rebuilt: {days:,} days in {seconds:,.0f} s ({seconds / max(days, 1):.2f} s a day)")
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE performance_dailyrollup, performance_agentdailyrollup, "
                "performance_intervalrollup, performance_agentstatedaily, performance_monthlyrollup, "
                "performance_agentmonthlyrollup, performance_agentstatemonthly"
            )
    say(
        f"{database_name(args.database_url)}: {Contact.objects.count():,} contacts, "
        f"{AgentStateChange.objects.count():,} state changes; rollup rows: {DailyRollup.objects.count():,} daily, "
        f"{AgentDailyRollup.objects.count():,} agent-daily, {IntervalRollup.objects.count():,} interval, "
        f"{AgentStateDaily.objects.count():,} agent-state-daily; monthly: {MonthlyRollup.objects.count():,}, "
        f"{AgentMonthlyRollup.objects.count():,} agent, {AgentStateMonthly.objects.count():,} agent-state"
    )


def worker(args) -> None:
    """One database, one pass: prints a JSON line {item: {"times": [...], "queries": n, ...}}."""
    setup_django(args.database_url, args.redis_url, debug=False)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from calls.models import Contact, Queue
    from performance.selectors import kpis
    from staff.models import Site, User

    try:
        from performance.selectors import naive
    except ImportError:
        naive = None

    # Production settings (DEBUG off) but plain static files: no collectstatic needed for the pages.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    plain_static = {**settings.STORAGES, "staticfiles": plain}
    override_settings(STORAGES=plain_static).enable()
    periods = twelve_months(timezone.localdate())
    manager = Client()
    manager.force_login(User.objects.get(email=MANAGER))
    anonymous = Client()
    queue = Queue.objects.order_by("pk").first()
    site = Site.objects.order_by("pk").first()
    scopes = {
        "organisation": kpis.Scope(),
        f"queue {queue.code}": kpis.Scope(queue_id=queue.pk),
        f"site {site.code}": kpis.Scope(site_id=site.pk),
    }

    def page(query: str):
        def get():
            response = manager.get(f"/performance/?{query}")
            if response.status_code != 200:
                raise RuntimeError(f"/performance/?{query} answered {response.status_code}")

        return get

    items: dict[str, tuple] = {"baseline /healthz/": (lambda: anonymous.get("/healthz/"), args.rounds)}
    for label, (first, last) in periods.items():
        query = args.page_query.format(first=first.isoformat(), last=last.isoformat())
        items[f"page {label}"] = (page(query), args.rounds)
    items["page preset last_12_months"] = (page("preset=last_12_months"), args.rounds)
    for label, (first, last) in periods.items():
        period = kpis.Period(first, last)
        for scope_label, scope in scopes.items():
            if scope_label != "organisation" and label != "last 12 months":
                continue
            items[f"kpi_set {label}, {scope_label}"] = (
                lambda p=period, s=scope: kpis.kpi_set(p, s),
                args.rounds,
            )
    if naive is not None and args.naive_rounds:
        for label, (first, last) in list(periods.items())[:1]:
            period = kpis.Period(first, last)
            items[f"naive kpi_set {label}, organisation"] = (
                lambda p=period: naive.kpi_set(p, kpis.Scope()),
                args.naive_rounds,
            )

    results: dict[str, dict] = {}
    for name, (call, _rounds) in items.items():  # warm-up, and the query count
        try:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                call()
                first_time = time.perf_counter() - started
            results[name] = {"times": [], "queries": len(captured), "first": first_time}
        except Exception as error:  # noqa: BLE001 - a page not ready yet is reported, not fatal
            results[name] = {"times": [], "queries": None, "error": f"{type(error).__name__}: {error}"[:300]}
    for number in range(max(rounds for _call, rounds in items.values())):
        for name, (call, rounds) in items.items():
            if number >= rounds or "error" in results[name]:
                continue
            started = time.perf_counter()
            call()
            results[name]["times"].append(time.perf_counter() - started)
    results["_meta"] = {"contacts": Contact.objects.count(), "load": os.getloadavg()}
    print("RESULT " + json.dumps(results), flush=True)


def quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]


def measure(args) -> None:
    urls = args.database_url
    merged: dict[str, dict[str, dict]] = {url: {} for url in urls}
    meta: dict[str, dict] = {}
    for number in range(args.passes):
        for url in urls if number % 2 == 0 else list(reversed(urls)):
            command = [sys.executable, __file__, "worker", "--database-url", url, "--rounds", str(args.rounds)]
            command += ["--naive-rounds", str(args.naive_rounds if number == 0 else 0)]
            command += ["--redis-url", args.redis_url, "--page-query", args.page_query]
            say(f"pass {number + 1}: {database_name(url)}")
            output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
            result = json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])
            meta[url] = result.pop("_meta")
            for name, values in result.items():
                into = merged[url].setdefault(name, {"times": [], "queries": values.get("queries")})
                into["times"] += values["times"]
                if "error" in values:
                    into["error"] = values["error"]
    print()
    print(f"load average after: {os.getloadavg()[0]:.2f}; passes: {args.passes}; rounds a pass: {args.rounds}")
    for url in urls:
        print(f"{database_name(url)}: {meta[url]['contacts']:,} contacts")
    header = f"{'item':<52}"
    for _url in urls:
        header += f"{'median ms':>11}{'p90 ms':>9}{'x base':>8}{'queries':>8}"
    if len(urls) == 2:
        header += f"{'ratio':>7}"
    print(header)
    names = list(merged[urls[0]])
    for name in names:
        line = f"{name:<52}"
        medians = []
        for url in urls:
            entry = merged[url].get(name, {"times": []})
            base = statistics.median(merged[url]["baseline /healthz/"]["times"])
            if entry.get("error") or not entry["times"]:
                line += f"{'n/a':>11}{'':>9}{'':>8}{'':>8}"
                medians.append(None)
                continue
            median = statistics.median(entry["times"])
            medians.append(median)
            line += f"{median * 1000:>11.2f}{quantile(entry['times'], 0.9) * 1000:>9.2f}"
            line += f"{median / base:>8.1f}{entry['queries'] if entry['queries'] is not None else '':>8}"
        if len(urls) == 2 and None not in medians:
            line += f"{medians[1] / medians[0]:>7.2f}"
        print(line)
    for url in urls:
        for name, entry in merged[url].items():
            if entry.get("error"):
                print(f"{database_name(url)}: {name}: {entry['error']}")


def upkeep(args) -> None:
    """What a refresh pays per day and per month: `day_rollup` of one day (without its month) and
    `months_rollup` of one month, each `--rounds` times (the database is left as a rebuild leaves it)."""
    setup_django(args.database_url, args.redis_url, debug=False)
    from performance.services.rollups import day_rollup
    from performance.services.rollups_monthly import months_rollup

    day = date.fromisoformat(args.day)
    for label, call in (
        (f"day_rollup({day}, month=False)", lambda: day_rollup(day, month=False)),
        (f"months_rollup({day:%Y-%m})", lambda: months_rollup([day])),
    ):
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        say(f"{label}: median {statistics.median(times) * 1000:,.0f} ms, best {min(times) * 1000:,.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="load a database (whatever is missing) and rebuild its rollups")
    prep.add_argument("--database-url", required=True)
    prep.add_argument("--members", type=int, default=1_000_000)
    prep.add_argument("--contacts", type=int, default=10_000_000)
    prep.add_argument("--years", type=int, default=3)
    prep.add_argument("--rebuild", action="store_true", help="rebuild (and time) the rollups even if present")
    keep = commands.add_parser("upkeep", help="time one day's rollup rebuild and one month's")
    keep.add_argument("--database-url", required=True)
    keep.add_argument("--day", required=True, help="YYYY-MM-DD")
    keep.add_argument("--rounds", type=int, default=5)
    for sub in (prep, commands.add_parser("measure"), commands.add_parser("worker"), keep):
        sub.add_argument("--redis-url", default="redis://127.0.0.1:6379/14", help="the cache; '' for none")
    meas = commands.choices["measure"]
    meas.add_argument("--database-url", action="append", required=True, help="twice: the 1M and the 10M database")
    meas.add_argument("--passes", type=int, default=2)
    meas.add_argument("--rounds", type=int, default=15, help="rounds a pass for the baseline, pages and kpi_set")
    meas.add_argument("--naive-rounds", type=int, default=2, help="rounds of the naive computation (first pass)")
    meas.add_argument("--page-query", default=PAGE_QUERY)
    work = commands.choices["worker"]
    work.add_argument("--database-url", required=True)
    work.add_argument("--rounds", type=int, default=15)
    work.add_argument("--naive-rounds", type=int, default=3)
    work.add_argument("--page-query", default=PAGE_QUERY)
    args = parser.parse_args()
    {"prepare": prepare, "measure": measure, "worker": worker, "upkeep": upkeep}[args.command](args)


if __name__ == "__main__":
    main()
