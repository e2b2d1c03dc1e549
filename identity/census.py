"""The census an official imports: CSV in, keyed hashes and districts out, all or nothing.

Format (UTF-8, optional BOM, comma-separated, a header row naming exactly these columns in any
order): ``document_number``, ``district`` (a district number), ``birth_date`` (YYYY-MM-DD).
A file with any bad row stores nothing and every problem is reported with its CSV line number
(the header is line 1). Importing is an upsert: new documents are added, known ones updated.
A verified resident whose census district or birth date changed is re-verified at once (the old
credential revoked, a new one issued).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from identity.document_hash import document_hash
from identity.models import CensusRecord, District, Residency, User
from polity.inputs import parse_id

COLUMNS = ("document_number", "district", "birth_date")
MAX_BYTES = 10 * 2**20
MAX_ROWS = 200_000
MAX_REPORTED_ERRORS = 50


class CensusImportError(ValueError):
    """The file was refused; ``errors`` lists each problem, ``str(err)`` summarises."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        summary = "; ".join(shown) + (f"; and {more} more" if more else "")
        super().__init__(summary)


@dataclass(frozen=True)
class CensusRow:
    line: int
    document_hash: str
    district_number: int
    birth_date: date


@dataclass
class CensusImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reverified: int = 0


def parse_census(data: bytes) -> list[CensusRow]:
    """Every row of a census CSV, or ``CensusImportError`` listing every bad line."""
    if len(data) > MAX_BYTES:
        raise CensusImportError([_("the file is larger than 10 MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CensusImportError([_("the file is not UTF-8 text (byte %d)") % exc.start]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CensusImportError([_("the file is empty")])
    header = [name.strip().lower() for name in header]
    if sorted(header) != sorted(COLUMNS):
        raise CensusImportError(
            [_("line 1: the header must name exactly the columns %s") % ", ".join(COLUMNS)]
        )
    position = {name: header.index(name) for name in COLUMNS}
    rows, errors, seen = [], [], {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise CensusImportError([_("more than %d rows") % MAX_ROWS])
        row, problem = _parse_row(line, values, position)
        if problem:
            errors.append(problem)
            continue
        if row.document_hash in seen:
            errors.append(
                _("line %(line)d: the same document number is already on line %(first)d")
                % {"line": line, "first": seen[row.document_hash]}
            )
            continue
        seen[row.document_hash] = line
        rows.append(row)
    if errors:
        raise CensusImportError(errors)
    if not rows:
        raise CensusImportError([_("the file has no census rows")])
    return rows


def _parse_row(line: int, values: list[str], position: dict) -> tuple[CensusRow | None, str]:
    if len(values) != len(COLUMNS):
        return None, _("line %(line)d: expected %(n)d values, found %(found)d") % {
            "line": line,
            "n": len(COLUMNS),
            "found": len(values),
        }
    raw = {name: values[index].strip() for name, index in position.items()}
    try:
        hashed = document_hash(raw["document_number"])
    except ValueError:
        return None, _("line %d: document_number must have 4 to 32 letters and digits") % line
    district = parse_id(raw["district"])
    if district is None or not 0 < district < 65536:
        return None, _("line %d: district must be a district number") % line
    try:
        born = date.fromisoformat(raw["birth_date"])
    except ValueError:
        return None, _("line %d: birth_date must be a date written YYYY-MM-DD") % line
    if not date(1900, 1, 1) <= born <= date.today():
        return None, _("line %d: birth_date is not a plausible date of birth") % line
    return CensusRow(line, hashed, district, born), ""


@transaction.atomic
def import_census(*, data: bytes, imported_by: User | None = None) -> CensusImportResult:
    """Store a census file (see the module docstring); refuses the whole file on any error."""
    from identity.services import verify_resident

    rows = parse_census(data)
    districts = {district.number: district for district in District.objects.all()}
    unknown = [
        _("line %(line)d: there is no district %(number)d")
        % {"line": row.line, "number": row.district_number}
        for row in rows
        if row.district_number not in districts
    ]
    if unknown:
        raise CensusImportError(unknown)
    existing = {
        record.document_hash: record
        for record in CensusRecord.objects.filter(
            document_hash__in=[row.document_hash for row in rows]
        )
    }
    result, new, changed = CensusImportResult(), [], []
    for row in rows:
        district = districts[row.district_number]
        record = existing.get(row.document_hash)
        if record is None:
            new.append(
                CensusRecord(
                    document_hash=row.document_hash, district=district, birth_date=row.birth_date
                )
            )
        elif record.district_id != district.pk or record.birth_date != row.birth_date:
            record.district, record.birth_date = district, row.birth_date
            changed.append(record)
        else:
            result.unchanged += 1
    CensusRecord.objects.bulk_create(new, batch_size=1000)
    for record in changed:
        record.save(update_fields=["district", "birth_date", "imported_at"])
    result.created, result.updated = len(new), len(changed)
    moved = Residency.objects.filter(
        ended_at__isnull=True, document_hash__in=[record.document_hash for record in changed]
    ).select_related("user")
    for residency in moved:
        record = existing[residency.document_hash]
        verify_resident(
            user=residency.user,
            document_hash=record.document_hash,
            district=record.district,
            birth_date=record.birth_date,
            method=Residency.Method.CENSUS,
            verified_by=imported_by,
        )
        result.reverified += 1
    return result
