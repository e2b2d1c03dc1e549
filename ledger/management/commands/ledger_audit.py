"""``manage.py ledger_audit``: recompute the log from the entries and compare with what is signed.

    manage.py ledger_audit [--checkpoint SAVED.txt ...]

Exits non-zero, naming the first leaf index that differs, when anything was tampered with.
``--checkpoint`` adds signed checkpoints kept outside the database (e.g. saved from
/ledger/checkpoint by an auditor or a witness): they catch a log cut short together with its
own later checkpoints, which the database alone cannot show.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledger.audit import audit_log


class Command(BaseCommand):
    help = "Recompute every leaf and the tree from the stored entries; check every checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            type=Path,
            help="a signed checkpoint saved outside the database (repeat)",
        )

    def handle(self, *args: object, **options: object) -> None:
        anchors = []
        for path in options["checkpoint"]:
            try:
                anchors.append((str(path), path.read_text()))
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
        report = audit_log(anchors)
        self.stdout.write(
            f"checked {report.leaves} leaves, {report.checkpoints} checkpoints, "
            f"{report.cosignatures} cosignatures, {report.anchors} saved checkpoints"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("ledger audit passed: the log is intact"))
            return
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"PROBLEM {problem}"))
        where = report.first_bad_index
        raise CommandError(
            f"ledger audit FAILED: {len(report.problems)} problem(s)"
            + (f"; first differing index {where}" if where is not None else "")
        )
