"""The record's view of the ledger: trusted keys, the one checkpoint, and the receipt rule (§4).

The checkpoint's signature and cosignatures are verified once; after that each receipt costs a
parse, a payload digest and an inclusion proof (a few dozen SHA-256 calls), which is what lets a
verifier check every ballot's receipt in a large election.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from ledger.checkpoint import Checkpoint, open_checkpoint
from ledger.cosignature import CosignatureVerifier
from ledger.leaf import Entry, payload_digest
from ledger.merkle import hash_leaf
from ledger.note import Ed25519Verifier, NoteError, open_note
from ledger.proof_verify import verify_inclusion
from ledger.receipt import Receipt, ReceiptError, parse_receipt
from voting.record.format import CheckFailed, exact_keys, listing, string


@dataclass(frozen=True)
class Proven:
    """What an accepted receipt establishes: the entry and its position in the log."""

    index: int
    entry: Entry


class LedgerView:
    def __init__(self, ledger: object, log_key: str | None, witness_keys: Sequence[str] | None):
        self.ledger = ledger
        self.pinned_log_key = log_key
        self.pinned_witnesses = witness_keys
        self.log: Ed25519Verifier | None = None
        self.witnesses: list[CosignatureVerifier] = []
        self.note = ""
        self.tree: Checkpoint | None = None

    def check_keys(self) -> str:
        """``ledger.keys``: the keys parse, and pinned keys agree with the record."""
        led = exact_keys(self.ledger, ("log_key", "witness_keys", "checkpoint"), "ledger")
        record_key = string(led["log_key"], "ledger.log_key")
        record_witnesses = [
            string(w, f"ledger.witness_keys[{i}]")
            for i, w in enumerate(listing(led["witness_keys"], "ledger.witness_keys"))
        ]
        self.note = string(led["checkpoint"], "ledger.checkpoint")
        try:
            self.log = Ed25519Verifier(record_key)
            witnesses = (
                record_witnesses if self.pinned_witnesses is None else list(self.pinned_witnesses)
            )
            self.witnesses = [CosignatureVerifier(w) for w in witnesses]
        except NoteError as exc:
            raise CheckFailed(f"ledger key: {exc}") from None
        if self.pinned_log_key is not None and self.pinned_log_key.strip() != record_key.strip():
            raise CheckFailed("ledger.log_key is not the log key you pinned")
        pinned = "pinned by you" if self.pinned_log_key is not None else "taken from the record"
        return f"log {self.log.name} ({pinned}), {len(self.witnesses)} witness key(s)"

    def check_checkpoint(self) -> str:
        """``ledger.checkpoint``: log signature, origin, and a cosignature from every witness."""
        assert self.log is not None
        try:
            self.tree = open_checkpoint(self.note, self.log).checkpoint
        except ValueError as exc:
            raise CheckFailed(f"ledger.checkpoint: {exc}") from None
        for witness in self.witnesses:
            try:
                open_note(self.note, [witness])
            except NoteError as exc:
                raise CheckFailed(f"ledger.checkpoint: witness {witness.name}: {exc}") from None
        return f"{self.tree.origin} size {self.tree.size}, cosigned by {len(self.witnesses)}"

    def prove(self, receipt: object, kind: str, payload: object, where: str) -> Proven:
        """The receipt rule: ``receipt`` proves an entry of ``kind`` committing to ``payload``."""
        assert self.tree is not None
        parsed = parse(receipt, where)
        if parsed.checkpoint_note != self.note:
            raise CheckFailed(f"{where}: the receipt's checkpoint is not ledger.checkpoint")
        if parsed.extra is None:
            raise CheckFailed(f"{where}: the receipt carries no entry (extra line)")
        try:
            entry = Entry.decode(parsed.extra)
        except ValueError as exc:
            raise CheckFailed(f"{where}: the receipt's entry is malformed: {exc}") from None
        if entry.kind != kind:
            raise CheckFailed(f"{where}: the ledger entry is a {entry.kind!r}, not {kind!r}")
        if payload_digest(payload) != entry.payload_sha256:
            raise CheckFailed(f"{where}: the payload's digest is not the one the ledger holds")
        try:
            verify_inclusion(
                parsed.index, self.tree.size, hash_leaf(parsed.extra), parsed.proof, self.tree.root
            )
        except ValueError as exc:
            raise CheckFailed(f"{where}: {exc}") from None
        return Proven(parsed.index, entry)


def parse(receipt: object, where: str) -> Receipt:
    if not isinstance(receipt, str):
        raise CheckFailed(f"{where} must be the text of a receipt")
    try:
        return parse_receipt(receipt)
    except ReceiptError as exc:
        raise CheckFailed(f"{where}: {exc}") from None


def leaf_index(receipt: object) -> int | None:
    """The leaf index a receipt claims, if it parses at all (for ``ledger.order``)."""
    try:
        return parse(receipt, "receipt").index
    except CheckFailed:
        return None
