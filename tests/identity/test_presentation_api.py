"""Issue → derive a presentation (Python ProofGen, as a holder would) → verify through the API."""

import copy
from datetime import date, timedelta

import pytest

from identity import bbs, selectors, services
from identity.credential import sign_credential
from identity.issuer import city_did, signing_key
from identity.presentation import derive_presentation

NONCE = "verifier-nonce-0001"
URL = "/api/identity/presentations/verify"


def present(user, disclose=("district", "revocation", "suspension"), nonce=NONCE) -> dict:
    credential = selectors.current_credential(user)
    return derive_presentation(
        credential.document, public_key=signing_key().public_key, disclose=disclose, nonce=nonce
    )


def verify(client, presentation, nonce=NONCE, **extra):
    return client.post(
        URL,
        {"presentation": presentation, "nonce": nonce, **extra},
        content_type="application/json",
    )


def failed(response) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verified"] is False
    return {check["name"]: check["detail"] for check in body["checks"] if not check["passed"]}


def test_presentation_disclosing_only_the_district_verifies(client, resident):
    presentation = present(resident)
    derived = presentation["verifiableCredential"][0]
    assert derived["credentialSubject"] == {"district": 1}
    assert "id" not in derived
    response = verify(client, presentation, required=["district"])
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True, body
    assert body["reason"] is None
    assert body["disclosed"]["credentialSubject.district"] == 1
    assert "credentialSubject.birthYear" not in body["disclosed"]
    assert body["issuer"] == city_did()
    assert body["status"] == {"revocation": "active", "suspension": "active"}
    assert body["valid_until"] > body["valid_from"]


def test_two_presentations_of_one_credential_share_no_proof_bytes(resident):
    first = present(resident, disclose=["age_over_18"])["verifiableCredential"][0]
    second = present(resident, disclose=["age_over_18"])["verifiableCredential"][0]
    assert first["proof"]["proofValue"] != second["proof"]["proofValue"]
    first_bytes = first["proof"]["proofValue"]
    chunks = {first_bytes[i : i + 16] for i in range(1, len(first_bytes) - 16, 16)}
    assert not any(chunk in second["proof"]["proofValue"] for chunk in chunks)


def test_tampered_attribute_is_refused(client, resident):
    presentation = present(resident)
    presentation["verifiableCredential"][0]["credentialSubject"]["district"] = 2
    reasons = failed(verify(client, presentation))
    assert "does not verify" in reasons["proof"]


def test_revealing_an_undisclosed_attribute_afterwards_is_refused(client, resident):
    presentation = present(resident, disclose=["district", "revocation", "suspension"])
    presentation["verifiableCredential"][0]["credentialSubject"]["age_over_18"] = True
    assert "does not verify" in failed(verify(client, presentation))["proof"]


def test_wrong_nonce_is_refused(client, resident):
    reasons = failed(verify(client, present(resident), nonce="another-nonce-42"))
    assert reasons["nonce"] == (
        "bound to nonce 'verifier-nonce-0001', not to your nonce 'another-nonce-42'"
    )


def test_rewriting_the_nonce_breaks_the_proof(client, resident):
    presentation = present(resident)
    presentation["verifiableCredential"][0]["proof"]["nonce"] = "another-nonce-42"
    reasons = failed(verify(client, presentation, nonce="another-nonce-42"))
    assert set(reasons) == {"proof"}


