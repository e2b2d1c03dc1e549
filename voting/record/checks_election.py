"""Checks 1-11 of spec §5: the record's shape, the manifest and context, the ceremony, the roll."""

from voting.crypto import (
    Contest,
    ElectionContext,
    TrusteePublic,
    election_fingerprint,
    joint_public_key,
    verify_trustee_public,
)
from voting.crypto.group import point_from_hex
from voting.record.format import (
    ELECTION_ID,
    MAX_WEIGHT,
    RECORD_VERSION,
    CheckFailed,
    alias,
    ceremony_id,
    digest,
    exact_keys,
    hex64,
    integer,
    listing,
    same_json,
    string,
)
from voting.record.state import State

TOP_KEYS = (
    "version",
    "election",
    "manifest",
    "context",
    "ceremony",
    "roll",
    "ballots",
    "audited",
    "tally",
    "decryptions",
    "result",
    "anchors",
    "ledger",
)
LISTS = ("ballots", "audited", "decryptions")
ANCHOR_ROLES = ("frozen", "opened", "closed", "published")
CONTEST_KEYS = ("id", "selections", "max_votes", "min_votes", "max_per_selection")


def record_format(s: State) -> str:
    rec = exact_keys(s.record, TOP_KEYS, "the record")
    if rec["version"] != RECORD_VERSION:
        raise CheckFailed(f"version must be {RECORD_VERSION!r}")
    if not isinstance(rec["election"], str) or not ELECTION_ID.fullmatch(rec["election"]):
        raise CheckFailed("election must be an id of 1-64 characters A-Z a-z 0-9 _ . : -")
    for key in TOP_KEYS[2:]:
        want = list if key in LISTS else dict
        if not isinstance(rec[key], want):
            raise CheckFailed(f"{key} must be {'a list' if want is list else 'an object'}")
    anchors = exact_keys(rec["anchors"], ANCHOR_ROLES, "anchors", optional=("other",))
    listing(anchors.get("other", []), "anchors.other")
    s.election = rec["election"]
    return f"election {s.election}"


def manifest_format(s: State) -> str:
    man = exact_keys(
        s.section("manifest"), ("election", "title", "scope", "contests", "labels"), "manifest"
    )
    if man["election"] != s.election:
        raise CheckFailed("manifest.election is not the record's election")
    string(man["title"], "manifest.title")
    if man["scope"] is not None:
        string(man["scope"], "manifest.scope")
    contests = listing(man["contests"], "manifest.contests")
    if not contests:
        raise CheckFailed("manifest.contests is empty")
    decoded = []
    for i, c in enumerate(contests):
        exact_keys(c, CONTEST_KEYS, f"manifest.contests[{i}]")
        for key in CONTEST_KEYS[2:]:
            integer(c[key], f"manifest.contests[{i}].{key}")
        decoded.append(Contest.from_json(c))
    if len({c.id for c in decoded}) != len(decoded):
        raise CheckFailed("manifest.contests: contest ids are not unique")
    labels = listing(man["labels"], "manifest.labels")
    if len(labels) != len(decoded):
        raise CheckFailed("manifest.labels must have one entry per contest")
    for i, (label, contest) in enumerate(zip(labels, decoded, strict=True)):
        where = f"manifest.labels[{i}]"
        exact_keys(label, ("id", "title", "description", "selections"), where)
        string(label["title"], f"{where}.title")
        string(label["description"], f"{where}.description")
        sels = listing(label["selections"], f"{where}.selections")
        for j, sel in enumerate(sels):
            exact_keys(sel, ("id", "label"), f"{where}.selections[{j}]")
            string(sel["label"], f"{where}.selections[{j}].label")
        if label["id"] != contest.id or [x["id"] for x in sels] != list(contest.selections):
            raise CheckFailed(f"{where} does not name contest {contest.id!r} and its selections")
    s.contests = tuple(decoded)
    return f"{len(decoded)} contest(s)"


def manifest_context(s: State) -> str:
    ctx = exact_keys(s.section("context"), ("fingerprint", "public_key", "contests"), "context")
    fingerprint = hex64(ctx["fingerprint"], "context.fingerprint")
    if not same_json(ctx["contests"], s.section("manifest")["contests"]):
        raise CheckFailed("context.contests differ from manifest.contests")
    key = point_from_hex(ctx["public_key"])
    s.ctx = ElectionContext(bytes.fromhex(fingerprint), key, s.contests)
    return "context matches the manifest"


