"""Importing call detail records: a CSV export read as a stream, each good row turned into the
events the live API would have received (rules.cdr) and fed to the same `events_ingest`, in
batches of at most 500 events; each bad row is rejected with its line and the reason.

Re-importing a file changes nothing: a row's events have fixed ids, so a call whose events are all
stored already is counted as already present and not sent again."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import tzinfo

from django.utils import timezone

from ..models import Queue, TelephonyEvent
from ..rules.cdr import CdrMappingError, CdrRowError, column_map, header_positions, row_events
from ..rules.telephony import MAX_BATCH, Event
from .telephony import events_ingest
from .telephony_fold import contacts_fold_pending

# Rejected rows are handed over as (line, the row's values as read, reason).
RejectSink = Callable[[int, list[str], str], None]


@dataclass
class CdrReport:
    rows_read: int = 0
    imported: int = 0  # calls none of whose events were stored before
    already_present: int = 0  # calls all of whose events were stored before (a re-run)
    completed: int = 0  # calls some of whose events were stored before (an interrupted run)
    duplicates: int = 0  # rows repeating an earlier row of the file exactly
    rejected: int = 0
    unknown_queues: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        lines = [
            f"Rows read: {self.rows_read}",
            f"Calls imported: {self.imported}",
            f"Calls already present: {self.already_present}",
        ]
        if self.completed:
            lines.append(f"Calls completed (partly present before): {self.completed}")
        if self.duplicates:
            lines.append(f"Duplicate rows skipped (same call, same data): {self.duplicates}")
        lines.append(f"Rows rejected: {self.rejected}")
        if self.unknown_queues:
            lines.append(
                f"Queues not set up in Tawasul (calls kept without a queue): {', '.join(sorted(self.unknown_queues))}"
            )
        return lines


@dataclass
class _Row:
    line: int
    values: list[str]
    call_id: str
    events: list[Event]


class _Importer:
    def __init__(self, *, provider: str, report: CdrReport, reject: RejectSink | None, received_from):
        self.provider = provider
        self.report = report
        self.reject_sink = reject
        self.received_from = received_from
        self.pending: list[_Row] = []
        self.pending_events = 0
        # Call id -> (first line, its events): a repeat with other data is a conflict. One entry
        # per call, the only state kept across the file.
        self.seen: dict[str, tuple[int, int]] = {}

    def reject(self, line: int, values: list[str], reason: str) -> None:
        self.report.rejected += 1
        if self.reject_sink is not None:
            self.reject_sink(line, values, reason)

    def add(self, row: _Row) -> None:
        fingerprint = hash(tuple(row.events))
        first = self.seen.get(row.call_id)
        if first is not None:
            if first[1] == fingerprint:
                self.report.duplicates += 1
            else:
                self.reject(row.line, row.values, f"call_id {row.call_id} is on line {first[0]} with other data.")
            return
        self.seen[row.call_id] = (row.line, fingerprint)
        if self.pending_events + len(row.events) > MAX_BATCH:
            self.flush()
        self.pending.append(row)
        self.pending_events += len(row.events)

    def flush(self) -> None:
        rows, self.pending, self.pending_events = self.pending, [], 0
        if not rows:
            return
        ids = [event.event_id for row in rows for event in row.events]
        stored = dict(
            TelephonyEvent.objects.filter(provider=self.provider, event_id__in=ids).values_list(
                "event_id", "occurred_at"
            )
        )
        to_send: list[tuple[_Row, int]] = []  # the row and how many of its events were stored before
        for row in rows:
            known = [event for event in row.events if event.event_id in stored]
            changed = [event.type for event in known if stored[event.event_id] != event.occurred_at]
            if changed:
                self.reject(row.line, row.values, f"already imported with other times ({', '.join(changed)}).")
            elif len(known) == len(row.events):
                self.report.already_present += 1
            else:
                to_send.append((row, len(known)))
        self._send(to_send)

    def _send(self, to_send: list[tuple[_Row, int]]) -> None:
        indexed, owner = [], {}
        for row, _known in to_send:
            for event in row.events:
                owner[len(indexed)] = row.line
                indexed.append((len(indexed), event))
        refused: dict[int, str] = {}
        for result in events_ingest(indexed, received_from=self.received_from):
            if result.status != "accepted":
                reason = "; ".join(message for messages in result.errors.values() for message in messages)
                refused.setdefault(owner[result.index], reason)
        contacts_fold_pending()  # an import reports what it did: its calls are folded before it ends
        for row, known in to_send:
            if row.line in refused:
                self.reject(row.line, row.values, refused[row.line])
            elif known:
                self.report.completed += 1
            else:
                self.report.imported += 1


def cdr_import(
    *,
    lines: Iterable[str],
    provider: str = "cdr",
    overrides: dict[str, str] | None = None,
    tz: tzinfo | None = None,
    reject: RejectSink | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
    received_from=None,
) -> CdrReport:
    """Import the CSV read from `lines` (an open text file: newline="", and "utf-8-sig" for a BOM).

    Raises CdrMappingError, before anything is imported, when the mapping names an unknown field,
    or the header lacks a required column or one the mapping names. Every other problem rejects
    only its row: `reject(line, values, reason)` is called for each, with the file's line number."""
    provider = provider.strip()
    if not provider or len(provider) > 40:
        raise CdrMappingError("The provider is a name of 1 to 40 characters.")
    mapping = column_map(overrides)
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header:
        raise CdrMappingError("The file is empty: no header.")
    positions = header_positions(header, mapping, explicit=tuple(overrides or ()))
    width = len(header)
    report = CdrReport()
    importer = _Importer(provider=provider, report=report, reject=reject, received_from=received_from)
    queues_seen: set[str] = set()
    now = timezone.now()
    while True:
        line = reader.line_num + 1  # where this record starts (a quoted field may span lines)
        values = next(reader, None)
        if values is None:
            break
        if not any(value.strip() for value in values):
            continue
        report.rows_read += 1
        if progress is not None and report.rows_read % progress_every == 0:
            progress(report.rows_read)
        if len(values) != width:
            importer.reject(line, values, f"{len(values)} fields where the header has {width}.")
            continue
        row = {ours: values[index].strip() for ours, index in positions.items()}
        try:
            events = row_events(row, provider=provider, tz=tz, now=now)
        except CdrRowError as error:
            importer.reject(line, values, str(error))
            continue
        queues_seen.add(row["queue"])
        importer.add(_Row(line, values, row["call_id"], events))
    importer.flush()
    report.unknown_queues = queues_seen - set(Queue.objects.filter(code__in=queues_seen).values_list("code", flat=True))
    return report
