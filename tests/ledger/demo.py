"""A small in-memory Polity log built only from the pure ledger modules, for tests and fixtures.

It plays the parts the Django side will play (sequencer, witnesses, receipt endpoint) so tests can
check the pure pieces end to end.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ledger.checkpoint import Checkpoint, sign_checkpoint
from ledger.cosignature import (
    COSIGNATURE_V1,
    CosignatureSigner,
    CosignatureVerifier,
    add_cosignatures,
    witness_add_checkpoint,
)
from ledger.leaf import Entry
from ledger.note import Ed25519Signer, Ed25519Verifier, generate_signer_key
from ledger.proof import consistency_proof, inclusion_proof
from ledger.receipt import build_receipt
from ledger.tree import MemoryNodeStore, extend_tree

ORIGIN = "polity.example/ledger"
START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def payload(i: int) -> dict:
    return {"tracker": f"trk-{i:05d}", "election": "city-2025", "seq": i}


@dataclass
class Witness:
    signer: CosignatureSigner
    vkey: str
    latest: Checkpoint | None = None


@dataclass
class DemoLog:
    log_skey: str
    log_vkey: str
    witnesses: list[Witness]
    store: MemoryNodeStore = field(default_factory=MemoryNodeStore)
    entries: list[Entry] = field(default_factory=list)
    checkpoints: dict[int, str] = field(default_factory=dict)
    size: int = 0

    @classmethod
    def create(cls, witness_names: tuple[str, ...] = ("auditor.example", "citizens.example")):
        skey, vkey = generate_signer_key(ORIGIN)
        witnesses = []
        for name in witness_names:
            wskey, wvkey = generate_signer_key(name, COSIGNATURE_V1)
            witnesses.append(Witness(CosignatureSigner(wskey), wvkey))
        return cls(skey, vkey, witnesses)

    def append(self, count: int, kind: str = "ballot.cast") -> None:
        """Sequence `count` new entries as one batch and publish a cosigned checkpoint."""
        self.append_entries(
            [
                Entry.create(kind, payload(i), START + timedelta(seconds=i))
                for i in range(len(self.entries), len(self.entries) + count)
            ]
        )

    def append_entries(self, new: list[Entry]) -> None:
        update = extend_tree(self.store, self.size, [e.leaf_hash() for e in new])
        self.store.put_nodes(update.nodes)
        self.entries.extend(new)
        self.size = update.size
        note = sign_checkpoint(Checkpoint(ORIGIN, update.size, update.root), self.signer)
        self.checkpoints[self.size] = self.cosign(note)

    @property
    def signer(self) -> Ed25519Signer:
        return Ed25519Signer(self.log_skey)

    def cosign(self, note: str) -> str:
        """Run each witness on the checkpoint, as the sequencer will, and collect cosignatures."""
        log_key = Ed25519Verifier(self.log_vkey)
        for w in self.witnesses:
            old = w.latest.size if w.latest else 0
            proof = consistency_proof(self.store, old, self.size)
            outcome = witness_add_checkpoint(
                signer=w.signer,
                log_keys=[log_key],
                latest=w.latest,
                old_size=old,
                proof=proof,
                checkpoint_note=note,
                now=1_740_000_000 + self.size,
            )
            assert outcome.accepted, outcome.reason
            w.latest = outcome.checkpoint
            note = add_cosignatures(note, outcome.cosignature.line(), CosignatureVerifier(w.vkey))
        return note

    def receipt(self, index: int, size: int | None = None) -> str:
        size = size or self.size
        proof = inclusion_proof(self.store, index, size)
        return build_receipt(index, proof, self.checkpoints[size], self.entries[index].encode())
