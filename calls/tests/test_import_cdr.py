"""manage.py import_cdr: historical call detail records become the events the live API takes,
against the real PostgreSQL."""

import csv
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from calls.models import Contact, Queue, TelephonyEvent
from calls.rules.cdr import CdrRowError, event_id_for, row_events
from calls.services import cdr as cdr_service

pytestmark = pytest.mark.django_db

HEADER = (
    "call_id,queue,agent,caller_number,dialled_number,offered_at,answered_at,ended_at,"
    "hold_seconds,wrap_up_seconds,end_cause"
)
ROWS = [
    # line 2: answered, 15 s wait, 30 s hold, 300 s from answer to end, 45 s wrap-up
    "A1,claims,4021,07700 900321,0345 600 3040,2025-03-03T09:00:00Z,2025-03-03T09:00:15Z,2025-03-03T09:05:15Z,"
    "30,45,caller",
    # line 3: abandoned after 40 s in the queue
    "A2,claims,,07700 900322,,2025-03-03T09:10:00+00:00,,2025-03-03T09:10:40+00:00,,,caller",
    # line 4: a short abandon (3 s)
    "A3,claims,,,,2025-03-03T09:20:00Z,,2025-03-03T09:20:03Z,,,",
    # line 5: no call id
    ",claims,4021,,,2025-03-03T09:30:00Z,2025-03-03T09:30:05Z,2025-03-03T09:31:00Z,,,",
    # line 6: a time that is not one
    "B2,claims,4021,,,yesterday,2025-03-03T09:30:05Z,2025-03-03T09:31:00Z,,,",
    # line 7: ended before it was offered
    "B3,claims,,,,2025-03-03T09:40:00Z,,2025-03-03T09:39:00Z,,,",
    # line 8: answered after it ended
    "B4,claims,4021,,,2025-03-03T09:50:00Z,2025-03-03T09:52:00Z,2025-03-03T09:51:00Z,,,",
    # line 9: A1 again with other times
    "A1,claims,4021,,,2025-03-03T09:00:00Z,2025-03-03T09:00:20Z,2025-03-03T09:05:15Z,,,",
    # line 10: A2 again, the same
    "A2,claims,,07700 900322,,2025-03-03T09:10:00+00:00,,2025-03-03T09:10:40+00:00,,,caller",
]


@pytest.fixture
def queue(db):
    return Queue.objects.create(code="claims", name="Claims", opens_at="08:00", closes_at="20:00")


def write(tmp_path, text: str, name: str = "cdr.csv", *, encoding: str = "utf-8", newline: str = "\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def run(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_cdr", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sample(tmp_path):
    return write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")


def test_answered_and_abandoned_calls_get_their_durations_and_bad_rows_are_reported_by_line(tmp_path, queue):
    out, _ = run(sample(tmp_path))

    assert "Rows read: 9" in out
    assert "Calls imported: 3" in out
    assert "Calls already present: 0" in out
    assert "Rows rejected: 5" in out
    assert "Duplicate rows skipped (same call, same data): 1" in out
    answered = Contact.objects.get(provider="cdr", external_id="A1")
    assert answered.state == "closed" and answered.queue == queue
    assert (answered.wait_seconds, answered.hold_seconds, answered.talk_seconds, answered.wrap_up_seconds) == (
        15,
        30,
        270,
        45,
    )
    assert answered.is_abandoned is False
    assert (answered.agent_extension, answered.caller_number, answered.end_cause) == ("4021", "+447700900321", "caller")
    abandoned = Contact.objects.get(external_id="A2")
    assert (abandoned.state, abandoned.wait_seconds, abandoned.talk_seconds) == ("abandoned", 40, 0)
    assert abandoned.is_abandoned and not abandoned.is_short_abandon
    assert Contact.objects.get(external_id="A3").is_short_abandon
    assert set(TelephonyEvent.objects.filter(external_call_id="A1").values_list("event_id", flat=True)) == {
        "cdr:A1:offered",
        "cdr:A1:answered",
        "cdr:A1:held",
        "cdr:A1:resumed",
        "cdr:A1:ended",
        "cdr:A1:wrap_up_ended",
    }
    assert not Contact.objects.filter(external_id__in=["B2", "B3", "B4"]).exists()


def test_running_the_import_twice_changes_nothing_and_says_the_calls_are_already_present(tmp_path, queue):
    path = sample(tmp_path)
    run(path)
    before = list(Contact.objects.order_by("pk").values())
    events = TelephonyEvent.objects.count()

    out, _ = run(path)

    assert "Calls imported: 0" in out
    assert "Calls already present: 3" in out
    assert "Rows rejected: 5" in out
    assert TelephonyEvent.objects.count() == events
    assert list(Contact.objects.order_by("pk").values()) == before


def test_the_rejects_file_holds_each_rejected_row_with_its_line_and_reason(tmp_path, queue):
    rejects = tmp_path / "rejects.csv"
    out, _ = run(sample(tmp_path), "--rejects", str(rejects))

    assert f"Rejected rows written to {rejects}" in out
    with rejects.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["line"], row["call_id"]) for row in rows] == [
        ("5", ""),
        ("6", "B2"),
        ("7", "B3"),
        ("8", "B4"),
        ("9", "A1"),
    ]
    reasons = [row["reason"] for row in rows]
    assert reasons[0] == "call_id is missing."
    assert "'yesterday' is not an ISO 8601 date and time" in reasons[1]
    assert reasons[2] == "ended_at is before offered_at."
    assert reasons[3] == "answered_at is after ended_at."
    assert reasons[4] == "call_id A1 is on line 2 with other data."
    assert rows[1]["offered_at"] == "yesterday"  # the row as read


