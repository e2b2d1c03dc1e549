"""Offline receipt verifier: ``python -m ledger.verify RECEIPT --key VERIFIER_KEY [...]``.

Needs only this package's pure modules, ``cryptography`` and the standard library. It checks, and
prints one line per check:

1. the receipt is a well-formed c2sp.org/tlog-proof;
2. its checkpoint is signed by the log key, and the origin is that key's name;
3. each given witness key cosigned it (cosignature/v1), and at least N of them did;
4. the ``extra`` line is a Polity ledger entry (and matches ``--payload`` when given);
5. the entry's leaf hash is included at the receipt's index in the checkpoint's tree;
6. with ``--checkpoint`` (a signed checkpoint saved earlier, e.g. from /ledger/checkpoint) and
   ``--consistency`` (the proof between the two sizes, from the log's API): the log is append-only
   between the two. This is what catches a log that was truncated, reordered or rewritten after
   you saved your checkpoint: a different root at the same size is a fork, and a proof between
   different sizes cannot exist unless the smaller tree is a prefix of the larger one.

Exit status: 0 when every required check passes, 1 when one fails, 2 on bad usage or unreadable
files.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from ledger.cosignature import CosignatureVerifier, cosignature_time
from ledger.leaf import Entry, EntryError, payload_digest
from ledger.merkle import hash_leaf
from ledger.note import Ed25519Verifier, NoteError, open_note
from ledger.proof_verify import ProofError, verify_consistency, verify_inclusion
from ledger.receipt import ReceiptError, parse_proof_lines, parse_receipt


@dataclass(frozen=True)
class Check:
    """One line of the report. A check with ``required=False`` informs but cannot fail the run."""

    name: str
    ok: bool
    detail: str
    required: bool = True


def receipt_verified(checks: Sequence[Check]) -> bool:
    return bool(checks) and all(c.ok for c in checks if c.required)


def verify_receipt(
    receipt_text: str | bytes,
    *,
    log_key: str,
    witness_keys: Sequence[str] = (),
    min_witnesses: int | None = None,
    earlier_checkpoint: str | None = None,
    consistency_proof: Sequence[bytes] | None = None,
    payload: object = None,
) -> list[Check]:
    """Run every check on a receipt and return them in order (see the module docstring).

    `min_witnesses` defaults to all of `witness_keys`. `payload`, when not None, is the JSON value
    the entry should commit to.
    """
    checks: list[Check] = []
    try:
        receipt = parse_receipt(receipt_text)
    except ReceiptError as exc:
        return [Check("receipt format", False, str(exc))]
    checks.append(
        Check("receipt format", True, f"leaf index {receipt.index}, {len(receipt.proof)} hashes")
    )
    try:
        log = Ed25519Verifier(log_key)
    except NoteError as exc:
        return [*checks, Check("log key", False, str(exc))]
    try:
        signed = open_checkpoint(receipt.checkpoint_note, log)
    except CheckpointError as exc:
        return [*checks, Check("log signature", False, str(exc))]
    cp = signed.checkpoint
    checks.append(
        Check("log signature", True, f"{cp.origin} signed size {cp.size}, root {cp.root.hex()}")
    )
    checks.extend(_witness_checks(receipt.checkpoint_note, witness_keys, min_witnesses))
    leaf_hash = None
    if receipt.extra is None:
        checks.append(Check("entry", False, "receipt has no extra line with the entry"))
    else:
        leaf_hash = hash_leaf(receipt.extra)
        checks.extend(_entry_checks(receipt.extra, payload))
    if leaf_hash is not None:
        try:
            verify_inclusion(receipt.index, cp.size, leaf_hash, receipt.proof, cp.root)
            checks.append(
                Check("inclusion", True, f"leaf {receipt.index} is in the tree of size {cp.size}")
            )
        except ProofError as exc:
            checks.append(Check("inclusion", False, str(exc)))
    if earlier_checkpoint is not None:
        checks.extend(_history_checks(cp, log, earlier_checkpoint, consistency_proof))
    return checks


def _witness_checks(note: str, keys: Sequence[str], minimum: int | None) -> list[Check]:
    checks, cosigned = [], 0
    for vkey in keys:
        try:
            witness = CosignatureVerifier(vkey)
        except NoteError as exc:
            checks.append(Check("witness key", False, str(exc)))
            continue
        try:
            sig = open_note(note, [witness]).verified[0]
        except NoteError as exc:
            missing = str(exc).startswith("no signature from a trusted key")
            detail = "no cosignature in this checkpoint" if missing else str(exc)
            checks.append(Check(f"witness {witness.name}", False, detail, required=not missing))
            continue
        cosigned += 1
        checks.append(
            Check(f"witness {witness.name}", True, f"cosigned at {cosignature_time(sig)} (unix)")
        )
    needed = len(keys) if minimum is None else minimum
    if needed or keys:
        checks.append(
            Check("witness quorum", cosigned >= needed, f"{cosigned} of {needed} required")
        )
    return checks


def _entry_checks(extra: bytes, payload: object) -> list[Check]:
    try:
        entry = Entry.decode(extra)
    except EntryError as exc:
        return [Check("entry", False, f"extra data is not a ledger entry: {exc}")]
    checks = [
        Check(
            "entry",
            True,
            f"kind {entry.kind}, time {entry.time}, payload sha256 {entry.payload_sha256.hex()}",
        )
    ]
    if payload is not None:
        try:
            ok = payload_digest(payload) == entry.payload_sha256
            detail = "matches the entry" if ok else "digest differs from the entry's"
        except EntryError as exc:
            ok, detail = False, str(exc)
        checks.append(Check("payload", ok, detail))
    return checks


def _history_checks(
    cp: Checkpoint, log: Ed25519Verifier, earlier_note: str, proof: Sequence[bytes] | None
) -> list[Check]:
    try:
        earlier = open_checkpoint(earlier_note, log).checkpoint
    except CheckpointError as exc:
        return [Check("earlier checkpoint", False, str(exc))]
    checks = [Check("earlier checkpoint", True, f"size {earlier.size}, signed by {log.name}")]
    old, new = sorted([earlier, cp], key=lambda c: c.size)
    if old.size == 0:
        checks.append(Check("append-only", True, "the earlier tree is empty"))
        return checks
    try:
        verify_consistency(old.size, new.size, proof or [], old.root, new.root)
    except ProofError as exc:
        return [*checks, Check("append-only", False, str(exc))]
    detail = (
        f"same tree at size {new.size}"
        if old.size == new.size
        else f"size {new.size} extends size {old.size}: nothing before {old.size} changed"
    )
    return [*checks, Check("append-only", True, detail)]


def _read_key(value: str) -> str:
    path = Path(value)
    return path.read_text().strip() if "+" not in value or path.is_file() else value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ledger.verify", description="Verify a Polity ledger receipt offline."
    )
    parser.add_argument("receipt", help="the .tlog-proof file")
    parser.add_argument("--key", required=True, help="log verifier key, or a file holding it")
    parser.add_argument(
        "--witness", action="append", default=[], help="witness verifier key, or a file (repeat)"
    )
    parser.add_argument("--min-witnesses", type=int, default=None, help="default: every --witness")
    parser.add_argument("--checkpoint", help="a signed checkpoint you saved earlier")
    parser.add_argument("--consistency", help="file of base64 hashes: proof between the two sizes")
    parser.add_argument("--payload", help="JSON file with the payload the entry should commit to")
    args = parser.parse_args(argv)
    try:
        receipt = Path(args.receipt).read_bytes()
        log_key = _read_key(args.key)
        witnesses = [_read_key(w) for w in args.witness]
        earlier = Path(args.checkpoint).read_text() if args.checkpoint else None
        proof = parse_proof_lines(Path(args.consistency).read_text()) if args.consistency else None
        payload = json.loads(Path(args.payload).read_text()) if args.payload else None
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    checks = verify_receipt(
        receipt,
        log_key=log_key,
        witness_keys=witnesses,
        min_witnesses=args.min_witnesses,
        earlier_checkpoint=earlier,
        consistency_proof=proof,
        payload=payload,
    )
    for check in checks:
        mark = "PASS" if check.ok else ("FAIL" if check.required else "MISS")
        print(f"{mark}  {check.name}: {check.detail}")
    ok = receipt_verified(checks)
    failed = sum(1 for c in checks if c.required and not c.ok)
    print("receipt verified" if ok else f"receipt NOT verified: {failed} check(s) failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
