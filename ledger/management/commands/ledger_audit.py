"""``manage.py ledger_audit``: recompute the log from the entries and compare with what is signed.

Exits non-zero, naming the first leaf index that differs, when anything was tampered with.
"""

from django.core.management.base import BaseCommand, CommandError

from ledger.audit import audit_log


class Command(BaseCommand):
    help = "Recompute every leaf and the tree from the stored entries; check every checkpoint."

    def handle(self, *args: object, **options: object) -> None:
        report = audit_log()
        self.stdout.write(
            f"checked {report.leaves} leaves, {report.checkpoints} checkpoints, "
            f"{report.cosignatures} cosignatures"
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
