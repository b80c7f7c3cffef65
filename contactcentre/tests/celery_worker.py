"""Start a real Celery worker (with embedded beat) as a separate process for a test."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


def test_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_... database)."""
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


@contextmanager
def celery_worker(*, broker_env: dict[str, str], log_path: Path, beat: bool = True) -> Iterator[str]:
    """Yield the queue the worker consumes; stop the worker (and fail loudly if it died) on exit."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "contactcentre.test_settings",
        "DATABASE_URL": test_database_url(),
        "CELERY_QUEUE": queue,
        **broker_env,
    }
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "contactcentre",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--hostname",
        f"{queue}@%h",
        "-Q",
        queue,
    ]
    if beat:
        args += ["--beat", "--schedule", str(log_path.parent / "beat-schedule")]
    with open(log_path, "w") as log:
        worker = subprocess.Popen(args, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield queue
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_until(condition: Callable[[], bool], *, timeout: float, log_path: Path, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"{what} within {timeout:.0f} s; worker log:\n{log_path.read_text()[-4000:]}")
