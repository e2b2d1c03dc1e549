"""Census import: keyed hashes only, all-or-nothing with line numbers, upserts."""

import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured

from identity import document_hash as hashing
from identity.census import CensusImportError, import_census
from identity.models import CensusRecord
from tests.identity.conftest import CENSUS_ROWS, census_csv


def test_import_stores_only_the_keyed_hash(districts, official):
    result = import_census(data=census_csv(CENSUS_ROWS), imported_by=official)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    key = hashing.secret_material(hashing.CENSUS_KEY_ENV, hashing.CENSUS_KEY_FILE)
    expected = hmac.new(key, b"X1234567A", hashlib.sha256).hexdigest()
    record = CensusRecord.objects.get(document_hash=expected)
    assert (record.district.number, record.birth_date.isoformat()) == (1, "1990-04-01")
    stored = "".join(str(v) for v in CensusRecord.objects.values_list("document_hash", flat=True))
    assert "X1234567A" not in stored and "1234567" not in stored


def test_document_numbers_are_normalised_before_hashing():
    assert hashing.document_hash("x 1234.567-a") == hashing.document_hash("X1234567A")
    assert hashing.document_hash("X1234567A") != hashing.document_hash("X1234567B")
    with pytest.raises(ValueError, match="4 to 32"):
        hashing.document_hash("A1")


def test_the_key_file_is_private(settings):
    hashing.document_hash("X1234567A")
    path = settings.DATA_DIR / "keys" / hashing.CENSUS_KEY_FILE
    assert path.stat().st_mode & 0o777 == 0o600


def test_production_needs_the_census_key_in_the_environment(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.delenv(hashing.CENSUS_KEY_ENV, raising=False)
    with pytest.raises(ImproperlyConfigured, match="POLITY_CENSUS_KEY"):
        hashing.document_hash("X1234567A")
    monkeypatch.setenv(hashing.CENSUS_KEY_ENV, "ab" * 32)
    expected = hmac.new(bytes.fromhex("ab" * 32), b"X1234567A", hashlib.sha256).hexdigest()
    assert hashing.document_hash("X1234567A") == expected
    monkeypatch.setenv(hashing.CENSUS_KEY_ENV, "abcd")
    with pytest.raises(ImproperlyConfigured, match="at least 32 bytes"):
        hashing.document_hash("X1234567A")


def test_a_bad_file_stores_nothing_and_names_every_bad_line(districts, official):
    rows = [
        ("A1111111", 1, "1980-01-01"),  # line 2: fine
        ("??", 1, "1980-01-01"),  # line 3: bad number
        ("B2222222", "x", "1980-01-01"),  # line 4: bad district
        ("C3333333", 2, "01/02/1980"),  # line 5: bad date
        ("a-1111111", 2, "1981-01-01"),  # line 6: same document as line 2 once normalised
        ("D4444444", 2, "2999-01-01"),  # line 7: implausible birth date
    ]
    with pytest.raises(CensusImportError) as refused:
        import_census(data=census_csv(rows), imported_by=official)
    errors = refused.value.errors
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "already on line 2" in errors[3]
    assert not CensusRecord.objects.exists()


def test_unknown_districts_are_refused_with_the_line(districts, official):
    with pytest.raises(CensusImportError, match="line 3: there is no district 9"):
        import_census(
            data=census_csv([("A1111111", 1, "1980-01-01"), ("B2222222", 9, "1980-01-01")]),
            imported_by=official,
        )
    assert not CensusRecord.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"document_number,district\nA1111111,1\n", "header must name exactly"),
        (b"document_number,district,birth_date,name\n", "header must name exactly"),
        (b"document_number,district,birth_date\n", "no census rows"),
        (b"document_number,district,birth_date\nA1111111,1\n", "line 2: expected 3 values"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_malformed_files_are_refused(districts, official, data, message):
    with pytest.raises(CensusImportError, match=message):
        import_census(data=data, imported_by=official)


def test_columns_in_any_order_and_a_bom_are_accepted(districts, official):
    data = "\ufeffbirth_date,Document_Number,district\r\n1990-04-01,X1234567A,1\r\n".encode()
    assert import_census(data=data, imported_by=official).created == 1


def test_reimport_updates_and_counts(districts, official):
    import_census(data=census_csv(CENSUS_ROWS), imported_by=official)
    changed = [CENSUS_ROWS[0], ("Y7654321B", 3, "2009-12-31"), ("N9999999", 2, "2001-01-01")]
    result = import_census(data=census_csv(changed), imported_by=official)
    assert (result.created, result.updated, result.unchanged, result.reverified) == (1, 1, 1, 0)
    assert CensusRecord.objects.count() == 4
