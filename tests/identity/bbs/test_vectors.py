"""Every fixture in shared/vectors/bbs/bls12-381-sha-256.json, positive and negative."""

import json

import pytest

from identity.bbs import (
    BBSError,
    g1,
    keygen,
    proof_gen,
    proof_verify,
    sign,
    sk_to_pk,
    suite,
    verify,
)
from tests.vectors import vectors_dir


def _load() -> dict:
    return json.loads(vectors_dir("bbs", "bls12-381-sha-256.json").read_text())


def _fixtures(operation: str) -> list:
    try:
        data = _load()
    except pytest.skip.Exception as absent:  # no vectors folder: collect one skipped case
        return [pytest.param(None, id="vectors-absent", marks=pytest.mark.skip(reason=str(absent)))]
    return [pytest.param(f, id=f["name"]) for f in data["fixtures"] if f["operation"] == operation]


H = bytes.fromhex


def test_suite_identifiers_match_the_vectors():
    data = _load()
    assert "BBS_BLS12381G1_XMD:SHA-256_SSWU_RO_H2G_HM2S_" in data["ciphersuite"]
    assert H(data["dst"]) == suite.API_ID + b"MAP_MSG_TO_SCALAR_AS_HASH_"


def test_keygen_and_sk_to_pk():
    data = _load()
    sk = keygen(H(data["key_material"]), H(data["key_info"]), H(data["key_dst"]))
    assert sk.hex() == data["SK"]
    assert sk_to_pk(sk).hex() == data["PK"]


def test_keygen_default_dst_is_the_suite_keygen_dst():
    data = _load()
    assert H(data["key_dst"]) == suite.API_ID + b"KEYGEN_DST_"
    assert keygen(H(data["key_material"]), H(data["key_info"])).hex() == data["SK"]


@pytest.mark.parametrize("fixture", _fixtures("create_generators"))
def test_create_generators(fixture):
    params = fixture["parameters"]
    generators = suite.create_generators(params["count"], H(params["api_id"]))
    assert [g1.encode(g).hex() for g in generators] == fixture["output"]


@pytest.mark.parametrize("fixture", _fixtures("messages_to_scalars"))
def test_messages_to_scalars(fixture):
    params = fixture["parameters"]
    scalars = suite.messages_to_scalars([H(m) for m in params["messages"]], H(params["api_id"]))
    assert [suite.scalar_to_bytes(s).hex() for s in scalars] == fixture["output"]


@pytest.mark.parametrize("fixture", _fixtures("mocked_calculate_random_scalars"))
def test_mocked_random_scalars(fixture):
    params = fixture["parameters"]
    scalars = suite.seeded_random_scalars(H(params["seed"]), H(params["dst"]), params["count"])
    assert [suite.scalar_to_bytes(s).hex() for s in scalars] == fixture["output"]


@pytest.mark.parametrize("fixture", _fixtures("Sign"))
def test_sign(fixture):
    p = fixture["parameters"]
    messages = [H(m) for m in p["messages"]]
    signature = sign(H(p["SK"]), H(p["PK"]), messages, header=H(p["header"]))
    assert signature.hex() == fixture["output"]
    generators = suite.create_generators(len(messages) + 1)
    domain = suite.calculate_domain(H(p["PK"]), generators[0], generators[1:], H(p["header"]))
    assert suite.scalar_to_bytes(domain).hex() == fixture["debug"]["domain"]


@pytest.mark.parametrize("fixture", _fixtures("Verify"))
def test_verify(fixture):
    p = fixture["parameters"]
    args = (H(p["PK"]), H(p["signature"]), [H(m) for m in p["messages"]])
    if fixture["output"]:
        verify(*args, header=H(p["header"]))
    else:
        with pytest.raises(BBSError, match="signature"):
            verify(*args, header=H(p["header"]))


def _mocked(options: dict):
    return lambda n: suite.seeded_random_scalars(H(options["seed"]), H(options["dst"]), n)


@pytest.mark.parametrize("fixture", _fixtures("ProofGen"))
def test_proof_gen_reproduces_the_proof_byte_for_byte(fixture):
    p = fixture["parameters"]
    proof = proof_gen(
        H(p["PK"]),
        H(p["signature"]),
        [H(m) for m in p["messages"]],
        p["disclosed_indexes"],
        header=H(p["header"]),
        presentation_header=H(p["ph"]),
        random_scalars=_mocked(p["mocked_random_scalars_options"]),
    )
    assert proof.hex() == fixture["output"]


@pytest.mark.parametrize("fixture", _fixtures("ProofVerify"))
def test_proof_verify(fixture):
    p = fixture["parameters"]
    args = (H(p["PK"]), H(p["proof"]), [H(m) for m in p["disclosed_messages"]])
    kwargs = {"header": H(p["header"]), "presentation_header": H(p["ph"])}
    if fixture["output"]:
        proof_verify(*args, p["disclosed_indexes"], **kwargs)
    else:
        with pytest.raises(BBSError, match="proof"):
            proof_verify(*args, p["disclosed_indexes"], **kwargs)


@pytest.mark.parametrize("fixture", _fixtures("ProofGenAndProofVerify"))
def test_fresh_random_proof_verifies(fixture):
    p = fixture["parameters"]
    messages = [H(m) for m in p["messages"]]
    indexes = p["disclosed_indexes"]
    kwargs = {"header": H(p["header"]), "presentation_header": H(p["ph"])}
    proof = proof_gen(H(p["PK"]), H(p["signature"]), messages, indexes, **kwargs)
    proof_verify(H(p["PK"]), proof, [messages[i] for i in indexes], indexes, **kwargs)
    assert fixture["output"] is True
