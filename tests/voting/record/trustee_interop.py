"""Python trustees for the mixed JS/Python key ceremony test (frontend/test/trustee.test.mjs).

    .venv/bin/python -m tests.voting.record.trustee_interop COMMAND < request.json

Each command reads one JSON object on stdin and writes one on stdout. Trustee secrets travel only
as trustee secret files (voting/trustee_file.py), the way ``manage.py trustee`` keeps them.
"""

import json
import sys

from voting.crypto import (
    Contest,
    CryptoError,
    ElectionContext,
    EncryptedShare,
    EncryptedTally,
    PartialDecryption,
    ShareError,
    TrusteePublic,
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
    verify_trustee_public,
)
from voting.record import ceremony_id
from voting.trustee_file import TrusteeFile, TrusteeFileError, dump_trustee_file, load_trustee_file

CONTESTS = (Contest("mayor", ("alice", "bob", "carol")), Contest("budget", ("a", "b"), max_votes=2))
VOTES = [{"mayor": {"bob": 1}}, {"mayor": {"bob": 1}, "budget": {"a": 1, "b": 1}}, {}]


def _publics(req: dict) -> list[TrusteePublic]:
    return [TrusteePublic.from_json(p) for p in req["publics"]]


def cmd_ceremony_id(req: dict) -> dict:
    trustees = [tuple(t) for t in req["trustees"]]
    return {"id": ceremony_id(req["election"], req["threshold"], trustees).hex()}


def cmd_generate(req: dict) -> dict:
    ceremony = bytes.fromhex(req["ceremony"])
    secret, public = generate_trustee(ceremony, req["index"], req["name"], req["threshold"])
    tf = TrusteeFile(req["election"], ceremony, req["threshold"], secret)
    return {"public": public.to_json(), "file": dump_trustee_file(tf)}


def cmd_verify_trustee(req: dict) -> dict:
    try:
        verify_trustee_public(
            bytes.fromhex(req["ceremony"]), TrusteePublic.from_json(req["public"]), req["threshold"]
        )
        return {"ok": True}
    except ShareError as exc:
        return {"ok": False, "trustee": exc.trustee, "reason": str(exc)}


def cmd_deal(req: dict) -> dict:
    tf = load_trustee_file(req["file"])
    return {"boxes": [b.to_json() for b in deal_shares(tf.ceremony, tf.secret, _publics(req))]}


def cmd_receive(req: dict) -> dict:
    tf = load_trustee_file(req["file"])
    publics = {p.index: p for p in _publics(req)}
    try:
        got = {}
        for box in map(EncryptedShare.from_json, req["boxes"]):
            if box.recipient == tf.secret.index:
                got[box.sender] = receive_share(tf.ceremony, tf.secret, publics[box.sender], box)
    except ShareError as exc:
        return {
            "ok": False,
            "trustee": exc.trustee,
            "trustee_name": exc.trustee_name,
            "reason": str(exc),
        }
    share = combine_key_share(tf.secret, got)
    done = TrusteeFile(tf.election, tf.ceremony, tf.threshold, tf.secret, share)
    return {"ok": True, "file": dump_trustee_file(done)}


def cmd_election(req: dict) -> dict:
    key = joint_public_key(_publics(req))
    ctx = ElectionContext(election_fingerprint("mixed", CONTESTS, key), key, CONTESTS)
    ballots = [encrypt_ballot(ctx, f"voter-{i}", v)[0] for i, v in enumerate(VOTES)]
    return {
        "context": ctx.to_json(),
        "tally": aggregate(ctx, ballots).to_json(),
        "expected": {"mayor": {"alice": 0, "bob": 2, "carol": 0}, "budget": {"a": 1, "b": 1}},
    }


def cmd_partial(req: dict) -> dict:
    tf = load_trustee_file(req["file"])
    ctx = ElectionContext.from_json(req["context"])
    tally = EncryptedTally.from_json(req["tally"])
    return partial_decrypt(ctx, tally, tf.secret.index, tf.key_share).to_json()


def cmd_decrypt(req: dict) -> dict:
    try:
        ctx = ElectionContext.from_json(req["context"])
        partials = [PartialDecryption.from_json(p) for p in req["partials"]]
        tally = EncryptedTally.from_json(req["tally"])
        counts = decrypt_tally(ctx, tally, partials, _publics(req), req["threshold"])
        return {"ok": True, "counts": counts}
    except CryptoError as exc:
        return {"ok": False, "reason": str(exc)}


def cmd_read_file(req: dict) -> dict:
    try:
        tf = load_trustee_file(req["text"], req.get("passphrase"))
    except TrusteeFileError as exc:
        return {"ok": False, "reason": str(exc)}
    return {"ok": True, "file": tf.to_json()}


def cmd_write_file(req: dict) -> dict:
    tf = TrusteeFile.from_json(req["file"])
    return {"text": dump_trustee_file(tf, req.get("passphrase"), iterations=req["iterations"])}


def main() -> None:
    command = "cmd_" + sys.argv[1].replace("-", "_")
    json.dump(globals()[command](json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
