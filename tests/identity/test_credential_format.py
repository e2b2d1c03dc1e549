"""The credential format: fixed message mapping, canonical encoding, header, signature checks."""

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from identity import bbs
from identity.credential import (
    MESSAGE_PATHS,
    SIGNATURE_TYPE,
    CredentialError,
    canonical_json,
    credential_messages,
    disclosable_paths,
    header_bytes,
    header_object,
    verify_credential,
)
from tests.identity.credential_fixtures import METHOD, PUBLIC_KEY, signed_credential


def _unsigned(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "proof"}


def test_document_is_a_vc_2_0_resident_credential():
    document = signed_credential()
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["type"] == ["VerifiableCredential", "CityResidentCredential"]
    assert document["validFrom"] == "2026-03-01T00:00:00Z"
    assert document["validUntil"] == "2027-03-01T00:00:00Z"
    assert [e["statusPurpose"] for e in document["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    assert document["proof"]["type"] == SIGNATURE_TYPE
    assert document["proof"]["proofValue"].startswith("u")


def test_messages_follow_the_fixed_paths_and_canonical_values():
    document = signed_credential(district=5, birth_year=1990, index=4242)
    messages = credential_messages(_unsigned(document))
    assert len(messages) == len(MESSAGE_PATHS) == 8
    assert messages[0] == b'id="' + document["id"].encode() + b'"'
    assert messages[1:6] == [
        b"credentialSubject.resident=true",
        b"credentialSubject.district=5",
        b"credentialSubject.birthYear=1990",
        b"credentialSubject.age_over_16=true",
        b"credentialSubject.age_over_18=false",
    ]
    url = "https://city.example/api/identity/status-lists/revocation/1"
    assert messages[6] == (
        b'credentialStatus.revocation={"id":"' + url.encode() + b'#4242",'
        b'"statusListCredential":"' + url.encode() + b'","statusListIndex":"4242",'
        b'"statusPurpose":"revocation","type":"BitstringStatusListEntry"}'
    )


def test_header_binds_envelope_key_and_schema():
    document = _unsigned(signed_credential())
    header = json.loads(header_bytes(document, METHOD))
    assert header == {
        "format": "polity-bbs-credential/v1",
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "CityResidentCredential"],
        "issuer": "did:web:city.example",
        "validFrom": "2026-03-01T00:00:00Z",
        "validUntil": "2027-03-01T00:00:00Z",
        "verificationMethod": METHOD,
        "messages": list(MESSAGE_PATHS),
    }
    assert header_bytes(document, METHOD) == canonical_json(header)


def test_signature_verifies():
    verify_credential(signed_credential(), PUBLIC_KEY)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "district"), 6),
        (("credentialSubject", "birthYear"), 1989),
        (("credentialSubject", "age_over_18"), True),
        (("validUntil",), "2030-03-01T00:00:00Z"),
        (("issuer",), "did:web:other.example"),
    ],
)
def test_any_changed_attribute_breaks_the_signature(path, value):
    document = copy.deepcopy(signed_credential())
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises((bbs.InvalidSignature, CredentialError)):
        verify_credential(document, PUBLIC_KEY)


def test_changed_status_index_breaks_the_signature():
    document = copy.deepcopy(signed_credential())
    entry = document["credentialStatus"][0]
    entry["statusListIndex"] = "1"
    entry["id"] = entry["statusListCredential"] + "#1"
    with pytest.raises(bbs.InvalidSignature):
        verify_credential(document, PUBLIC_KEY)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["credentialSubject"].update(district="5"), "district: expected an integer"),
        (lambda d: d["credentialSubject"].update(district=True), "district: expected an integer"),
        (lambda d: d["credentialSubject"].update(resident=False), "resident: expected true"),
        (lambda d: d.update(type=["VerifiableCredential"]), "type must be"),
        (lambda d: d.update(validFrom="2026-03-01"), "validFrom: expected a date-time"),
        (lambda d: d["credentialStatus"][0].update(statusListIndex="007"), "base-10"),
        (lambda d: d["credentialStatus"][0].update(extra=1), "exactly the fields"),
    ],
)
def test_malformed_attributes_are_refused_with_a_reason(change, message):
    document = copy.deepcopy(signed_credential())
    change(document)
    with pytest.raises(CredentialError, match=message):
        verify_credential(document, PUBLIC_KEY)


def test_canonical_json_is_sorted_compact_and_refuses_floats():
    assert (
        canonical_json({"b": [1, True, None], "a": "é"}) == '{"a":"é","b":[1,true,null]}'.encode()
    )
    with pytest.raises(CredentialError, match="float"):
        canonical_json({"x": 1.5})
    with pytest.raises(CredentialError, match="2\\^53"):
        canonical_json(2**53)


@settings(max_examples=30, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(alphabet="abcdefXYZ_@", max_size=6), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_canonical_json_round_trips_and_is_stable(value):
    encoded = canonical_json(value)
    assert json.loads(encoded) == value
    assert canonical_json(json.loads(encoded)) == encoded


def test_disclosable_names_map_to_paths_in_message_order():
    assert disclosable_paths(["revocation", "district", "credentialSubject.district"]) == [
        "credentialSubject.district",
        "credentialStatus.revocation",
    ]
    with pytest.raises(CredentialError, match="unknown attribute 'name'"):
        disclosable_paths(["name"])


def test_header_refuses_a_key_of_another_did():
    with pytest.raises(CredentialError, match="key of the issuer's DID"):
        header_object(_unsigned(signed_credential()), "did:web:evil.example#k")