def manifest_fingerprint(s: State) -> str:
    assert s.ctx is not None
    want = election_fingerprint(s.election, s.contests, s.ctx.public_key)
    if want != s.ctx.fingerprint:
        raise CheckFailed(
            "context.fingerprint is not the fingerprint of the election id, contests and key"
        )
    return s.ctx.fingerprint.hex()


def ceremony_format(s: State) -> str:
    cer = exact_keys(
        s.section("ceremony"), ("id", "threshold", "trustees"), "ceremony", optional=("shares",)
    )
    s.ceremony = bytes.fromhex(hex64(cer["id"], "ceremony.id"))
    trustees = listing(cer["trustees"], "ceremony.trustees")
    if not trustees:
        raise CheckFailed("ceremony.trustees is empty")
    decoded = []
    for i, t in enumerate(trustees):
        where = f"ceremony.trustees[{i}]"
        exact_keys(t, ("index", "name", "commitments", "proofs", "box_key"), where)
        if integer(t["index"], f"{where}.index", 1) != i + 1:
            raise CheckFailed(f"{where}.index must be {i + 1} (trustees are numbered in order)")
        if not string(t["name"], f"{where}.name"):
            raise CheckFailed(f"{where}.name is empty")
        listing(t["commitments"], f"{where}.commitments")
        listing(t["proofs"], f"{where}.proofs")
        hex64(t["box_key"], f"{where}.box_key")
        decoded.append(TrusteePublic.from_json(t))
    s.threshold = integer(cer["threshold"], "ceremony.threshold", 1, len(decoded))
    s.trustees = decoded
    return f"{s.threshold} of {len(decoded)} trustees"


def ceremony_identity(s: State) -> str:
    want = ceremony_id(s.election, s.threshold, [(t.index, t.name) for t in s.trustees])
    if want != s.ceremony:
        raise CheckFailed("ceremony.id is not the digest of the election, threshold and trustees")
    return s.ceremony.hex()


def ceremony_trustee(s: State, index: int) -> str:
    trustee = s.trustees[index - 1]
    verify_trustee_public(s.ceremony, trustee, s.threshold)
    return f"{trustee.name}: {s.threshold} commitment(s), proofs verify"


def ceremony_joint_key(s: State) -> str:
    assert s.ctx is not None
    if joint_public_key(s.trustees) != s.ctx.public_key:
        raise CheckFailed("context.public_key is not the sum of the trustees' first commitments")
    return "the election key is the trustees' joint key"


def ceremony_shares(s: State) -> str:
    cer = s.section("ceremony")
    if "shares" not in cer:
        return "share digests not published"
    shares = listing(cer["shares"], "ceremony.shares")
    n = len(s.trustees)
    want = [(a, b) for a in range(1, n + 1) for b in range(1, n + 1) if a != b]
    got = []
    for i, share in enumerate(shares):
        where = f"ceremony.shares[{i}]"
        exact_keys(share, ("sender", "recipient", "sha256"), where)
        hex64(share["sha256"], f"{where}.sha256")
        got.append((integer(share["sender"], where), integer(share["recipient"], where)))
    if got != want:
        raise CheckFailed("ceremony.shares must list each (sender, recipient) pair once, in order")
    return f"{len(got)} share digests"


def roll_format(s: State) -> str:
    roll = exact_keys(s.section("roll"), ("voters", "sha256"), "roll")
    voters = listing(roll["voters"], "roll.voters")
    decoded: dict[str, int] = {}
    previous = None
    for i, v in enumerate(voters):
        where = f"roll.voters[{i}]"
        exact_keys(v, ("alias", "weight"), where)
        name = alias(v["alias"], f"{where}.alias")
        if previous is not None and name <= previous:
            raise CheckFailed(f"{where}.alias is out of order or repeated (roll must be sorted)")
        previous = name
        decoded[name] = integer(v["weight"], f"{where}.weight", 1, MAX_WEIGHT)
    s.roll = decoded
    return f"{len(decoded)} voter(s), total weight {sum(decoded.values())}"


def roll_hash(s: State) -> str:
    roll = s.section("roll")
    if roll["sha256"] != digest({"election": s.election, "voters": roll["voters"]}):
        raise CheckFailed("roll.sha256 is not the digest of the roll")
    return roll["sha256"]
