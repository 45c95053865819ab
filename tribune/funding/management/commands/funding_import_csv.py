"""`tribune funding_import_csv FILE`: donations from a PayPal export or generic CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.funding import imports, selectors, services


class Command(BaseCommand):
    help = (
        "Import donations from a CSV file. Rows already in the ledger are skipped; "
        "a file with bad rows imports nothing unless --skip-invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--layout",
            choices=sorted(imports.PARSERS),
            default="generic",
            help="generic: date,amount,currency,transaction_id[,fee,...]; "
            "paypal: PayPal's activity download.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the good rows even when some are rejected.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                parsed = imports.parse(
                    handle, layout=options["layout"], tz=selectors.site_tz()
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text.") from None
        except imports.RowError as exc:
            raise CommandError(str(exc)) from None
        report = services.import_donations(
            rows=parsed.rows,
            rejected=parsed.rejected,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            on_progress=self._progress,
        )
        self.stderr.write("")
        self._report(report, options)
        if report.rejected and not options["skip_invalid"]:
            raise CommandError(
                "Nothing imported: fix the rejected rows or pass --skip-invalid."
            )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stderr.flush()

    def _report(self, report: services.ImportReport, options: dict[str, Any]) -> None:
        verb = "Would add" if options["dry_run"] else "Added"
        if not report.committed and not options["dry_run"]:
            verb = "Not added"
        self.stdout.write(f"{verb}: {len(report.added)}")
        self.stdout.write(f"Skipped as duplicates: {len(report.duplicates)}")
        for line, transaction_id in report.duplicates:
            self.stdout.write(
                f"  line {line}: {transaction_id} is already in the ledger"
            )
        self.stdout.write(f"Rejected: {len(report.rejected)}")
        for line, reason in report.rejected:
            self.stdout.write(f"  line {line}: {reason}")
