"""C2SP signed notes: the published Ed25519 examples, and malformed or forged notes refused."""

import json

import pytest

from ledger.b64 import b64encode
from ledger.note import (
    Ed25519Signer,
    Ed25519Verifier,
    NoteError,
    decode_verifier_key,
    generate_signer_key,
    open_note,
    parse_note,
    sign_note,
)
from tests.vectors import vectors_dir


def vectors() -> dict:
    return json.loads(vectors_dir("signed-note", "ed25519.json").read_text())


def test_every_published_note_opens_with_exactly_its_valid_signers():
    data = vectors()
    assert data["notes"]
    for case in data["notes"]:
        verifiers = [Ed25519Verifier(k) for k in case["verifier_keys"]]
        opened = open_note(case["note"], verifiers)
        assert opened.text == case["text"]
        assert [s.name for s in opened.verified] == case["valid_signers"]
        assert opened.unverified == ()


def test_published_signer_key_reproduces_the_published_signature():
    data = vectors()
    signer = Ed25519Signer(data["signer_keys"]["PeterNeumann"])
    case = data["notes"][0]
    assert signer.verifier_key() == case["verifier_keys"][0]
    assert sign_note(case["text"], [signer]) == case["note"]  # Ed25519 is deterministic


def test_unknown_signers_are_ignored_but_one_known_signature_is_required():
    case = vectors()["notes"][1]
    peter = Ed25519Verifier(case["verifier_keys"][0])
    opened = open_note(case["note"], [peter])
    assert [s.name for s in opened.verified] == ["PeterNeumann"]
    assert [s.name for s in opened.unverified] == ["EnochRoot"]
    _, stranger = generate_signer_key("PeterNeumann")  # same name, different key ID
    with pytest.raises(NoteError, match="no signature from a trusted key"):
        open_note(case["note"], [Ed25519Verifier(stranger)])


def test_a_known_key_with_a_bad_signature_rejects_the_note():
    case = vectors()["notes"][0]
    tampered = case["note"].replace("answer", "Answer")
    with pytest.raises(NoteError, match="does not verify"):
        open_note(tampered, [Ed25519Verifier(case["verifier_keys"][0])])


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda n: n[:-1], "end with a newline"),
        (lambda n: n.replace("\n\n", "\n"), "no blank line"),
        (lambda n: n.replace("— ", "- "), "em dash"),
        (lambda n: n.replace("is.\n", "is.\r\n"), "control character"),
        (lambda n: n.replace("PeterNeumann x08", "Peter Neumann x08"), "signature"),
        (lambda n: n.replace("— PeterNeumann x08", "—  x08"), "key name"),
        (lambda n: n.replace("nAM=", "nAM"), "base64"),
        (lambda n: n.rsplit("\n\n", 1)[0] + "\n\n", "no signature lines"),
        (lambda n: n.encode()[:-3] + b"\xff\n", "UTF-8"),
    ],
)
def test_malformed_notes_are_refused_with_a_reason(mutate, reason):
    case = vectors()["notes"][0]
    with pytest.raises(NoteError, match=reason):
        open_note(mutate(case["note"]), [Ed25519Verifier(case["verifier_keys"][0])])


def test_too_many_signatures_are_refused_but_sixteen_are_fine():
    skey, vkey = generate_signer_key("log.example")
    note = sign_note("hello\n", [Ed25519Signer(skey)])
    extra = parse_note(note).signatures[0].line().replace("log.example", "other.example")
    assert open_note(note + extra * 15, [Ed25519Verifier(vkey)]).verified
    with pytest.raises(NoteError, match="more than"):
        parse_note(note + extra * 100)


def test_key_strings_are_checked():
    skey, vkey = generate_signer_key("city.example/log")
    name, kid, key_type, public = decode_verifier_key(vkey)
    assert (name, key_type, len(public)) == ("city.example/log", 1, 32)
    assert vkey.startswith(f"city.example/log+{kid:08x}+")
    wrong_id = vkey.replace(f"+{kid:08x}+", "+00000000+")
    with pytest.raises(NoteError, match="does not match"):
        Ed25519Verifier(wrong_id)
    with pytest.raises(NoteError, match="does not match"):
        Ed25519Verifier(vkey.replace("city.example/log", "town.example/log"))
    with pytest.raises(NoteError, match="type byte"):
        Ed25519Verifier(f"x+{kid:08x}+{b64encode(bytes(10))}")
    with pytest.raises(NoteError, match="PRIVATE"):
        Ed25519Signer(vkey)
    with pytest.raises(NoteError, match="key name"):
        generate_signer_key("has space")
    assert Ed25519Signer(skey).verifier_key() == vkey
