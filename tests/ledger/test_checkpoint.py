"""C2SP tlog-checkpoint bodies: one text form per checkpoint, signed by the log named by origin."""

import pytest

from ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint, sign_checkpoint
from ledger.merkle import EMPTY_ROOT
from ledger.note import Ed25519Signer, Ed25519Verifier, generate_signer_key

ROOT = bytes(range(32))
TEXT = "polity.example/ledger\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"


def test_format_and_parse_round_trip_exactly():
    cp = Checkpoint("polity.example/ledger", 42, ROOT)
    assert cp.format() == TEXT
    assert Checkpoint.parse(TEXT) == cp
    with_ext = Checkpoint("o", 0, EMPTY_ROOT, ("ext one", "two"))
    assert Checkpoint.parse(with_ext.format()) == with_ext


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (TEXT[:-1], "newline"),
        ("polity.example/ledger\n42\n", "origin, a size and a root"),
        (TEXT.replace("\n42\n", "\n042\n"), "decimal"),
        (TEXT.replace("\n42\n", "\n-1\n"), "decimal"),
        (TEXT.replace("\n42\n", "\n 42\n"), "decimal"),
        (TEXT.replace("\n42\n", "\n9223372036854775808\n"), "decimal"),
        (TEXT.replace("8=\n", "8\n"), "base64"),
        (TEXT.replace("8=\n", "9=\n"), "canonical"),
        ("o\n1\nAAAA\n", "not 32"),
        ("\n1\n" + TEXT.split("\n")[2] + "\n", "origin"),
        (TEXT + "\n", "empty extension"),
    ],
)
def test_malformed_bodies_are_refused(text, reason):
    with pytest.raises(CheckpointError, match=reason):
        Checkpoint.parse(text)


def test_open_checkpoint_requires_the_log_signature_and_matching_origin():
    skey, vkey = generate_signer_key("polity.example/ledger")
    note = sign_checkpoint(Checkpoint.parse(TEXT), Ed25519Signer(skey))
    assert open_checkpoint(note, Ed25519Verifier(vkey)).checkpoint.size == 42
    other_skey, other_vkey = generate_signer_key("other.example/log")
    foreign = sign_checkpoint(Checkpoint.parse(TEXT), Ed25519Signer(other_skey))
    with pytest.raises(CheckpointError, match="origin"):
        open_checkpoint(foreign, Ed25519Verifier(other_vkey))
    with pytest.raises(CheckpointError, match="trusted key"):
        open_checkpoint(foreign, Ed25519Verifier(vkey))
    with pytest.raises(CheckpointError, match="does not verify"):
        open_checkpoint(note.replace("\n42\n", "\n43\n"), Ed25519Verifier(vkey))
