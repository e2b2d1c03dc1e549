"""Building the election record and the ledger payloads it is anchored with (spec §2-3, §7).

The deployment calls these with what its database holds; the test factory calls them with what a
pure-Python election produced. Either way the field names, orders and digests are the ones the
verifiers recompute, so a record cannot drift from its spec by hand-assembly.
"""

from collections.abc import Mapping, Sequence

from voting.crypto import BallotSecrets, Contest, EncryptedBallot, EncryptedShare, TrusteePublic
from voting.record.format import RECORD_VERSION, digest

FROZEN, OPENED, CAST, AUDITED, CLOSED, PUBLISHED = (
    "election.frozen",
    "election.opened",
    "ballot.cast",
    "ballot.audited",
    "election.closed",
    "election.published",
)
ANCHOR_KINDS = {"frozen": FROZEN, "opened": OPENED, "closed": CLOSED, "published": PUBLISHED}


def manifest_json(
    election: str,
    title: str,
    scope: str | None,
    contests: Sequence[Contest],
    labels: Sequence[dict],
) -> dict:
    """The manifest (§2.1); ``labels`` is one {"id","title","description","selections"} per contest."""
    return {
        "election": election,
        "title": title,
        "scope": scope,
        "contests": [c.to_json() for c in contests],
        "labels": [dict(label) for label in labels],
    }


def roll_json(election: str, voters: Mapping[str, int]) -> dict:
    """The voter roll (§2.4): aliases sorted, with weights, and its digest."""
    listed = [{"alias": a, "weight": voters[a]} for a in sorted(voters)]
    return {"voters": listed, "sha256": digest({"election": election, "voters": listed})}


def ceremony_json(
    ceremony: bytes,
    threshold: int,
    trustees: Sequence[TrusteePublic],
    shares: Sequence[EncryptedShare] | None = None,
) -> dict:
    """The key ceremony (§2.3); relayed share boxes, when given, are listed by digest only."""
    out = {
        "id": ceremony.hex(),
        "threshold": threshold,
        "trustees": [t.to_json() for t in sorted(trustees, key=lambda t: t.index)],
    }
    if shares is not None:
        out["shares"] = [
            {"sender": s.sender, "recipient": s.recipient, "sha256": digest(s.to_json())}
            for s in sorted(shares, key=lambda s: (s.sender, s.recipient))
        ]
    return out


def result_json(counts: Mapping[str, Mapping[str, int]], ballots: int) -> dict:
    return {"ballots": ballots, "counts": {c: dict(sels) for c, sels in counts.items()}}


def frozen_payload(manifest: dict, context: dict, roll: dict, ceremony: dict) -> dict:
    return {
        "election": manifest["election"],
        "fingerprint": context["fingerprint"],
        "public_key": context["public_key"],
        "manifest_sha256": digest(manifest),
        "roll_sha256": roll["sha256"],
        "ceremony_sha256": digest(ceremony),
    }


def opened_payload(election: str, fingerprint: str) -> dict:
    return {"election": election, "fingerprint": fingerprint}


def cast_payload(election: str, tracker: str) -> dict:
    return {"election": election, "tracker": tracker}


def audited_payload(election: str, tracker: str) -> dict:
    return {"election": election, "tracker": tracker}


def closed_payload(election: str, trackers: Sequence[str]) -> dict:
    """Commits, at close, to exactly the set of cast trackers (order-independent)."""
    return {
        "election": election,
        "ballots": len(trackers),
        "trackers_sha256": digest(sorted(trackers)),
    }


def published_payload(
    election: str, tally: dict, decryptions: Sequence[dict], result: dict
) -> dict:
    return {
        "election": election,
        "tally_sha256": digest(tally),
        "decryptions_sha256": digest(list(decryptions)),
        "result_sha256": digest(result),
    }


def _ballot_json(ballot: EncryptedBallot | dict) -> dict:
    return ballot.to_json() if isinstance(ballot, EncryptedBallot) else ballot


def cast_entry(ballot: EncryptedBallot | dict, *, cast_at: str, receipt: str) -> dict:
    """One element of ``ballots``; ``superseded`` is filled in by ``assemble_record``."""
    wire = _ballot_json(ballot)
    return {
        "alias": wire["voter"],
        "ballot": wire,
        "tracker": EncryptedBallot.from_json(wire).tracker,
        "cast_at": cast_at,
        "superseded": False,
        "receipt": receipt,
    }


def audited_entry(
    ballot: EncryptedBallot | dict,
    secrets: BallotSecrets | dict,
    *,
    audited_at: str,
    receipt: str,
) -> dict:
    wire = _ballot_json(ballot)
    return {
        "alias": wire["voter"],
        "ballot": wire,
        "tracker": EncryptedBallot.from_json(wire).tracker,
        "secrets": secrets.to_json() if isinstance(secrets, BallotSecrets) else secrets,
        "audited_at": audited_at,
        "receipt": receipt,
    }


def anchor_json(kind: str, payload: dict, receipt: str) -> dict:
    return {"kind": kind, "payload": payload, "receipt": receipt}


def counted(ballots: Sequence[dict]) -> list[int]:
    """Positions of the ballots that count: the last one of each alias (ledger order)."""
    last = {b["alias"]: i for i, b in enumerate(ballots)}
    return sorted(last.values())


def assemble_record(
    *,
    manifest: dict,
    context: dict,
    ceremony: dict,
    roll: dict,
    ballots: Sequence[dict],
    audited: Sequence[dict],
    tally: dict,
    decryptions: Sequence[dict],
    result: dict,
    anchors: Mapping[str, dict],
    log_key: str,
    witness_keys: Sequence[str],
    checkpoint: str,
    other_anchors: Sequence[dict] = (),
) -> dict:
    """The whole record (§2). ``ballots`` must be in ledger order; superseded flags are set here."""
    if set(anchors) != set(ANCHOR_KINDS):
        raise ValueError(f"anchors must be exactly {sorted(ANCHOR_KINDS)}")
    keep = set(counted(ballots))
    listed = [{**b, "superseded": i not in keep} for i, b in enumerate(ballots)]
    anchor_map: dict = {role: anchors[role] for role in ANCHOR_KINDS}
    if other_anchors:
        anchor_map["other"] = list(other_anchors)
    return {
        "version": RECORD_VERSION,
        "election": manifest["election"],
        "manifest": manifest,
        "context": context,
        "ceremony": ceremony,
        "roll": roll,
        "ballots": listed,
        "audited": list(audited),
        "tally": tally,
        "decryptions": list(decryptions),
        "result": result,
        "anchors": anchor_map,
        "ledger": {
            "log_key": log_key,
            "witness_keys": list(witness_keys),
            "checkpoint": checkpoint,
        },
    }
