"""A Celery worker whose telephony folds do not mark the KPI rollups' days: the "off" side of
`benchmarks/telephony_events.py --rollups off`, to measure what keeping the rollups costs ingest.
Never for production: the rollups would go stale.

    python benchmarks/celery_no_rollups.py -A contactcentre worker ...   (the arguments of `celery`)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

import calls.services.telephony_fold as fold  # noqa: E402


def _unmarked(*_args, **_kwargs) -> None:
    return None


fold.contacts_mark = _unmarked
fold.state_changes_mark = _unmarked

from celery.bin.celery import main  # noqa: E402

sys.argv[0] = "celery"
sys.exit(main())
