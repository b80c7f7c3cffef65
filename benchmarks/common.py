"""What the HTTP benchmarks share: a free port, and the production-like environment gunicorn and the
benchmark itself run with (DEBUG off, a throwaway SECRET_KEY, throttles lifted for the load)."""

import os
import secrets
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(
    database_url: str, redis_url: str, settings_module: str = "contactcentre.settings"
) -> dict[str, str]:
    """The environment for the server under test, also applied to this process (for django.setup())."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ENV_FILE": os.devnull,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "API_THROTTLE_USER": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": settings_module,
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    os.environ.update(env)
    return env


def bench_api_token() -> str:
    """A fresh API token for the benchmark's telephony client (created once per database)."""
    from staff.models import User
    from staff.services import api_token_create, roles_sync, user_create

    roles_sync()
    client_user = User.objects.filter(email="bench-pbx@example.org").first() or user_create(
        email="bench-pbx@example.org", full_name="Benchmark PBX", role="api_client"
    )
    return api_token_create(client=client_user).clear_token


def gunicorn(port: int, workers: int, env: dict[str, str], *options: str) -> subprocess.Popen:
    """The project's WSGI app under gunicorn on 127.0.0.1:`port`, as in production."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "contactcentre.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), *options, "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env)
