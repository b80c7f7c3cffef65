"""Suite-wide fixtures: the real services are checked once, up front, and a missing one fails the
run with what to do about it (never a skip)."""

import os
import socket
from urllib.parse import urlparse

import pytest

# The sync Playwright API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("The suite runs against PostgreSQL: set DATABASE_URL to a postgres:// URL or run `make test`.", 3)
    if not _reachable(f"postgres://{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}", 5432):
        pytest.exit(
            f"PostgreSQL does not answer at {database['HOST']}:{database['PORT']}: run `make test`, "
            "which starts or installs it (see ../shared/services.md).",
            3,
        )
    if not _reachable(settings.REDIS_URL, 6379):
        pytest.exit(f"Redis does not answer at {settings.REDIS_URL}: run `make test`, which starts or installs it.", 3)


def pytest_sessionfinish(session):
    """Tasks queued by code under test where no worker listens (the telephony fold each stored
    event asks for): dropped, so that they do not pile up in the test broker across runs."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("redis://") and _reachable(settings.REDIS_URL, 6379):
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (make test does this).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-quic",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters and axes lockouts live in the cache: each test starts from none."""
    from django.core.cache import cache

    from calls.selectors.telephony import signing_secrets
    from calls.services import telephony
    from contactcentre.api import clean_addresses, recent_tokens
    from contactcentre.throttling import local_counters_forget

    cache.clear()
    local_counters_forget()  # hits a process counted and has not yet added to the cache's counters
    recent_tokens.clear()  # what API processes remember for a few seconds (API_TOKEN_CACHE_SECONDS)
    signing_secrets.clear()
    clean_addresses.clear()
    telephony._fold_due = 0.0  # no fold known to be queued: each test has its own broker queue
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Arabic leaves Arabic active on its
    thread (LocaleMiddleware activates, nothing deactivates), and messages built later would follow."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def roles(db):
    """Make sure the role groups exist (a flushed transactional database loses them)."""
    from staff.services import roles_sync

    roles_sync()


@pytest.fixture
def user_factory(roles):
    from staff.tests.factories import UserFactory

    return UserFactory
