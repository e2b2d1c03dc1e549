"""Every ``from_json`` in voting/crypto decodes strictly, as the spec and the browser do.

Hex is lowercase with an even number of digits and nothing else (``bytes.fromhex`` would skip
spaces); integers are JSON integers (``int()`` would turn 1.9 into 1, "3" into 3, true into 1);
strings are strings (``str()`` would turn 7 into "7"). Each refusal is an ``EncodingError`` whose
reason names the field.
"""

import copy
import json

import pytest

from tests.voting.crypto.conftest import make_context
from voting.crypto import (
    Contest,
    ElectionContext,
    EncodingError,
    EncryptedBallot,
    EncryptedShare,
    EncryptedTally,
    PartialDecryption,
    TrusteePublic,
    aggregate,
    deal_shares,
    encrypt_ballot,
    generate_trustee,
    partial_decrypt,
)
from voting.crypto.booth import BallotSecrets

CEREMONY = b"ceremony:strict-decoding"


@pytest.fixture(scope="module")
def wire() -> dict[str, dict]:
    """One valid JSON document of each kind, as it travels (through json.dumps and back)."""
    ctx = make_context((Contest("mayor", ("alice", "bob")),))
    ballot, secrets = encrypt_ballot(ctx, "v", {"mayor": {"bob": 1}})
    tally = aggregate(ctx, [ballot])
    (s1, p1), (_, p2) = (generate_trustee(CEREMONY, i, f"t{i}", 2) for i in (1, 2))
    share = deal_shares(CEREMONY, s1, [p1, p2])[0]
    docs = {
        "ballot": ballot.to_json(),
        "secrets": secrets.to_json(),
        "context": ctx.to_json(),
        "trustee": p1.to_json(),
        "share": share.to_json(),
        "tally": tally.to_json(),
        "partial": partial_decrypt(ctx, tally, 2, s1.coefficients[0]).to_json(),
    }
    return json.loads(json.dumps(docs))


DECODERS = {
    "ballot": EncryptedBallot.from_json,
    "secrets": BallotSecrets.from_json,
    "context": ElectionContext.from_json,
    "trustee": TrusteePublic.from_json,
    "share": EncryptedShare.from_json,
    "tally": EncryptedTally.from_json,
    "partial": PartialDecryption.from_json,
}


def _with(doc: dict, path: tuple, value: object) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value(target[path[-1]]) if callable(value) else value
    return doc


@pytest.mark.parametrize("kind", sorted(DECODERS))
def test_valid_documents_round_trip(wire, kind):
    assert DECODERS[kind](wire[kind]).to_json() == wire[kind]


# The reviewer's cases, one by one.


def test_ballot_fingerprint_with_spaces_is_refused(wire):
    spaced = _with(wire["ballot"], ("election",), lambda h: h[:8] + " " + h[8:])
    assert bytes.fromhex(spaced["election"])  # what the old decoder quietly accepted
    with pytest.raises(
        EncodingError, match="ballot election fingerprint must be 64 lowercase hex digits"
    ):
        EncryptedBallot.from_json(spaced)


def test_trustee_index_that_is_a_float_is_refused(wire):
    with pytest.raises(EncodingError, match=r"trustee index must be an integer 1\.\."):
        TrusteePublic.from_json(_with(wire["trustee"], ("index",), 1.9))


def test_trustee_name_that_is_a_number_is_refused(wire):
    with pytest.raises(EncodingError, match="trustee name must be a string"):
        TrusteePublic.from_json(_with(wire["trustee"], ("name",), 7))


def test_trustee_box_key_in_upper_case_is_refused(wire):
    with pytest.raises(EncodingError, match="trustee box key must be 64 lowercase hex digits"):
        TrusteePublic.from_json(_with(wire["trustee"], ("box_key",), str.upper))


def test_partial_decryption_trustee_that_is_a_float_is_refused(wire):
    with pytest.raises(EncodingError, match=r"partial decryption trustee must be an integer"):
        PartialDecryption.from_json(_with(wire["partial"], ("trustee",), 2.7))


def test_tally_ballots_as_a_string_is_refused(wire):
    with pytest.raises(EncodingError, match="encrypted tally ballots must be an integer"):
        EncryptedTally.from_json(_with(wire["tally"], ("ballots",), "3"))


def test_tally_max_weight_true_is_refused(wire):
    with pytest.raises(EncodingError, match="encrypted tally max_weight must be an integer"):
        EncryptedTally.from_json(_with(wire["tally"], ("max_weight",), True))


def test_tally_without_max_weight_still_means_weight_one(wire):
    doc = copy.deepcopy(wire["tally"])
    del doc["max_weight"]
    assert EncryptedTally.from_json(doc).max_weight == 1


# The sweep: every plain field of every document, each with the values a lax decoder let through.

