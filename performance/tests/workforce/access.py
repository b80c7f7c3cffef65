"""The role matrix's rows for the performance app's workforce area (gathered by performance/tests/access.py).

Managers plan staffing and keep the roster; API clients (workforce tools) call Erlang C. The record
is one shift of the matrix agent tomorrow; an empty POST of the shift form gives it back with its
errors (400); copying last week into this week finds nothing to copy and says so (302)."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401
from staff.roles import Role

ERLANG = (
    "/api/v1/performance/erlang-c/?contacts=100&interval_seconds=1800&aht_seconds=180&threshold_seconds=20&target=0.8"
)

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("performance:staffing", "/performance/staffing/", "get", only(M)),
    ("performance:staffing", "/performance/staffing/?queue={shift_queue}&day=2026-03-02", "get", only(M)),
    ("performance:roster", "/performance/roster/", "get", only(M)),
    ("performance:roster-add", "/performance/roster/new/", "get", only(M)),
    ("performance:roster-add", "/performance/roster/new/", "post", only(M) | {M: 400}),
    ("performance:roster-delete", "/performance/roster/{shift}/delete/", "post", posted(M)),
    ("performance:roster-copy-week", "/performance/roster/copy-week/", "post", posted(M)),
    ("performance-erlang-c", ERLANG, "get", api(M, Role.API_CLIENT)),
    ("performance-erlang-c", "/api/v1/performance/erlang-c/?contacts=100", "get", api(M, Role.API_CLIENT, ok=400)),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from calls.tests.factories import QueueFactory

    from ...models import RosterShift

    queue = QueueFactory(code="matrix-staffing", name="Matrix staffing")
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts_at = timezone.make_aware(datetime.combine(tomorrow, time(9)))
    shift = RosterShift.objects.create(
        agent=people[A], queue=queue, starts_at=starts_at, ends_at=starts_at + timedelta(hours=8)
    )
    return {"shift": shift.pk, "shift_queue": queue.pk}
