"""Bitstring Status List 1.0: encoding, random indexes, bit flips, the served list credential."""

import gzip

import pytest

from identity import multibase, selectors, services, status_list
from identity.issuer import signing_key
from identity.models import StatusEntry
from identity.services import IdentityRefusal
from tests.identity.conftest import census_match, make_user


def test_encoded_list_is_multibase_base64url_of_gzip_msb_first():
    bits = status_list.set_bit(status_list.empty_bitstring(), 0, True)
    bits = status_list.set_bit(bits, 9, True)
    encoded = status_list.encode_list(bits)
    assert encoded.startswith("u") and "=" not in encoded
    raw = gzip.decompress(multibase.base64url_decode(encoded[1:]))
    assert len(raw) * 8 == 131_072
    assert raw[0] == 0b1000_0000 and raw[1] == 0b0100_0000
    assert status_list.decode_list(encoded) == bits
    assert status_list.get_bit(bits, 9) and not status_list.get_bit(bits, 8)
    assert not status_list.get_bit(status_list.set_bit(bits, 9, False), 9)


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("z" + "abc", "expected prefix 'u'"),
        ("u" + multibase.base64url_encode(b"not gzip"), "not GZIP"),
        ("u" + multibase.base64url_encode(gzip.compress(bytes(100))), "minimum is 131072"),
        ("u" + multibase.base64url_encode(gzip.compress(bytes(2**20 + 1))), "more than"),
        ("uAA==", "padding"),
    ],
)
def test_bad_encoded_lists_are_refused(encoded, message):
    with pytest.raises(ValueError, match=message):
        status_list.decode_list(encoded)


def test_lists_are_at_least_the_minimum_size():
    with pytest.raises(ValueError, match="at least 131072"):
        status_list.empty_bitstring(8 * 1024)


def _entry(credential, purpose):
    return StatusEntry.objects.select_related("status_list").get(
        credential=credential, status_list__purpose=purpose
    )


def _served_bit(client, entry) -> bool:
    path = f"/api/identity/status-lists/{entry.status_list.purpose}/{entry.status_list.number}"
    response = client.get(path)
    assert response.status_code == 200
    document = response.json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    status_list.verify_status_list(document, signing_key().public_key)
    subject = document["credentialSubject"]
    assert subject["statusPurpose"] == entry.status_list.purpose
    return status_list.get_bit(status_list.decode_list(subject["encodedList"]), entry.index)


def test_each_credential_gets_random_unshared_indexes(census, districts):
    users = [make_user(f"user{i}") for i in range(3)]
    census_match(users[0], "X1234567A", 1, "1990-04-01")
    census_match(users[1], "Y7654321B", 2, "2009-12-31")
    census_match(users[2], "Z0000001C", 3, "1975-07-15")
    indexes = [_entry(selectors.current_credential(u), "revocation").index for u in users]
    assert len(set(indexes)) == 3
    assert all(0 <= i < 131_072 for i in indexes)
    assert indexes != sorted(indexes) or indexes[0] > 3  # not handed out 0, 1, 2


def test_revocation_flips_the_served_bit_and_invalidates_the_cache(
    resident, official, client, django_capture_on_commit_callbacks
):
    credential = selectors.current_credential(resident)
    entry = _entry(credential, "revocation")
    assert _served_bit(client, entry) is False  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_credential(credential=credential, reason="Lost phone", by=official)
    assert _served_bit(client, entry) is True
    with pytest.raises(IdentityRefusal, match="already revoked"):
        services.revoke_credential(credential=credential, reason="again", by=official)


def test_suspension_is_reversible(resident, official, client, django_capture_on_commit_callbacks):
    credential = selectors.current_credential(resident)
    entry = _entry(credential, "suspension")
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_credential(credential=credential, by=official)
    assert _served_bit(client, entry) is True
    credential.refresh_from_db()
    assert selectors.credential_state(credential) == "suspended"
    with django_capture_on_commit_callbacks(execute=True):
        services.reinstate_credential(credential=credential, by=official)
    assert _served_bit(client, entry) is False
    credential.refresh_from_db()
    assert selectors.credential_state(credential) == "valid"


def test_status_changes_are_anchored_without_personal_data(resident, official):
    from ledger.models import Entry

    credential = selectors.current_credential(resident)
    services.suspend_credential(credential=credential, by=official)
    services.revoke_credential(credential=credential, reason="Fraud", by=official)
    kinds = list(Entry.objects.filter(kind__startswith="identity.").values_list("kind", flat=True))
    assert kinds.count("identity.credential-issued") == 1
    assert "identity.credential-suspended" in kinds and "identity.credential-revoked" in kinds
    commitment = services.credential_commitment(credential)
    for entry in Entry.objects.filter(kind__startswith="identity.credential"):
        assert entry.payload["commitment"] == commitment
        text = str(entry.payload)
        assert str(credential.credential_id) not in text and resident.username not in text
        assert "district" not in text and "1990" not in text


def test_unknown_status_lists_are_404(client, db):
    assert client.get("/api/identity/status-lists/revocation/99").status_code == 404
    response = client.get("/api/identity/status-lists/other/1")
    assert response.status_code == 404
    assert response.json()["error"]["reason"]


def test_the_status_list_path_written_into_credentials_is_where_the_api_serves_it():
    from django.urls import reverse

    from identity.status_store import list_path

    served = reverse("identity-api:status-list", kwargs={"purpose": "revocation", "number": 7})
    assert list_path("revocation", 7) == served
