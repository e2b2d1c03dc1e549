"""Tampered variants of a factory record: one changed field each, and the check that must name it.

Shared by the Python tests and the JS tests (through ``tests.voting.record.fixtures``), so both
verifiers face exactly the same edits.
"""

import copy
from dataclasses import dataclass

from ledger.note import generate_signer_key
from tests.voting.reprove import reprove
from voting.crypto import BallotSecrets, ElectionContext, EncryptedBallot, G, Scalar
from voting.crypto.curve import Q
from voting.crypto.group import point_to_hex


@dataclass(frozen=True)
class Tamper:
    id: str
    path: tuple
    value: object
    expect: str

    def apply(self, record: dict) -> dict:
        out = copy.deepcopy(record)
        target = out
        for key in self.path[:-1]:
            target = target[key]
        target[self.path[-1]] = copy.deepcopy(self.value)
        return out

    def to_json(self) -> dict:
        return {"id": self.id, "path": list(self.path), "value": self.value, "expect": self.expect}


def get(record: dict, path: tuple):
    for key in path:
        record = record[key]
    return record


def bump(hex_scalar: str) -> str:
    return f"{(int(hex_scalar, 16) + 1) % Q:064x}"


def off_curve(hex_point: str) -> str:
    """Same length, valid hex, but (almost surely) not a point on the curve."""
    last = "1" if hex_point[-1] != "1" else "2"
    return hex_point[:-1] + last


def swap(items: list, i: int, j: int) -> list:
    out = list(items)
    out[i], out[j] = out[j], out[i]
    return out


def _receipt_with_bad_hash(receipt: str) -> str:
    lines = receipt.split("\n")
    # line 0 header, 1 extra, 2 index, 3 first proof hash
    h = lines[3]
    lines[3] = ("B" if h[0] != "B" else "C") + h[1:]
    return "\n".join(lines)


def _checkpoint_with_bad_root(note: str) -> str:
    lines = note.split("\n")
    root = lines[2]
    lines[2] = ("A" if root[0] != "A" else "B") + root[1:]
    return "\n".join(lines)


def _reproven_audit(record: dict, i: int) -> dict:
    """audited[i]'s ciphertexts proven afresh from its revealed secrets: a valid, new ballot."""
    item = record["audited"][i]
    ctx = ElectionContext.from_json(record["context"])
    ballot = EncryptedBallot.from_json(item["ballot"])
    return reprove(ctx, ballot, BallotSecrets.from_json(item["secrets"])).to_json()


