"""The README's first command, run as a new user would: `make run` on an empty SQLite file migrates,
seeds, starts the web server and a Celery worker with beat; the login page answers; the heartbeat
arrives through the embedded broker; Ctrl-C stops it all."""

import os
import signal
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from benchmarks.common import free_port

pytestmark = [pytest.mark.slow, pytest.mark.worker]


def heartbeat_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            row = conn.execute("select run_count from contactcentre_heartbeat where name='celery'").fetchone()
            return row[0] if row else 0
    except sqlite3.OperationalError:
        return 0


def test_make_run_starts_a_working_demo_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    db = tmp_path / "demo.sqlite3"
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CACHE_URL",
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
        }
    }
    env.update(
        ENV_FILE=str(tmp_path / "demo.env"),
        SQLITE_PATH=str(db),
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
        STATIC_ROOT=str(tmp_path / "static"),
        PORT=str(port),
    )
    log_path = tmp_path / "make-run.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            ["make", "run"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and status != 200:
            assert proc.poll() is None, f"make run exited early:\n{log_path.read_text()[-4000:]}"
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5).status
            except OSError:
                time.sleep(1)
        assert status == 200, f"login page never answered:\n{log_path.read_text()[-4000:]}"

        while time.monotonic() < deadline and heartbeat_count(db) < 1:
            time.sleep(1)
        assert heartbeat_count(db) >= 1, f"no heartbeat from the worker:\n{log_path.read_text()[-4000:]}"
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    output = log_path.read_text()
    assert "Seeded the small demo" in output
    assert "agent@tawasul.demo" in output and "agent-demo-pass" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert (tmp_path / "demo.env").read_text().startswith("DEBUG=true")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=3)
    leftovers = ["?"]
    for _ in range(30):  # the worker's pool and beat processes finish their warm shutdown
        leftovers = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
        if not leftovers:
            break
        time.sleep(0.5)
    assert leftovers == [], "processes of the demo still running after Ctrl-C"
