"""Import historical call detail records (one row per call) from a telephony export: the rows
become the same events the live API takes (docs/telephony.md describes the columns)."""

import csv
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from calls.rules.cdr import COLUMNS, REQUIRED, CdrMappingError, map_option_parse
from calls.services.cdr import cdr_import


def _columns_help() -> str:
    return "; ".join(f"{name}{' (required)' if name in REQUIRED else ''}" for name in COLUMNS)


class Command(BaseCommand):
    help = (
        "Import call detail records from a CSV file (UTF-8, with or without a BOM). Re-running it is safe: "
        "calls already imported are left as they are. Columns, by default named as ours: " + _columns_help()
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV export, with a header row.")
        parser.add_argument("--provider", default="cdr", help="The provider name the calls are stored under.")
        parser.add_argument(
            "--map",
            action="append",
            metavar="OUR_NAME=THEIR_COLUMN",
            help="Read one of our fields from a column of another name (repeatable).",
        )
        parser.add_argument("--timezone", help="The zone of times written without one, e.g. Europe/London.")
        parser.add_argument("--rejects", metavar="FILE.csv", help="Write the rejected rows here, with a reason.")
        parser.add_argument("--progress-every", type=int, default=10_000, metavar="N", help="Progress on stderr.")

    def handle(self, *args, **options):
        tz = None
        if options["timezone"]:
            try:
                tz = ZoneInfo(options["timezone"])
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise CommandError(f"Unknown time zone {options['timezone']!r}.") from error
        if options["progress_every"] < 1:
            raise CommandError("--progress-every must be 1 or more.")
        try:
            overrides = map_option_parse(options["map"])
            source = open(options["file"], encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
        except CdrMappingError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        rejects_file = None
        try:
            reject = None
            if options["rejects"]:
                rejects_file, reject = self._rejects_writer(source, options["rejects"])
            report = cdr_import(
                lines=source,
                provider=options["provider"],
                overrides=overrides,
                tz=tz,
                reject=reject,
                progress=lambda rows: self.stderr.write(f"{rows} rows read..."),
                progress_every=options["progress_every"],
            )
        except CdrMappingError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"The file is not UTF-8 ({error.reason} at byte {error.start}).") from error
        finally:
            source.close()
            if rejects_file is not None:
                rejects_file.close()
        for line in report.lines():
            self.stdout.write(line)
        if options["rejects"] and report.rejected:
            self.stdout.write(f"Rejected rows written to {options['rejects']}.")

    def _rejects_writer(self, source, path: str):
        """A CSV of the rejected rows as read, with their line and the reason; the header is the
        input's, read here without consuming it."""
        header = next(csv.reader([source.readline()]), [])
        source.seek(0)
        try:
            target = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the caller
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
        writer = csv.writer(target)
        writer.writerow([*header, "line", "reason"])

        def reject(line: int, values: list[str], reason: str) -> None:
            writer.writerow([*values, line, reason])

        return target, reject
