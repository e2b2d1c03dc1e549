"""The issuer's did:web document, Multikey encoding and key rotation."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from identity import did, issuer, multibase, selectors
from identity.credential import verify_credential
from identity.models import IssuerKey


def test_base58btc_matches_known_values():
    assert multibase.base58btc_encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert multibase.base58btc_encode(b"\0\0\x01") == "112"
    assert multibase.base58btc_decode("112") == b"\0\0\x01"
    with pytest.raises(ValueError, match="not allowed"):
        multibase.base58btc_decode("0OIl")


def test_multikey_is_base58btc_of_the_bls12_381_g2_codec_and_key(db):
    key = issuer.signing_key().public_key
    text = did.public_key_multibase(key)
    assert text.startswith("zUC7")  # what every 0xeb01-prefixed 96-byte key looks like
    raw = multibase.base58btc_decode(text[1:])
    assert raw[:2] == b"\xeb\x01" and raw[2:] == key
    assert did.public_key_from_multibase(text) == key
    ed25519 = multibase.encode(b"\xed\x01" + bytes(32), "base58btc")
    with pytest.raises(ValueError, match="0xeb01"):
        did.public_key_from_multibase(ed25519)


def test_did_web_percent_encodes_a_port():
    assert did.did_web("city.example") == "did:web:city.example"
    assert did.did_web("localhost:8000") == "did:web:localhost%3A8000"


def test_well_known_did_json_shape(client, db, settings):
    settings.POLITY_DOMAIN = "id.city.example"
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    key = issuer.signing_key()
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
    ]
    assert document["id"] == "did:web:id.city.example"
    [method] = document["verificationMethod"]
    assert method == {
        "id": f"did:web:id.city.example#{key.record.key_id}",
        "type": "Multikey",
        "controller": "did:web:id.city.example",
        "publicKeyMultibase": did.public_key_multibase(key.public_key),
    }
    assert document["assertionMethod"] == [method["id"]]


def test_rotation_keeps_old_keys_published_and_old_credentials_verifiable(resident, client):
    old = selectors.current_credential(resident)
    old_key = issuer.signing_key()
    new_key = issuer.rotate_signing_key()
    assert new_key.public_key != old_key.public_key
    assert IssuerKey.objects.get(pk=old_key.record.pk).retired_at is not None
    document = client.get("/.well-known/did.json").json()
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == [
        new_key.record.key_id,
        old_key.record.key_id,
    ]
    public_key = issuer.resolve_key(old.document["proof"]["verificationMethod"])
    assert public_key == old_key.public_key
    verify_credential(old.document, public_key)
    from identity import services

    fresh = services.issue_credential(residency=selectors.active_residency(resident))
    assert fresh.document["proof"]["verificationMethod"].endswith(new_key.record.key_id)


def test_rotation_is_refused_in_production(settings, db):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="POLITY_ISSUER_KEY"):
        issuer.rotate_signing_key()


def test_production_takes_the_issuer_key_from_the_environment(settings, monkeypatch, db):
    settings.PRODUCTION = True
    monkeypatch.setenv(issuer.ISSUER_KEY_ENV, "cd" * 32)
    key = issuer.signing_key()
    from identity import bbs

    assert key.secret_key == bbs.keygen(bytes.fromhex("cd" * 32), issuer.KEY_INFO)
    monkeypatch.delenv(issuer.ISSUER_KEY_ENV)
    with pytest.raises(ImproperlyConfigured, match="POLITY_ISSUER_KEY"):
        issuer.signing_key()


def test_the_issuer_key_file_is_private(db, settings):
    issuer.signing_key()
    assert (settings.DATA_DIR / "keys" / issuer.ISSUER_KEY_FILE).stat().st_mode & 0o777 == 0o600