def test_a_header_without_a_required_column_is_an_error_exit_and_imports_nothing(tmp_path, queue):
    path = write(tmp_path, "call_id,queue,agent,offered_at,answered_at\nA1,claims,4021,2025-03-03T09:00:00Z,\n")

    with pytest.raises(CommandError, match="lacks required column\\(s\\): ended_at") as error:
        run(path)

    assert error.value.returncode != 0
    assert "Nothing was imported" in str(error.value)
    assert Contact.objects.count() == 0


def test_a_file_with_a_bom_and_windows_line_endings_imports(tmp_path, queue):
    path = write(tmp_path, "\n".join([HEADER, *ROWS[:4]]) + "\n", encoding="utf-8-sig", newline="\r\n")
    rejects = tmp_path / "rejects.csv"

    out, _ = run(path, "--rejects", str(rejects))

    assert "Calls imported: 3" in out and "Rows rejected: 1" in out
    assert Contact.objects.get(external_id="A1").wrap_up_seconds == 45
    with rejects.open(newline="", encoding="utf-8") as handle:
        header, row = list(csv.reader(handle))
    assert header[0] == "call_id" and header[-2:] == ["line", "reason"]
    assert row[-2:] == ["5", "call_id is missing."]


def test_a_call_imported_before_with_other_times_is_rejected_and_left_as_it_was(tmp_path, queue):
    run(write(tmp_path, "\n".join([HEADER, ROWS[0]]) + "\n"))
    changed = ROWS[0].replace("09:05:15Z", "09:06:15Z")

    out, _ = run(write(tmp_path, "\n".join([HEADER, changed]) + "\n", name="changed.csv"))

    assert "Rows rejected: 1" in out and "Calls imported: 0" in out
    assert Contact.objects.get(external_id="A1").talk_seconds == 270


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"queue": ""}, "queue is missing."),
        ({"agent": ""}, "agent is missing on an answered call."),
        ({"hold_seconds": "400"}, "hold_seconds is longer than the call from answer to end."),
        ({"hold_seconds": "-5"}, "hold_seconds '-5' is not a number of seconds, zero or more."),
        ({"wrap_up_ended_at": "2025-03-03T09:07:00Z"}, "wrap_up_seconds and wrap_up_ended_at disagree."),
        ({"answered_at": "", "hold_seconds": "10"}, "hold_seconds on a call that was never answered."),
        ({"answered_at": "2025-03-03T08:59:00Z"}, "answered_at is before offered_at."),
        ({"offered_at": "2035-03-03T09:00:00Z"}, "ended_at is before offered_at."),
        ({"ended_at": "2035-03-03T09:00:00Z"}, "ended event refused: occurred_at: Is in the future."),
        ({"queue": "q" * 41}, "offered event refused: queue: At most 40 characters."),
    ],
)
def test_each_bad_value_rejects_its_row_with_the_reason(fields, reason):
    row = {
        "call_id": "A1",
        "queue": "claims",
        "agent": "4021",
        "offered_at": "2025-03-03T09:00:00Z",
        "answered_at": "2025-03-03T09:00:15Z",
        "ended_at": "2025-03-03T09:05:15Z",
        "hold_seconds": "30",
        "wrap_up_seconds": "45",
    }
    with pytest.raises(CdrRowError) as error:
        row_events(row | fields, provider="cdr", tz=None, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert str(error.value) == reason


def test_a_call_id_too_long_for_the_event_id_gets_a_stable_hashed_one():
    long_id = "x" * 120
    assert event_id_for("cdr", long_id, "answered") == event_id_for("cdr", long_id, "answered")
    assert len(event_id_for("cdr", long_id, "wrap_up_ended")) <= 128
    assert event_id_for("cdr", long_id, "ended") != event_id_for("cdr", "y" * 120, "ended")


def test_a_custom_mapping_reads_another_platforms_columns_and_naive_times_in_the_given_zone(tmp_path, queue):
    path = write(
        tmp_path,
        "ContactId,QueueName,AgentLogin,EnqueueTimestamp,ConnectedToAgentTimestamp,DisconnectTimestamp,"
        "AfterContactWorkDuration\n"
        "c-1,claims,amira,2025-07-01 10:00:00,2025-07-01 10:00:12,2025-07-01 10:03:12,20\n",
    )
    mapping = [
        "call_id=ContactId",
        "queue=QueueName",
        "agent=AgentLogin",
        "offered_at=EnqueueTimestamp",
        "answered_at=ConnectedToAgentTimestamp",
        "ended_at=DisconnectTimestamp",
        "wrap_up_seconds=AfterContactWorkDuration",
    ]
    options = [arg for pair in mapping for arg in ("--map", pair)]

    out, _ = run(path, *options, "--timezone", "Europe/London", "--provider", "connect")

    assert "Calls imported: 1" in out
    contact = Contact.objects.get(provider="connect", external_id="c-1")
    assert contact.offered_at == datetime(2025, 7, 1, 9, 0, tzinfo=UTC)  # BST is UTC+1
    assert (contact.wait_seconds, contact.talk_seconds, contact.wrap_up_seconds) == (12, 180, 20)
    assert contact.agent_extension == "amira"


def test_naive_times_without_a_timezone_option_reject_the_row(tmp_path, queue):
    path = write(tmp_path, HEADER + "\nA1,claims,,,,2025-03-03 09:00:00,,2025-03-03 09:00:30,,,\n")

    out, _ = run(path)

    assert "Rows rejected: 1" in out
    assert Contact.objects.count() == 0


def test_a_mapping_naming_an_unknown_field_or_a_missing_column_is_refused(tmp_path, queue):
    path = sample(tmp_path)
    with pytest.raises(CommandError, match="Unknown field"):
        run(path, "--map", "caller=From")
    with pytest.raises(CommandError, match="lacks required column\\(s\\): Hold"):
        run(path, "--map", "hold_seconds=Hold")
    assert Contact.objects.count() == 0


def test_a_long_file_goes_in_batches_of_at_most_500_events_with_progress_on_stderr(tmp_path, queue, monkeypatch):
    rows = [
        f"L{i},claims,4021,,,2025-03-03T10:00:00Z,2025-03-03T10:00:05Z,2025-03-03T10:01:00Z,10,5," for i in range(100)
    ]
    sizes = []
    ingest = cdr_service.events_ingest

    def counting(events, **kwargs):
        sizes.append(len(events))
        return ingest(events, **kwargs)

    monkeypatch.setattr(cdr_service, "events_ingest", counting)

    out, err = run(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"), "--progress-every", "40")

    assert "Calls imported: 100" in out
    assert sum(sizes) == 600 and max(sizes) <= 500 and len(sizes) == 2
    assert "40 rows read" in err and "80 rows read" in err
    assert Contact.objects.filter(state="closed", hold_seconds=10).count() == 100
