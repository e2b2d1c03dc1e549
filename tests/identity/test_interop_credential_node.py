"""Polity's credentials against an independent BBS implementation, through the wallet's code.

A node process loads frontend/src/wallet/credential.js (over @digitalbazaar/bbs-signatures) and
receives a credential Polity issued, the DID document, the signed status lists and a
presentation Polity's Python derived. It returns its own message/header encoding, its verdicts,
and a presentation it derived itself; Python then checks that presentation through the API.
Skips only when node is not installed.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from identity import selectors, services
from identity.credential import credential_messages, header_bytes
from identity.issuer import did_document, signing_key
from identity.presentation import derive_presentation
from identity.status_store import status_list_document

ROOT = Path(__file__).resolve().parents[2]
WALLET = ROOT / "frontend" / "src" / "wallet"
NONCE = "interop-nonce-0042"

NODE_SCRIPT = """
import { bytesToHex } from 'WALLET/bbs.js';
import { checkCredentialSignature, credentialMessages, derivePresentationDocument, headerBytes,
  verifyPresentationDocument } from 'WALLET/credential.js';
import { resolveAssertionKey } from 'WALLET/did.js';
import { statusBitFetcher } from 'WALLET/statuscheck.js';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const py = JSON.parse(input);
const { proof, ...unsigned } = py.credential;
const publicKey = resolveAssertionKey(py.didDocument, proof.verificationMethod);
const fetchJson = async (path) => py.statusLists[path];
const verify = (presentation, nonce) => verifyPresentationDocument({
  presentation, nonce, didDocument: py.didDocument, statusBit: statusBitFetcher(py.didDocument, fetchJson),
  required: ['district'],
});
const tampered = structuredClone(py.presentation);
tampered.verifiableCredential[0].credentialSubject.district += 1;
const jsPresentation = await derivePresentationDocument({
  credential: py.credential, publicKey, disclose: ['district', 'revocation', 'suspension'], nonce: py.nonce,
});
console.log(JSON.stringify({
  publicKey: bytesToHex(publicKey),
  messages: credentialMessages(unsigned).map(bytesToHex),
  header: bytesToHex(headerBytes(unsigned, proof.verificationMethod)),
  signature: await checkCredentialSignature(py.credential, publicKey),
  pythonPresentation: await verify(py.presentation, py.nonce),
  wrongNonce: await verify(py.presentation, 'another-nonce-0042'),
  tampered: await verify(tampered, py.nonce),
  jsPresentation,
}));
"""


def run_node(request: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = NODE_SCRIPT.replace("WALLET", WALLET.as_uri())
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def served_lists(credential) -> dict:
    """The status list credentials the city serves for this credential, by URL path."""
    lists = {}
    for entry in credential.document["credentialStatus"]:
        *_, purpose, number = entry["statusListCredential"].split("/")
        path = f"/api/identity/status-lists/{purpose}/{number}"
        lists[path] = status_list_document(purpose, int(number))
    return lists


@pytest.fixture
def exchange(resident) -> dict:
    credential = selectors.current_credential(resident)
    key = signing_key()
    lists = {}
    for entry in credential.document["credentialStatus"]:
        purpose, number = (
            entry["statusPurpose"],
            int(entry["statusListCredential"].rsplit("/", 1)[1]),
        )
        path = f"/api/identity/status-lists/{purpose}/{number}"
        lists[path] = status_list_document(purpose, number)
    python_presentation = derive_presentation(
        credential.document,
        public_key=key.public_key,
        disclose=["district", "revocation", "suspension"],
        nonce=NONCE,
    )
    request = {
        "credential": credential.document,
        "didDocument": did_document(),
        "statusLists": served_lists(credential),
        "presentation": python_presentation,
        "nonce": NONCE,
    }
    return {"reply": run_node(request), "credential": credential, "key": key}


def test_js_encodes_messages_and_header_byte_for_byte_like_python(exchange):
    document = {k: v for k, v in exchange["credential"].document.items() if k != "proof"}
    method = exchange["credential"].document["proof"]["verificationMethod"]
    reply = exchange["reply"]
    assert reply["publicKey"] == exchange["key"].public_key.hex()
    assert reply["messages"] == [m.hex() for m in credential_messages(document)]
    assert reply["header"] == header_bytes(document, method).hex()


def test_polity_credential_signature_verifies_in_the_npm_implementation(exchange):
    assert exchange["reply"]["signature"] == {"verified": True, "reason": None}


def test_python_presentation_verifies_in_the_browser_verifier_code(exchange):
    report = exchange["reply"]["pythonPresentation"]
    assert report["verified"] is True, report
    assert report["status"] == {"revocation": "active", "suspension": "active"}
    assert exchange["reply"]["wrongNonce"]["verified"] is False
    assert exchange["reply"]["wrongNonce"]["reason"].startswith("nonce:")
    tampered = exchange["reply"]["tampered"]
    assert tampered["verified"] is False and tampered["reason"].startswith("proof:")


def test_node_derived_presentation_verifies_in_polity(exchange, client):
    presentation = exchange["reply"]["jsPresentation"]
    assert presentation["verifiableCredential"][0]["credentialSubject"] == {"district": 1}
    response = client.post(
        "/api/identity/presentations/verify",
        {"presentation": presentation, "nonce": NONCE, "required": ["district"]},
        content_type="application/json",
    )
    body = response.json()
    assert body["verified"] is True, body
    presentation["verifiableCredential"][0]["credentialSubject"]["district"] = 3
    response = client.post(
        "/api/identity/presentations/verify",
        {"presentation": presentation, "nonce": NONCE},
        content_type="application/json",
    )
    assert response.json()["verified"] is False


def test_revocation_is_seen_by_the_browser_verifier_code(
    resident, official, django_capture_on_commit_callbacks
):
    credential = selectors.current_credential(resident)
    presentation = derive_presentation(
        credential.document,
        public_key=signing_key().public_key,
        disclose=["district", "revocation", "suspension"],
        nonce=NONCE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_credential(credential=credential, reason="Lost", by=official)
    reply = run_node(
        {
            "credential": credential.document,
            "didDocument": did_document(),
            "statusLists": served_lists(credential),
            "presentation": presentation,
            "nonce": NONCE,
        }
    )
    report = reply["pythonPresentation"]
    assert report["verified"] is False
    assert report["reason"] == "revocation status: the credential is revoked"