def cases(record: dict) -> list[Tamper]:
    """The tamper list for a record from ``factory.build_election()`` (default shape)."""
    other = point_to_hex(G * Scalar.random_nonzero())
    ballots = record["ballots"]
    sel = ("ballots", 2, "ballot", "contests", 0, "selections")
    vote = ("audited", 0, "secrets", "contests", 0, "selections", 0, "vote")
    _, stranger_key = generate_signer_key("polity.example/ledger")
    t = Tamper
    return [
        t("ballot-ciphertext", (*sel, 1, "alpha"), other, "ballot[2].proofs"),
        t("ballot-proof-response", (*sel, 0, "proof", 1, "v"),
          bump(get(record, (*sel, 0, "proof", 1, "v"))), "ballot[2].proofs"),
        t("contest-proof-challenge", ("ballots", 3, "ballot", "contests", 1, "proof", 0, "c"),
          bump(ballots[3]["ballot"]["contests"][1]["proof"][0]["c"]), "ballot[3].proofs"),
        t("ballot-not-a-point", (*sel, 0, "beta"), off_curve(get(record, (*sel, 0, "beta"))),
          "ballot[2].format"),
        t("ballot-election", ("ballots", 2, "ballot", "election"), "00" * 32, "ballot[2].proofs"),
        t("ballot-voter", ("ballots", 4, "ballot", "voter"), ballots[5]["alias"],
          "ballot[4].voter"),
        t("ballot-alias", ("ballots", 5, "alias"), ballots[4]["alias"], "ballot[5].voter"),
        t("tracker", ("ballots", 1, "tracker"), ballots[0]["tracker"], "ballot[1].tracker"),
        t("superseded-flag", ("ballots", 0, "superseded"), False, "ballots.last_counts"),
        t("counted-flag", ("ballots", 7, "superseded"), True, "ballots.last_counts"),
        t("cast-time", ("ballots", 3, "cast_at"), "2025-03-01T10:00:00.000000Z",
          "ballot[3].receipt"),
        t("receipt-swapped", ("ballots", 0, "receipt"), ballots[1]["receipt"],
          "ballot[0].receipt"),
        t("receipt-proof-hash", ("ballots", 5, "receipt"),
          _receipt_with_bad_hash(ballots[5]["receipt"]), "ballot[5].receipt"),
        t("ballot-dropped", ("ballots",), ballots[:-1], "ledger.anchor.closed"),
        t("ballots-reordered", ("ballots",), swap(ballots, 3, 4), "ledger.order"),
        t("roll-weight", ("roll", "voters", 0, "weight"), 2, "roll.hash"),
        t("roll-alias", ("roll", "voters", 2, "alias"),
          record["roll"]["voters"][2]["alias"] + "x", "roll.hash"),
        t("trustee-commitment", ("ceremony", "trustees", 1, "commitments", 0), other,
          "ceremony.trustee[2]"),
        t("trustee-proof", ("ceremony", "trustees", 0, "proofs", 1, "v"),
          bump(record["ceremony"]["trustees"][0]["proofs"][1]["v"]), "ceremony.trustee[1]"),
        t("trustee-name", ("ceremony", "trustees", 2, "name"), "mallory", "ceremony.id"),
        t("ceremony-threshold", ("ceremony", "threshold"), 3, "ceremony.id"),
        t("partial-share", ("decryptions", 0, "shares", 0, "m"), other,
          "decryption.partial[1]"),
        t("partial-proof", ("decryptions", 1, "shares", 2, "proof", "v"),
          bump(record["decryptions"][1]["shares"][2]["proof"]["v"]), "decryption.partial[3]"),
        t("partials-dropped", ("decryptions",), record["decryptions"][:1], "decryption.format"),
        t("tally-ciphertext", ("tally", "contests", 0, "selections", 0, "beta"), other,
          "tally.aggregate"),
        t("tally-ballots", ("tally", "ballots"), record["tally"]["ballots"] + 1,
          "tally.aggregate"),
        t("result-count", ("result", "counts", "mayor", "alice"),
          record["result"]["counts"]["mayor"]["alice"] + 1, "result.counts"),
        t("result-ballots", ("result", "ballots"), record["result"]["ballots"] + 1,
          "result.ballots"),
        t("manifest-title", ("manifest", "title"), "Another election", "ledger.anchor.frozen"),
        t("manifest-label", ("manifest", "labels", 0, "selections", 0, "label"), "Somebody",
          "ledger.anchor.frozen"),
        t("manifest-limit", ("manifest", "contests", 0, "max_votes"), 2, "manifest.context"),
        t("public-key", ("context", "public_key"), other, "manifest.fingerprint"),
        t("frozen-payload", ("anchors", "frozen", "payload", "roll_sha256"), "00" * 32,
          "ledger.anchor.frozen"),
        t("published-payload", ("anchors", "published", "payload", "result_sha256"), "00" * 32,
          "ledger.anchor.published"),
        t("anchor-receipt", ("anchors", "opened", "receipt"),
          record["anchors"]["closed"]["receipt"], "ledger.anchor.opened"),
        t("other-anchor", ("anchors", "other", 0, "payload", "ballots"),
          record["anchors"]["other"][0]["payload"]["ballots"] + 1, "ledger.anchor.other[0]"),
        t("checkpoint-root", ("ledger", "checkpoint"),
          _checkpoint_with_bad_root(record["ledger"]["checkpoint"]), "ledger.checkpoint"),
        t("log-key", ("ledger", "log_key"), stranger_key, "ledger.checkpoint"),
        t("audit-vote", vote, 1 - get(record, vote), "audited[0].reveal"),
        t("audit-time", ("audited", 0, "audited_at"), "2025-03-01T10:00:00.000000Z",
          "audited[0].receipt"),
        t("audit-cast", ("audited", 1, "tracker"), ballots[2]["tracker"], "audited[1].tracker"),
        # ballots[0] is the vote of audited[0]'s voter: replaced by the audit re-proven
        t("audit-recast", ("ballots", 0, "ballot"), _reproven_audit(record, 0),
          "audited.never_cast"),
    ]  # fmt: skip
