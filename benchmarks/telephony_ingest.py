"""The telephony ingestion alone, in process (no HTTP): milliseconds per 500-event batch through
`calls.services.telephony.events_ingest`, for quick A/B comparisons of changes to the service.

    .venv/bin/python benchmarks/telephony_ingest.py --database-url postgres://postgres@127.0.0.1:5432/tawasul_events_bench
    .venv/bin/python benchmarks/telephony_ingest.py --database-url ... --profile     # where the time goes
    .venv/bin/python benchmarks/telephony_ingest.py --database-url ... --size 1 --batches 600   # single events

Needs a database prepared by benchmarks/telephony_events.py (members, queues, agents). Sends 12
batches (`--batches`) of 500 events (`--size`) of a time-ordered stream of fresh calls (as
benchmarks/telephony_events.py generates them), reports the median and minimum of all but the first
two, and the share spent in PostgreSQL.
"""

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import production_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--size", type=int, default=500, help="events per batch (1: the single-event form)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="profile storing the batches")
    parser.add_argument("--profile-fold", action="store_true", help="profile folding them")
    args = parser.parse_args()
    production_env(args.database_url, "")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from benchmarks.telephony_events import CallSimulator
    from calls.models import AgentStatus, Queue
    from calls.rules.telephony import event_parse
    from calls.services import telephony
    from calls.services.telephony import events_ingest
    from calls.services.telephony_fold import contacts_fold_pending

    telephony.fold_soon = lambda: None  # no worker here: this script folds in process, timed apart
    from customers.models import CustomerPhone

    rng = random.Random(args.seed)
    simulator = CallSimulator(
        rng,
        phones=[str(p) for p in CustomerPhone.objects.values_list("number", flat=True)[:20_000]],
        queues=list(Queue.objects.values_list("code", flat=True)),
        extensions=list(AgentStatus.objects.exclude(extension=None).values_list("extension", flat=True)),
        run=uuid.uuid4().hex[:6],
    )
    now = timezone.now()
    raw, _calls = simulator.stream(
        args.size * args.batches, since=now - timedelta(hours=3), until=now - timedelta(hours=1)
    )
    events = [event_parse(event, now=now)[0] for event in raw]
    profile = cProfile.Profile()
    timings, database, folds = [], [], []
    for number in range(args.batches):
        batch = list(enumerate(events[number * args.size : (number + 1) * args.size]))
        in_database = [0.0]

        def timed(execute, sql, params, many, context, spent=in_database):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            results = profile.runcall(events_ingest, batch) if args.profile and number >= 2 else events_ingest(batch)
        timings.append((time.perf_counter() - started) * 1000)
        database.append(in_database[0] * 1000)
        started = time.perf_counter()
        if args.profile_fold and number >= 2:
            profile.runcall(contacts_fold_pending)
        else:
            contacts_fold_pending()
        folds.append((time.perf_counter() - started) * 1000)
        assert all(result.status == "accepted" for result in results)
    measured, in_db = timings[2:], database[2:]
    print(
        f"{args.size}-event batches stored: median {statistics.median(measured):.2f} ms, "
        f"min {min(measured):.2f} ms; in PostgreSQL median {statistics.median(in_db):.2f} ms "
        f"({len(measured)} batches after 2 warm-up); folded after each: median {statistics.median(folds[2:]):.1f} ms"
    )
    if args.profile or args.profile_fold:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