_HEX_FIELDS = [
    ("ballot", ("election",), "ballot election fingerprint"),
    ("secrets", ("tracker",), "ballot secrets tracker"),
    ("context", ("fingerprint",), "election context fingerprint"),
    ("trustee", ("box_key",), "trustee box key"),
    ("share", ("ephemeral",), "encrypted share ephemeral key"),
    ("share", ("nonce",), "encrypted share nonce"),
    ("share", ("ciphertext",), "encrypted share ciphertext"),
]
_BAD_HEX = {
    "upper case": str.upper,
    "inner space": lambda h: h[:2] + " " + h[2:],
    "leading space": lambda h: " " + h,
    "trailing newline": lambda h: h + "\n",
    "odd length": lambda h: h[:-1],
    "one byte short": lambda h: h[:-2],
    "one byte long": lambda h: h + "00",
    "0x prefix": lambda h: "0x" + h[2:],
    "non-hex digit": lambda h: "g" + h[1:],
    "full-width digit": lambda h: "\uff10" + h[1:],
    "empty": "",
    "integer": 0,
    "bytes list": lambda h: list(bytes.fromhex(h)),
    "null": None,
}
_INT_FIELDS = [
    ("trustee", ("index",), "trustee index"),
    ("share", ("sender",), "encrypted share sender"),
    ("share", ("recipient",), "encrypted share recipient"),
    ("partial", ("trustee",), "partial decryption trustee"),
    ("tally", ("ballots",), "encrypted tally ballots"),
    ("tally", ("max_weight",), "encrypted tally max_weight"),
    ("secrets", ("contests", 0, "selections", 0, "vote"), "revealed vote"),
]
_BAD_INT = {
    "float with a fraction": lambda n: n + 0.9,
    "integral float": lambda n: float(n),
    "decimal string": lambda n: str(n),
    "true": True,
    "false": False,
    "null": None,
    "negative": -1,
    "list": lambda n: [n],
}
_STR_FIELDS = [
    ("trustee", ("name",), "trustee name"),
    ("secrets", ("contests", 0, "id"), "ballot secrets contest id"),
    ("secrets", ("contests", 0, "selections", 0, "id"), "selection id"),
    ("tally", ("contests", 0, "id"), "encrypted tally contest id"),
    ("tally", ("contests", 0, "selections", 0, "id"), "selection id"),
    ("ballot", ("contests", 0, "id"), "contest id"),
    ("ballot", ("contests", 0, "selections", 0, "id"), "selection id"),
]
_BAD_STR = {"integer": 7, "null": None, "list": ["mayor"], "true": True}


def _cases(fields, bad):
    for kind, path, what in fields:
        for label, value in bad.items():
            yield pytest.param(
                kind, path, what, value, id=f"{kind}.{'.'.join(map(str, path))}-{label}"
            )


@pytest.mark.parametrize(
    ("kind", "path", "what", "value"),
    [
        *_cases(_HEX_FIELDS, _BAD_HEX),
        *_cases(_INT_FIELDS, _BAD_INT),
        *_cases(_STR_FIELDS, _BAD_STR),
    ],
)
def test_lax_field_values_are_refused_naming_the_field(wire, kind, path, what, value):
    with pytest.raises(EncodingError, match=what):
        DECODERS[kind](_with(wire[kind], path, value))


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("trustee", "index"),
        ("trustee", "box_key"),
        ("share", "nonce"),
        ("partial", "trustee"),
        ("partial", "shares"),
        ("tally", "ballots"),
        ("tally", "contests"),
        ("context", "fingerprint"),
        ("secrets", "tracker"),
    ],
)
def test_missing_field_is_named(wire, kind, key):
    doc = copy.deepcopy(wire[kind])
    del doc[key]
    with pytest.raises(EncodingError, match=f"missing {key}"):
        DECODERS[kind](doc)


@pytest.mark.parametrize("kind", sorted(DECODERS))
@pytest.mark.parametrize("value", [None, [], "{}", 3], ids=["null", "list", "string", "int"])
def test_a_document_that_is_not_an_object_is_refused(kind, value):
    with pytest.raises(EncodingError):
        DECODERS[kind](value)


@pytest.mark.parametrize(
    ("kind", "path", "what"),
    [
        ("trustee", ("commitments",), "trustee commitments must be a list"),
        ("trustee", ("proofs",), "trustee proofs must be a list"),
        ("partial", ("shares",), "partial decryption shares must be a list"),
        ("tally", ("contests",), "encrypted tally contests must be a list"),
        ("tally", ("contests", 0, "selections"), "selections must be a list"),
        ("context", ("contests",), "election context contests must be a list"),
        ("secrets", ("contests",), "ballot secrets contests must be a list"),
    ],
)
def test_lists_must_be_lists(wire, kind, path, what):
    with pytest.raises(EncodingError, match=what):
        DECODERS[kind](_with(wire[kind], path, {}))


@pytest.mark.parametrize(("kind", "field"), [("trustee", "index"), ("partial", "trustee")])
def test_trustee_numbers_start_at_one_and_fit_u32(wire, kind, field):
    for bad in (0, 2**32):
        with pytest.raises(EncodingError, match=r"must be an integer 1\.\.4294967295"):
            DECODERS[kind](_with(wire[kind], (field,), bad))
    assert DECODERS[kind](_with(wire[kind], (field,), 2**32 - 1))
