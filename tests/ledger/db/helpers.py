"""Witnesses for database tests: a registered Witness row and the signer that plays it."""

from ledger import cosigning, selectors, services
from ledger.checkpoint import Checkpoint as CheckpointBody
from ledger.cosignature import COSIGNATURE_V1, CosignatureSigner
from ledger.models import Checkpoint, Cosignature, Witness
from ledger.note import generate_signer_key


def sequenced(size: int) -> Checkpoint:
    """Sequence what is pending and return the checkpoint of the whole log, of ``size`` entries.

    In a transactional test the appends commit, so a running worker may sequence them first
    (``sequence_pending`` then waits for it and finds nothing left): read the latest checkpoint.
    """
    services.sequence_pending()
    checkpoint = selectors.latest_checkpoint()
    assert checkpoint is not None and checkpoint.size == size, checkpoint
    return checkpoint


def make_witness(name: str, url: str = "") -> tuple[Witness, CosignatureSigner]:
    skey, vkey = generate_signer_key(name, COSIGNATURE_V1)
    witness = cosigning.register_witness(verifier_key=vkey, label=f"Partner {name}", url=url)
    return witness, CosignatureSigner(skey)


def cosign(checkpoint: Checkpoint, witness: Witness, signer: CosignatureSigner) -> Cosignature:
    """Store `signer`'s cosignature as if the witness had answered it over HTTP."""
    body = CheckpointBody.parse(checkpoint.note.split("\n\n", 1)[0] + "\n")
    line = signer.cosign(body, 1_750_000_000).line()
    return cosigning.store_cosignature(witness, checkpoint, line)
