"""A whole small election in pure Python, ending in an election record (docs/spec/election-record.md).

It plays every part the deployment plays: trustees run the key ceremony, voters cast (and some
revote), some audit a ballot, the ledger anchors every step (the in-memory log of
``tests.ledger.demo``), the tally is summed, k of n trustees decrypt, and the record is assembled
with ``voting.record``'s builders, exactly as the Django side will do from its database.
"""

import functools
import random
from dataclasses import dataclass, field
from datetime import timedelta

from ledger.leaf import Entry
from tests.ledger.demo import START, DemoLog
from tests.voting.reprove import reprove
from voting.crypto import (
    Contest,
    ElectionContext,
    EncryptedBallot,
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
)
from voting.record import (
    anchor_json,
    assemble_record,
    audited_entry,
    audited_payload,
    cast_entry,
    cast_payload,
    ceremony_id,
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

ELECTION = "city-2026"
CONTESTS = (
    Contest("mayor", ("alice", "bob", "carol")),
    Contest("council", ("dana", "eli", "fay", "gus"), max_votes=2),
)
MAYOR_ONLY = (CONTESTS[0],)
TRUSTEES = ("ada", "bo", "cy")


@dataclass
class Election:
    """The record and what only the participants know (for tests that act as them)."""

    record: dict
    ctx: ElectionContext
    key_shares: dict[int, Scalar]
    expected: dict[str, dict[str, int]]
    log: DemoLog
    timeline: list[Entry] = field(default_factory=list)


def labels_for(contests: tuple[Contest, ...]) -> list[dict]:
    return [
        {
            "id": c.id,
            "title": c.id.title(),
            "description": f"Choose up to {c.max_votes}.",
            "selections": [{"id": s, "label": s.title()} for s in c.selections],
        }
        for c in contests
    ]


def run_ceremony(threshold: int, names: tuple[str, ...] = TRUSTEES):
    """Every trustee generates, deals and receives shares; returns publics, boxes, key shares."""
    ceremony = ceremony_id(ELECTION, threshold, list(enumerate(names, 1)))
    pairs = [generate_trustee(ceremony, i, n, threshold) for i, n in enumerate(names, 1)]
    publics = [p for _, p in pairs]
    boxes = [b for s, _ in pairs for b in deal_shares(ceremony, s, publics)]
    shares = {}
    for secret, _ in pairs:
        got = {
            b.sender: receive_share(ceremony, secret, publics[b.sender - 1], b)
            for b in boxes
            if b.recipient == secret.index
        }
        shares[secret.index] = combine_key_share(secret, got)
    return ceremony, publics, boxes, shares


def build_election(
    *,
    voters: int = 6,
    revotes: int = 2,
    audits: int = 2,
    weighted: bool = False,
    threshold: int = 2,
    decrypting: tuple[int, ...] = (1, 3),
    contests: tuple[Contest, ...] = CONTESTS,
    seed: int = 7,
    recast: bool = False,
) -> Election:
    """``recast``: the first auditing voter then also casts their audited ballot re-proven (the
    same ciphertexts under fresh proofs and a new tracker), which only check 30 can tell."""
    rng = random.Random(seed)
    ceremony, publics, boxes, key_shares = run_ceremony(threshold)
    key = joint_public_key(publics)
    ctx = ElectionContext(election_fingerprint(ELECTION, contests, key), key, contests)
    context = ctx.to_json()
    manifest = manifest_json(ELECTION, "City election 2026", None, contests, labels_for(contests))
    aliases = [f"voter-{i:05d}" for i in range(voters)]
    weights = {a: (1 + i % 3 if weighted else 1) for i, a in enumerate(aliases)}
    roll = roll_json(ELECTION, weights)
    cer = ceremony_json(ceremony, threshold, publics, boxes)

    log = DemoLog.create()
    timeline: list[tuple[str, dict]] = []

    def log_entry(kind: str, payload: dict) -> int:
        timeline.append((kind, payload))
        return len(timeline) - 1

    frozen = frozen_payload(manifest, context, roll, cer)
    opened = opened_payload(ELECTION, context["fingerprint"])
    anchor_at = {"frozen": log_entry("election.frozen", frozen)}
    anchor_at["opened"] = log_entry("election.opened", opened)

    casts: list[tuple[EncryptedBallot, int]] = []
    audited: list[tuple[EncryptedBallot, object, int]] = []
    choices_of: dict[str, dict] = {}
    order = aliases + aliases[:revotes]
    for n, alias in enumerate(order):
        if n < audits:
            spoiled, secrets = encrypt_ballot(ctx, alias, _choices(rng, contests))
            at = log_entry("ballot.audited", audited_payload(ELECTION, spoiled.tracker))
            audited.append((spoiled, secrets, at))
        choices = _choices(rng, contests)
        ballot, _ = encrypt_ballot(ctx, alias, choices)
        choices_of[alias] = choices
        casts.append((ballot, log_entry("ballot.cast", cast_payload(ELECTION, ballot.tracker))))
        if recast and n == 0 and audits:
            copy = reprove(ctx, *audited[0][:2])
            choices_of[alias] = audited[0][1].choices()
            casts.append((copy, log_entry("ballot.cast", cast_payload(ELECTION, copy.tracker))))

    closed = closed_payload(ELECTION, [b.tracker for b, _ in casts])
    anchor_at["closed"] = log_entry("election.closed", closed)
    other_at = log_entry("election.tallying", {"election": ELECTION, "ballots": len(casts)})

    wires = [{"alias": b.voter} for b, _ in casts]
    counted_ballots = [casts[i][0] for i in counted(wires)]
    ballot_weights = [weights[b.voter] for b in counted_ballots]
    tally = aggregate(ctx, counted_ballots, ballot_weights if weighted else None)
    partials = [partial_decrypt(ctx, tally, i, key_shares[i]) for i in decrypting]
    counts = decrypt_tally(ctx, tally, partials, publics, threshold)
    result = result_json(counts, len(counted_ballots))
    decryptions = [p.to_json() for p in partials]
    published = published_payload(ELECTION, tally.to_json(), decryptions, result)
    anchor_at["published"] = log_entry("election.published", published)

    entries = [
        Entry.create(kind, payload, START + timedelta(milliseconds=7 * i))
        for i, (kind, payload) in enumerate(timeline)
    ]
    log.append_entries(entries)

    def receipt(index: int) -> str:
        return log.receipt(index)

    anchors = {
        role: anchor_json(entries[at].kind, timeline[at][1], receipt(at))
        for role, at in anchor_at.items()
    }
    record = assemble_record(
        manifest=manifest,
        context=context,
        ceremony=cer,
        roll=roll,
        ballots=[cast_entry(b, cast_at=entries[at].time, receipt=receipt(at)) for b, at in casts],
        audited=[
            audited_entry(b, s, audited_at=entries[at].time, receipt=receipt(at))
            for b, s, at in audited
        ],
        tally=tally.to_json(),
        decryptions=decryptions,
        result=result,
        anchors=anchors,
        other_anchors=[anchor_json("election.tallying", timeline[other_at][1], receipt(other_at))],
        log_key=log.log_vkey,
        witness_keys=[w.vkey for w in log.witnesses],
        checkpoint=log.checkpoints[log.size],
    )
    expected = _expected_counts(contests, choices_of, weights)
    assert counts == expected, "the factory's own election must decrypt to the votes it cast"
    return Election(record, ctx, key_shares, expected, log, entries)


@functools.cache
def default_election() -> Election:
    """One default election per process, shared by tests that only read it."""
    return build_election()


def _choices(rng: random.Random, contests: tuple[Contest, ...]) -> dict:
    out = {}
    for c in contests:
        picks = rng.sample(c.selections, rng.randint(c.min_votes, c.max_votes))
        out[c.id] = {s: 1 for s in picks}
    return out


def _expected_counts(contests, choices_of: dict, weights: dict) -> dict:
    counts = {c.id: dict.fromkeys(c.selections, 0) for c in contests}
    for alias, choices in choices_of.items():
        for cid, sels in choices.items():
            for sid, vote in sels.items():
                counts[cid][sid] += vote * weights[alias]
    return counts
