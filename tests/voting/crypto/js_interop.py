"""Python side of the JS/Python interoperability tests (driven by frontend/test/ballot.test.mjs).

    .venv/bin/python -m tests.voting.crypto.js_interop context          -> election record JSON
    .venv/bin/python -m tests.voting.crypto.js_interop encrypt  < {context, voter, choices}
    .venv/bin/python -m tests.voting.crypto.js_interop verify   < {context, ballot[, secrets]}
    .venv/bin/python -m tests.voting.crypto.js_interop tally-record      -> full decrypted record

Reads JSON on stdin, writes one JSON object on stdout.
"""

import json
import sys

from voting.crypto import (
    BallotSecrets,
    Contest,
    CryptoError,
    ElectionContext,
    EncryptedBallot,
    G,
    Scalar,
    aggregate,
    combine_key_share,
    deal_shares,
    decrypt_tally,
    election_fingerprint,
    encrypt_ballot,
    generate_trustee,
    joint_public_key,
    partial_decrypt,
    receive_share,
    verify_audited_ballot,
    verify_ballot,
)

CONTESTS = (
    Contest("mayor", ("alice", "bob", "carol", "dave", "erin")),
    Contest("council", ("f", "g", "h", "i"), max_votes=2),
    Contest("budget", ("parks", "roads"), max_votes=3, max_per_selection=2),
)


def context() -> dict:
    key = G * Scalar.random_nonzero()
    return ElectionContext(election_fingerprint("interop", CONTESTS, key), key, CONTESTS).to_json()


def encrypt(req: dict) -> dict:
    ctx = ElectionContext.from_json(req["context"])
    ballot, secrets = encrypt_ballot(ctx, req["voter"], req["choices"])
    return {"ballot": ballot.to_json(), "secrets": secrets.to_json(), "tracker": ballot.tracker}


def verify(req: dict) -> dict:
    try:
        ctx = ElectionContext.from_json(req["context"])
        ballot = EncryptedBallot.from_json(req["ballot"])
        verify_ballot(ctx, ballot)
        out = {"ok": True, "tracker": ballot.tracker}
        if "secrets" in req:
            out["choices"] = verify_audited_ballot(
                ctx, ballot, BallotSecrets.from_json(req["secrets"])
            )
        return out
    except CryptoError as error:
        return {"ok": False, "reason": str(error)}


def tally_record() -> dict:
    ceremony = b"interop-ceremony"
    threshold, names = 2, ["ada", "bo", "cy"]
    pairs = [generate_trustee(ceremony, i + 1, n, threshold) for i, n in enumerate(names)]
    publics = [p for _, p in pairs]
    boxes = [b for s, _ in pairs for b in deal_shares(ceremony, s, publics)]
    shares = {}
    for s, _ in pairs:
        got = {
            b.sender: receive_share(ceremony, s, publics[b.sender - 1], b)
            for b in boxes
            if b.recipient == s.index
        }
        shares[s.index] = combine_key_share(s, got)
    key = joint_public_key(publics)
    ctx = ElectionContext(election_fingerprint("interop-tally", CONTESTS, key), key, CONTESTS)
    votes = [
        {"mayor": {"bob": 1}},
        {"mayor": {"bob": 1}, "budget": {"parks": 2}},
        {"council": {"f": 1, "i": 1}},
    ]
    ballots = [encrypt_ballot(ctx, f"v{i}", v)[0] for i, v in enumerate(votes)]
    tally = aggregate(ctx, ballots)
    partials = [partial_decrypt(ctx, tally, i, shares[i]) for i in (1, 3)]
    counts = decrypt_tally(ctx, tally, partials, publics, threshold)
    return {
        "context": ctx.to_json(),
        "ceremony": ceremony.hex(),
        "threshold": threshold,
        "trustees": [p.to_json() for p in publics],
        "ballots": [b.to_json() for b in ballots],
        "tally": tally.to_json(),
        "partials": [p.to_json() for p in partials],
        "counts": counts,
    }


def main() -> None:
    command = sys.argv[1]
    if command == "context":
        out = context()
    elif command == "tally-record":
        out = tally_record()
    else:
        req = json.load(sys.stdin)
        out = {"encrypt": encrypt, "verify": verify}[command](req)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
