"""The trustee secret file: round trips, sealing, and refusals that say what is wrong."""

import json

import pytest

from voting.crypto import Scalar, generate_trustee
from voting.record import ceremony_id
from voting.trustee_file import (
    DEFAULT_ITERATIONS,
    TrusteeFile,
    TrusteeFileError,
    dump_trustee_file,
    is_sealed,
    load_trustee_file,
)

CEREMONY = ceremony_id("city-2026", 2, [(1, "ada"), (2, "bo")])


@pytest.fixture(scope="module")
def trustee_file() -> TrusteeFile:
    secret, _ = generate_trustee(CEREMONY, 2, "bo", 2)
    return TrusteeFile("city-2026", CEREMONY, 2, secret, Scalar(123456789))


def test_plain_file_round_trips_and_is_readable_json(trustee_file):
    text = dump_trustee_file(trustee_file)
    assert not is_sealed(text)
    assert json.loads(text)["coefficients"][0] == f"{trustee_file.secret.coefficients[0]:064x}"
    assert load_trustee_file(text) == trustee_file


def test_a_file_without_key_share_round_trips(trustee_file):
    early = TrusteeFile(trustee_file.election, CEREMONY, 2, trustee_file.secret)
    assert load_trustee_file(dump_trustee_file(early, "pw", iterations=1000), "pw") == early


def test_sealed_file_opens_only_with_its_passphrase(trustee_file):
    text = dump_trustee_file(trustee_file, "correct horse", iterations=1000)
    assert is_sealed(text)
    assert trustee_file.secret.box_secret.hex() not in text
    assert load_trustee_file(text, "correct horse") == trustee_file
    with pytest.raises(TrusteeFileError, match="wrong passphrase or damaged file"):
        load_trustee_file(text, "correct horse!")
    with pytest.raises(TrusteeFileError, match="sealed: a passphrase is needed"):
        load_trustee_file(text)


def test_the_default_work_factor_is_600000_iterations(trustee_file):
    text = dump_trustee_file(trustee_file, "pw")
    assert json.loads(text)["encryption"]["iterations"] == DEFAULT_ITERATIONS == 600_000
    assert load_trustee_file(text, "pw") == trustee_file


def _flip_last_byte(hex_text: str) -> str:
    """`hex_text` with its last byte changed (replacing it with "00" left it as it was 1 in 256)."""
    return hex_text[:-2] + f"{int(hex_text[-2:], 16) ^ 1:02x}"


def _sealed(trustee_file) -> dict:
    return json.loads(dump_trustee_file(trustee_file, "pw", iterations=1000))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d.update(ciphertext=_flip_last_byte(d["ciphertext"])),
            "wrong passphrase or damaged",
        ),
        (lambda d: d["encryption"].update(salt="00" * 16), "wrong passphrase or damaged"),
        (lambda d: d["encryption"].update(kdf="scrypt"), "unknown kdf or cipher"),
        (lambda d: d["encryption"].update(iterations=10), "iterations must be 1000..10000000"),
        (lambda d: d["encryption"].update(nonce="AB" * 12), "nonce must be 12 bytes of lowercase"),
        (lambda d: d.update(extra=1), "wrong or missing fields"),
    ],
)
def test_a_damaged_sealed_file_is_refused_with_the_reason(trustee_file, edit, message):
    doc = _sealed(trustee_file)
    edit(doc)
    with pytest.raises(TrusteeFileError, match=message):
        load_trustee_file(json.dumps(doc), "pw")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(version="v0"), "not a polity-trustee-secret-v1 file"),
        (lambda d: d.pop("box_secret"), "wrong or missing fields"),
        (lambda d: d.update(threshold=3), "must hold 3 coefficients"),
        (lambda d: d.update(index=0), "positive integers"),
        (lambda d: d.update(ceremony=d["ceremony"].upper()), "ceremony must be 32 bytes"),
        (lambda d: d.update(key_share="ff" * 32), "scalar is not below the group order"),
    ],
)
def test_a_malformed_plain_file_is_refused_with_the_reason(trustee_file, edit, message):
    doc = json.loads(dump_trustee_file(trustee_file))
    edit(doc)
    with pytest.raises(TrusteeFileError, match=message):
        load_trustee_file(json.dumps(doc))


def test_text_that_is_not_json_is_refused():
    with pytest.raises(TrusteeFileError, match="not JSON"):
        load_trustee_file("coefficients: 1, 2")