def test_revoked_credential_is_refused(
    client, resident, official, django_capture_on_commit_callbacks
):
    presentation = present(resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_credential(
            credential=selectors.current_credential(resident), reason="Lost", by=official
        )
    reasons = failed(verify(client, presentation))
    assert reasons == {"revocation status": "the credential is revoked"}


def test_suspended_credential_is_refused(client, resident, official):
    presentation = present(resident)
    services.suspend_credential(credential=selectors.current_credential(resident), by=official)
    assert failed(verify(client, presentation)) == {
        "suspension status": "the credential is suspended"
    }


def test_status_must_be_disclosed_unless_the_verifier_waives_it(client, resident):
    presentation = present(resident, disclose=["district"])
    reasons = failed(verify(client, presentation))
    assert "did not disclose the revocation status" in reasons["revocation status"]
    response = verify(client, presentation, require_status=[])
    assert response.json()["verified"] is True
    assert response.json()["status"] == {
        "revocation": "not disclosed",
        "suspension": "not disclosed",
    }


def test_missing_requested_attribute_is_refused(client, resident):
    reasons = failed(verify(client, present(resident), required=["district", "age_over_18"]))
    assert reasons["requested attributes"] == "not disclosed: credentialSubject.age_over_18"


def test_foreign_issuer_is_refused(client, resident):
    document = copy.deepcopy(selectors.current_credential(resident).document)
    document.pop("proof")
    document["issuer"] = "did:web:evil.example"
    secret = bbs.keygen(b"an attacker's own key material, 32+", b"")
    public = bbs.sk_to_pk(secret)
    forged = sign_credential(
        document,
        secret_key=secret,
        public_key=public,
        verification_method="did:web:evil.example#k1",
    )
    presentation = derive_presentation(
        forged, public_key=public, disclose=["district"], nonce=NONCE
    )
    reasons = failed(verify(client, presentation, require_status=[]))
    assert "not by the city" in reasons["issuer"]
    assert "not a key" in reasons["issuer key"]


def test_key_not_in_the_city_did_document_is_refused(client, resident):
    document = copy.deepcopy(selectors.current_credential(resident).document)
    document.pop("proof")
    secret = bbs.keygen(b"a key the city never published, 32+", b"")
    public = bbs.sk_to_pk(secret)
    method = f"{city_did()}#bbs-0000000000000000"
    forged = sign_credential(
        document, secret_key=secret, public_key=public, verification_method=method
    )
    presentation = derive_presentation(
        forged, public_key=public, disclose=["district"], nonce=NONCE
    )
    reasons = failed(verify(client, presentation, require_status=[]))
    assert reasons["issuer key"] == f"{method} is not a key in the city's DID document"


def test_expired_credential_is_refused(client, resident):
    old = services.issue_credential(
        residency=selectors.active_residency(resident), today=date.today() - timedelta(days=400)
    )
    presentation = derive_presentation(
        old.document, public_key=signing_key().public_key, disclose=["district"], nonce=NONCE
    )
    reasons = failed(verify(client, presentation, require_status=[]))
    assert reasons["validity"].startswith("expired at ")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nonce": NONCE}, "presentation"),
        ({"presentation": {}, "nonce": "short"}, "nonce"),
        ({"presentation": {}, "nonce": NONCE, "required": ["name"]}, "required"),
        ({"presentation": [], "nonce": NONCE}, "presentation"),
        ({"presentation": {"type": ["VerifiablePresentation"]}, "nonce": NONCE}, "presentation"),
    ],
)
def test_malformed_requests_are_400_with_a_reason(client, db, body, field):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["reason"].startswith(field)
    assert field in error["fields"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c.update(name="Erin"), "'name' is not covered by the proof"),
        (lambda c: c["credentialSubject"].update(name="Erin"), "credentialSubject.name is not"),
        (lambda c: c["proof"].update(type="DataIntegrityProof"), "proof type must be"),
        (lambda c: c["proof"].update(proofValue="zabc"), "expected prefix 'u'"),
        (lambda c: c["credentialSubject"].update(district="1"), "expected an integer"),
        (lambda c: c.pop("credentialStatus"), None),  # valid shape; fails status check instead
    ],
)
def test_malformed_presentations_are_400(client, resident, change, reason):
    presentation = present(resident)
    change(presentation["verifiableCredential"][0])
    response = verify(client, presentation)
    if reason is None:
        assert response.status_code == 200 and response.json()["verified"] is False
        return
    assert response.status_code == 400
    assert reason in response.json()["error"]["reason"]


def test_non_json_body_is_400(client, db):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["reason"]


def test_the_public_verify_endpoint_is_throttled_per_client(client, db):
    from identity.api_public import PresentationVerifyThrottle

    body = {"presentation": {}, "nonce": NONCE}
    for _ in range(120):
        client.post(URL, body, content_type="application/json")
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert PresentationVerifyThrottle.rate == "120/min"
