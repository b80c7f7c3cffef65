"""Telephony event ingestion through the HTTP API, against a real gunicorn: batches, single events,
and a bare Django view that inserts one row, all in one run.

    .venv/bin/python benchmarks/telephony_events.py --database-url postgres://postgres@127.0.0.1:5432/tawasul_events_bench

The database named is dropped and re-created, migrated, and given members (customers.bulk, so that
callers are recognised by their number as in production), the queues and 240 agents with extensions
(calls.bulk.contact_centre_ensure), and an API client with a token. Calls are simulated as a
platform sees them (offered, ringing, answered, sometimes held and resumed or transferred, ended,
wrap-up ended; 15% abandoned), spread over two hours that ended an hour ago, and their events are
sent in the order they happened, so each batch holds events of many calls and a call's events arrive
in several batches (`--stream calls`: each batch holds whole calls instead). Gunicorn (production
settings, gthread workers so that clients keep their connections alive) serves three kinds of
request, in rounds (six by default, the first three kinds' order reversed every other round) so
that machine noise hits them alike:

- bare: POST /bench/bare-insert/ (benchmarks/bare_urls.py): parse the JSON, one INSERT, answer;
- api: POST /bench/api-insert/: the same INSERT behind the REST framework, token and throttles;
- single: POST /api/v1/telephony/events/ with one event (a JSON object);
- batch: POST /api/v1/telephony/events/ with 500 events (a JSON array).

The API stores events and queues their fold into contacts; a real Celery worker (one process, on
the same machine, Redis as broker) folds them while the requests go on. Each kind is timed twice:
until its last request is answered (events accepted per second) and until the worker has folded
everything it stored (events applied per second, which includes the worker's catching up).

Each kind is sent by the same number of client threads, each on its own keep-alive connection.
Reports requests/s and events/s per kind, the single/bare ratio (over the whole run, and each
round's), and the CPU time each kind cost per request in each kind of process (gunicorn, the fold
worker, PostgreSQL, Redis, this client), read from /proc: steadier between runs than rates on a
shared machine, so the measure for an A/B of a change. Targets (issue 4): batches at
least 10,000 events/s; single events at least half the bare view's requests/s. The run ends by
checking that every event was stored exactly once and every call has its contact.
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import free_port, gunicorn, production_env  # noqa: E402
from benchmarks.pages import recreate_postgres  # noqa: E402

EVENTS_URL = "/api/v1/telephony/events/"
BARE_URL = "/bench/bare-insert/"
API_URL = "/bench/api-insert/"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return f"{os.cpu_count()} CPUs, {model}"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class CallSimulator:
    """Calls as a telephony platform reports them, each a list of event dicts."""

    def __init__(self, rng: random.Random, *, phones: list[str], queues: list[str], extensions: list[str], run: str):
        self.rng, self.phones, self.queues, self.extensions, self.run = rng, phones, queues, extensions, run
        self.serial = 0

    def caller(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:  # a member's phone, as the platform formats it: E.164 or national
            number = rng.choice(self.phones)
            return number if rng.random() < 0.5 else "0" + number[3:]
        if rng.random() < 0.05:
            return "anonymous"
        return f"+44{rng.choice('123')}{rng.randint(10**8, 10**9 - 1)}"

    def call(self, start: datetime) -> list[dict]:
        rng = self.rng
        self.serial += 1
        call_id = f"{self.run}.{self.serial}"
        events: list[dict] = []

        def add(kind: str, at: datetime, **fields) -> None:
            events.append(
                {
                    "type": kind,
                    "provider": "asterisk",
                    "event_id": f"{call_id}-{len(events)}",
                    "call_id": call_id,
                    "occurred_at": at.isoformat(),
                    "sequence": len(events),
                    **fields,
                }
            )

        queue = rng.choice(self.queues)
        add("offered", start, queue=queue, caller_number=self.caller(), dialled_number="03456003040")
        wait = timedelta(seconds=min(900, rng.lognormvariate(3.2, 1.0)))
        agent = rng.choice(self.extensions)
        if rng.random() < 0.15:
            if rng.random() < 0.3:
                add("ringing", start + wait * 0.8, agent=agent)
            add("abandoned", start + wait, cause="caller")
            return events
        ring = timedelta(seconds=rng.randint(2, 12))
        at = start + wait + ring
        add("ringing", start + wait, agent=agent)
        add("answered", at, agent=agent)
        at += timedelta(seconds=min(1800, rng.lognormvariate(5.3, 0.7)))
        if rng.random() < 0.25:
            add("held", at)
            at += timedelta(seconds=rng.randint(10, 200))
            add("resumed", at)
            at += timedelta(seconds=rng.randint(10, 300))
        if rng.random() < 0.05:
            agent = rng.choice(self.extensions)
            add("transferred", at, queue=rng.choice(self.queues), agent=agent)
            at += timedelta(seconds=rng.randint(30, 600))
        add("ended", at, cause=rng.choice(["caller", "agent"]))
        add("wrap_up_ended", at + timedelta(seconds=rng.randint(5, 300)))
        return events

    def stream(self, events_wanted: int, *, since: datetime, until: datetime) -> tuple[list[dict], int]:
        """At least `events_wanted` events of whole calls offered between `since` and `until`, in the
        order they happened (as a platform delivers them), and the number of calls."""
        events, calls = [], 0
        span = (until - since).total_seconds()
        while len(events) < events_wanted:
            events.extend(self.call(since + timedelta(seconds=self.rng.random() * span)))
            calls += 1
        events.sort(key=lambda e: (e["occurred_at"], e["sequence"]))
        return events, calls


def send_all(
    port: int, bodies: list[bytes], path: str, headers: Callable[[bytes], dict], clients: int
) -> tuple[float, list[float], list]:
    """POST every body, `clients` threads each on its own keep-alive connection taking the next body.
    Returns the wall time, each request's latency, and the failures (status, body)."""
    work = iter(bodies)
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while True:
            with lock:
                body = next(work, None)
            if body is None:
                break
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers={**headers(body), "Content-Length": str(len(body))})
            response = conn.getresponse()
            answer = response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200 or (b'"rejected"' in answer and b'"rejected":0' not in answer):
                failures.append((response.status, answer[:300]))
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures


CPU_GROUPS = ("gunicorn", "fold worker", "postgres", "redis", "client", "other")


def cpu_seconds() -> dict[str, float]:
    """CPU time (user + system) used so far by the processes alive now, by what they are: the
    server, the fold worker, the database, the cache, this load generator, the rest. Read from
    /proc at the start and end of each phase, it splits a kind's cost per request between them
    (a process that ends in between loses its share: the database's short-lived connections)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = dict.fromkeys(CPU_GROUPS, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if int(entry.name) == os.getpid():
            group = "client"
        elif "gunicorn" in command:
            group = "gunicorn"
        elif "celery" in command:
            group = "fold worker"
        elif name == "postgres" or command.startswith("postgres"):
            group = "postgres"
        elif name.startswith("redis"):
            group = "redis"
        else:
            group = "other"
        totals[group] += seconds
    return totals


def refresh_loop(seconds: int) -> None:
    """Rebuild the marked rollup days every `seconds`, as the beat task `refresh_rollups` does
    (runs until terminated; reports how long each refresh took)."""
    import django

    django.setup()
    from performance.services.rollups import rollups_refresh

    while True:
        time.sleep(seconds)
        started = time.perf_counter()
        days = rollups_refresh()
        print(f"  rollups refresh: {days} days in {time.perf_counter() - started:.2f} s", flush=True)


def main() -> None:
    if sys.argv[1:2] == ["--refresh-loop"]:
        refresh_loop(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="dropped and re-created")
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--batches", type=int, default=50, help="batch requests per round")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--singles", type=int, default=1_500, help="single-event (and bare) requests per round")
    parser.add_argument("--warm-up", type=int, default=20_000, help="events sent before measuring")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive connections, for every kind")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--fold-workers", type=int, default=1, help="Celery worker processes folding events")
    parser.add_argument(
        "--stream",
        choices=["time", "calls"],
        default="time",
        help="batches of events in the order they happened (a live feed, a backlog after an outage), or "
        "call by call (a platform that reports each call when it ends, a replay of call records)",
    )
    parser.add_argument("--sign", action="store_true", help="give the client a signing secret and sign each body")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11", help="the cache; '' for none")
    parser.add_argument(
        "--rollups",
        choices=["refresh", "marks", "off"],
        default="refresh",
        help="keeping the KPI rollups during the run: folds mark days and a process rebuilds the marked "
        "days every --refresh-seconds (refresh, as in production), folds mark only (marks), or neither "
        "(off: benchmarks/celery_no_rollups.py), for the A/B of their cost",
    )
    parser.add_argument("--refresh-seconds", type=int, default=60, help="as ROLLUP_REFRESH_SECONDS")
    args = parser.parse_args()

    env = production_env(args.database_url, args.redis_url, "benchmarks.bench_settings")
    env["CELERY_QUEUE"] = os.environ["CELERY_QUEUE"] = f"bench-{secrets.token_hex(4)}"
    recreate_postgres(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.bare_urls import CREATE_TABLE, TABLE
    from calls.bulk import contact_centre_ensure
    from calls.models import Contact, PendingFold, TelephonyClient, TelephonyEvent
    from claims.demo import seed_plans_and_providers
    from customers.bulk import load_members
    from staff.services import api_token_create, roles_sync, user_create

    setup_started = time.perf_counter()
    call_command("migrate", verbosity=0)
    roles_sync()
    plans, _providers = seed_plans_and_providers()
    load_members(count=args.members, seed=11, plan_ids=[p.pk for p in plans.values()])
    centre = contact_centre_ensure(agents=240)
    client_user = user_create(email="bench-pbx@example.org", full_name="Benchmark PBX", role="api_client")
    token = api_token_create(client=client_user).clear_token
    secret = secrets.token_hex(32) if args.sign else ""
    TelephonyClient.objects.create(user=client_user, signing_secret=secret)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        cursor.execute("SELECT number FROM customers_customerphone ORDER BY random() LIMIT 20000")
        phones = [row[0] for row in cursor.fetchall()]
        cursor.execute("ANALYZE")
    connection.close()
    setup_seconds = time.perf_counter() - setup_started

    rng = random.Random(2026)
    now = datetime.now(UTC).replace(microsecond=0)
    simulator = CallSimulator(
        rng, phones=phones, queues=list(centre.queues), extensions=[a[1] for a in centre.agents], run="b"
    )
    rounds = []
    calls_total = events_total = 0
    for number in range(args.rounds):
        # Each round's calls are new ones (fresh call ids), offered 3 to 1 hours ago.
        batch_events, batch_calls = simulator.stream(
            args.batches * args.batch_size, since=now - timedelta(hours=3), until=now - timedelta(hours=1)
        )
        if args.stream == "calls":  # each call's events together, calls in the order they were offered
            batch_events.sort(key=lambda e: (int(e["call_id"].rsplit(".", 1)[1]), e["sequence"]))
        batch_events = batch_events[: args.batches * args.batch_size]
        single_events, single_calls = simulator.stream(
            args.singles, since=now - timedelta(hours=3), until=now - timedelta(hours=1)
        )
        single_events = single_events[: args.singles]
        batch_calls = len({e["call_id"] for e in batch_events})
        single_calls = len({e["call_id"] for e in single_events})
        calls_total += batch_calls + single_calls
        events_total += len(batch_events) + len(single_events)
        bare = [json.dumps({**e, "event_id": f"bare-{number}-{i}"}).encode() for i, e in enumerate(single_events)]
        api = [json.dumps({**e, "event_id": f"api-{number}-{i}"}).encode() for i, e in enumerate(single_events)]
        singles = [json.dumps(e).encode() for e in single_events]
        batches = [
            json.dumps(batch_events[i : i + args.batch_size]).encode()
            for i in range(0, len(batch_events), args.batch_size)
        ]
        rounds.append({"bare": bare, "api": api, "single": singles, "batch": batches})

    def headers_for(body: bytes) -> dict:
        headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1", "Content-Type": "application/json"}
        if secret:
            headers["X-Tawasul-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return headers

    def bare_headers(body: bytes) -> dict:
        return {"Host": "127.0.0.1", "Content-Type": "application/json"}

    celery = [str(ROOT / ".venv" / "bin" / "celery")]
    if args.rollups == "off":
        celery = [sys.executable, str(ROOT / "benchmarks" / "celery_no_rollups.py")]
    worker = subprocess.Popen(
        [
            *(*celery, "-A", "contactcentre", "worker", "-Q", env["CELERY_QUEUE"]),
            *("--concurrency", str(args.fold_workers), "--loglevel", "WARNING", "--without-heartbeat"),
            *("--without-gossip", "--without-mingle"),
        ],
        cwd=ROOT,
        env=env,
    )

    def drained(since: float) -> float:
        """Seconds from `since` until the worker has folded everything stored."""
        while PendingFold.objects.exists():
            time.sleep(0.02)
        connection.close()
        return time.perf_counter() - since

    port = free_port()
    server = gunicorn(
        port, args.workers, env, "--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "30"
    )
    results = {
        kind: {
            "seconds": 0.0,
            "folded_seconds": 0.0,
            "requests": 0,
            "events": 0,
            "latencies": [],
            "cpu": dict.fromkeys(CPU_GROUPS, 0.0),
        }
        for kind in rounds[0]
    }
    per_round = []
    refresher = None
    load_before = load_average()
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # Warm-up, not measured: some history (so that the tables and their statistics are not those
        # of an empty database), connections, caches.
        warm = simulator.stream(args.warm_up, since=now - timedelta(hours=5), until=now - timedelta(hours=3))[0]
        calls_total += len({e["call_id"] for e in warm})
        events_total += len(warm)
        send_all(port, [json.dumps(e).encode() for e in warm[:200]], EVENTS_URL, headers_for, args.clients)
        history = [json.dumps(warm[i : i + args.batch_size]).encode() for i in range(200, len(warm), args.batch_size)]
        send_all(port, history, EVENTS_URL, headers_for, 1)
        drained(time.perf_counter())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        connection.close()
        send_all(port, [b'{"event_id": "warm"}'] * 50, BARE_URL, bare_headers, args.clients)
        send_all(port, [b'{"event_id": "warm"}'] * 50, API_URL, headers_for, args.clients)
        if args.rollups == "refresh":  # the beat task's work, in a process of its own as on a worker
            loop = [sys.executable, __file__, "--refresh-loop", str(args.refresh_seconds)]
            refresher = subprocess.Popen(loop, env=env, cwd=ROOT)
        for number, bodies in enumerate(rounds):
            line = {}
            # The request-by-request kinds in turn, their order reversed every other round so that
            # neither the baseline nor the events API always follows the batches' fold and vacuum.
            kinds = [
                ("bare", BARE_URL, bare_headers),
                ("api", API_URL, headers_for),
                ("single", EVENTS_URL, headers_for),
            ]
            if number % 2:
                kinds.reverse()
            for kind, path, make_headers in [*kinds, ("batch", EVENTS_URL, headers_for)]:
                cpu_before = cpu_seconds()
                started = time.perf_counter()
                seconds, latencies, failures = send_all(port, bodies[kind], path, make_headers, args.clients)
                folded_seconds = drained(started) if kind in ("single", "batch") else seconds
                cpu_after = cpu_seconds()
                if failures:
                    raise SystemExit(f"{kind}: {len(failures)} failed requests, e.g. {failures[0]}")
                events = len(bodies[kind]) * (args.batch_size if kind == "batch" else 1)
                result = results[kind]
                result["seconds"] += seconds
                result["folded_seconds"] += folded_seconds
                result["requests"] += len(bodies[kind])
                result["events"] += events
                result["latencies"].extend(latencies)
                for group in CPU_GROUPS:
                    result["cpu"][group] += cpu_after[group] - cpu_before[group]
                line[kind] = events / seconds
                line[f"{kind} folded"] = events / folded_seconds
            per_round.append(line)
            print(
                f"round {number + 1}: bare {line['bare']:,.0f}/s, api {line['api']:,.0f}/s, "
                f"single {line['single']:,.0f} events/s "
                f"({line['single'] / line['bare']:.2f} x bare; folded {line['single folded']:,.0f}/s), "
                f"batch {line['batch']:,.0f} events/s (folded {line['batch folded']:,.0f}/s); "
                f"load {load_average()}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        worker.terminate()
        worker.wait(timeout=30)
        if refresher is not None:
            refresher.terminate()
            refresher.wait(timeout=60)
    load_after = load_average()

    stored_events = TelephonyEvent.objects.count()
    stored_calls = Contact.objects.count()
    closed = Contact.objects.filter(state__in=["closed", "abandoned", "wrap_up"]).count()
    unfolded = Contact.objects.filter(offered_at__isnull=True).count()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 - a constant name
        bare_rows = cursor.fetchone()[0] - 100

    print()
    print(f"machine: {machine()}; load average before {load_before}, after {load_after}")
    print(
        f"gunicorn: {args.workers} gthread workers x {args.threads} threads; {args.clients} client connections "
        f"(keep-alive); members {args.members:,}; batches {args.stream}-ordered; signed: {bool(secret)}; "
        f"setup {setup_seconds:.0f} s; rollups {args.rollups}"
        + (f" every {args.refresh_seconds} s" if args.rollups == "refresh" else "")
    )
    print(
        f"{'kind':<10}{'requests':>10}{'events':>10}{'req/s':>10}{'events/s':>11}{'folded/s':>10}"
        f"{'p50 ms':>9}{'p99 ms':>9}"
    )
    for kind, result in results.items():
        latencies = sorted(result["latencies"])
        p99 = latencies[max(0, round(len(latencies) * 0.99) - 1)]
        print(
            f"{kind:<10}{result['requests']:>10,}{result['events']:>10,}"
            f"{result['requests'] / result['seconds']:>10,.0f}{result['events'] / result['seconds']:>11,.0f}"
            f"{result['events'] / result['folded_seconds']:>10,.0f}"
            f"{statistics.median(latencies) * 1000:>9.1f}{p99 * 1000:>9.1f}"
        )
    print()
    print("CPU ms per request, by process (until the fold caught up):")
    print(f"{'kind':<10}" + "".join(f"{group:>13}" for group in CPU_GROUPS) + f"{'all':>9}")
    for kind, result in results.items():
        per = {group: result["cpu"][group] * 1000 / result["requests"] for group in CPU_GROUPS}
        print(f"{kind:<10}" + "".join(f"{per[group]:>13.2f}" for group in CPU_GROUPS) + f"{sum(per.values()):>9.2f}")
    ratio = (results["single"]["events"] / results["single"]["seconds"]) / (
        results["bare"]["events"] / results["bare"]["seconds"]
    )
    api_ratio = (results["api"]["events"] / results["api"]["seconds"]) / (
        results["bare"]["events"] / results["bare"]["seconds"]
    )
    ratios = ", ".join(f"{line['single'] / line['bare']:.2f}" for line in per_round)
    print(f"api / bare: {api_ratio:.2f} (the REST framework, token and throttles around the same INSERT)")
    batch_rate = results["batch"]["events"] / results["batch"]["seconds"]
    folded_rate = results["batch"]["events"] / results["batch"]["folded_seconds"]
    median = statistics.median(line["single"] / line["bare"] for line in per_round)
    print(
        f"single / bare: {ratio:.2f} (per round: {ratios}; median {median:.2f}); "
        f"target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'}"
    )
    print(
        f"batch: {batch_rate:,.0f} events/s accepted, {folded_rate:,.0f} events/s folded; "
        f"target >= 10,000: {'met' if batch_rate >= 10_000 else 'MISSED'}"
    )
    print(
        f"stored: {stored_events:,} events of {events_total:,} sent, {stored_calls:,} contacts of {calls_total:,} "
        f"calls ({closed:,} finished); baseline rows {bare_rows:,}"
    )
    if stored_events != events_total or stored_calls != calls_total:
        raise SystemExit("Events or contacts are missing: the run is not valid.")
    if unfolded:
        raise SystemExit(f"{unfolded} contacts were never folded: the run is not valid.")


if __name__ == "__main__":
    main()
