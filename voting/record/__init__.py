"""The election record: building it, and verifying it from start to finish (pure, no Django).

docs/spec/election-record.md is the specification. The deployment assembles a record with the
builders below; anyone verifies one with ``verify_record`` or ``python -m voting.verify``.
"""

from voting.record.build import (
    ANCHOR_KINDS,
    anchor_json,
    assemble_record,
    audited_entry,
    audited_payload,
    cast_entry,
    cast_payload,
    ceremony_json,
    closed_payload,
    counted,
    frozen_payload,
    manifest_json,
    opened_payload,
    published_payload,
    result_json,
    roll_json,
)
from voting.record.format import RECORD_VERSION, RecordError, ceremony_id, digest
from voting.record.report import Check, Report
from voting.record.verifier import load_record, verify_record

__all__ = [
    "ANCHOR_KINDS",
    "RECORD_VERSION",
    "Check",
    "RecordError",
    "Report",
    "anchor_json",
    "assemble_record",
    "audited_entry",
    "audited_payload",
    "cast_entry",
    "cast_payload",
    "ceremony_id",
    "ceremony_json",
    "closed_payload",
    "counted",
    "digest",
    "frozen_payload",
    "load_record",
    "manifest_json",
    "opened_payload",
    "published_payload",
    "result_json",
    "roll_json",
    "verify_record",
]
