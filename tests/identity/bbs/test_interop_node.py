"""Polity's BBS against an independent implementation (@digitalbazaar/bbs-signatures under node).

One node process receives what Python made (a key, a signature, a proof) and returns its
verdicts plus what it made itself (a proof from Python's signature, its own key and signature,
and a proof from that); Python then checks those. Skips only when node is not installed.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from identity.bbs import (
    InvalidProof,
    InvalidSignature,
    keygen,
    proof_gen,
    proof_verify,
    sign,
    sk_to_pk,
    verify,
)

ROOT = Path(__file__).resolve().parents[3]
WALLET = ROOT / "frontend" / "src" / "wallet" / "bbs.js"

NODE_SCRIPT = """
import * as bbs from '@digitalbazaar/bbs-signatures';
import { CIPHERSUITE, derivePresentation, verifyPresentation, verifySignature, hexToBytes, bytesToHex }
  from 'WALLET';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const py = JSON.parse(input);
const h = hexToBytes;
const pk = h(py.pk), header = h(py.header), ph = h(py.ph);
const messages = py.messages.map(h);
const disclosed = py.disclosed;
const sig = await verifySignature({ publicKey: pk, signature: h(py.signature), messages, header });
const pyProof = await verifyPresentation({ publicKey: pk, proof: h(py.proof), header,
  presentationHeader: ph, disclosedMessages: disclosed.map((i) => messages[i]),
  disclosedIndexes: disclosed });
const pyProofWrongNonce = await verifyPresentation({ publicKey: pk, proof: h(py.proof), header,
  presentationHeader: new Uint8Array([9]), disclosedMessages: disclosed.map((i) => messages[i]),
  disclosedIndexes: disclosed });
const jsProof = await derivePresentation({ publicKey: pk, signature: h(py.signature), messages,
  disclosedIndexes: disclosed, header, presentationHeader: ph });
const own = await bbs.generateKeyPair({ ciphersuite: CIPHERSUITE });
const ownSignature = await bbs.sign({ secretKey: own.secretKey, publicKey: own.publicKey, header,
  messages, ciphersuite: CIPHERSUITE });
const ownProof = await derivePresentation({ publicKey: own.publicKey, signature: ownSignature,
  messages, disclosedIndexes: disclosed, header, presentationHeader: ph });
const sameKey = await bbs.secretKeyToPublicKey({ secretKey: h(py.sk), ciphersuite: CIPHERSUITE });
console.log(JSON.stringify({
  signatureVerified: sig.verified, proofVerified: pyProof.verified,
  wrongNonceVerified: pyProofWrongNonce.verified, jsProof: bytesToHex(jsProof),
  jsPk: bytesToHex(own.publicKey), jsSignature: bytesToHex(ownSignature),
  jsOwnProof: bytesToHex(ownProof), pkFromPythonSk: bytesToHex(sameKey),
}));
"""


@pytest.fixture(scope="module")
def exchange() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    sk = keygen(b"interop test key material, 32+ bytes", b"polity")
    pk = sk_to_pk(sk)
    messages = [b"resident", b"district:5", b"birth_year:1990", b"age_over_16:true", b""]
    header, ph, disclosed = b"polity credential v1", b"verifier nonce 1234", [1, 3]
    signature = sign(sk, pk, messages, header=header)
    proof = proof_gen(pk, signature, messages, disclosed, header=header, presentation_header=ph)
    request = {
        "sk": sk.hex(),
        "pk": pk.hex(),
        "messages": [m.hex() for m in messages],
        "header": header.hex(),
        "ph": ph.hex(),
        "disclosed": disclosed,
        "signature": signature.hex(),
        "proof": proof.hex(),
    }
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
    reply = json.loads(result.stdout)
    return {"request": request, "reply": reply, "messages": messages, "pk": pk}


def test_js_derives_the_same_public_key_from_pythons_secret_key(exchange):
    assert exchange["reply"]["pkFromPythonSk"] == exchange["request"]["pk"]


def test_python_signature_verifies_in_js(exchange):
    assert exchange["reply"]["signatureVerified"] is True


def test_python_proof_verifies_in_js_only_with_its_nonce(exchange):
    assert exchange["reply"]["proofVerified"] is True
    assert exchange["reply"]["wrongNonceVerified"] is False


def _kwargs(request: dict) -> dict:
    return {
        "header": bytes.fromhex(request["header"]),
        "presentation_header": bytes.fromhex(request["ph"]),
    }


def test_js_proof_of_python_signature_verifies_in_python(exchange):
    request, messages = exchange["request"], exchange["messages"]
    disclosed = request["disclosed"]
    proof = bytes.fromhex(exchange["reply"]["jsProof"])
    shown = [messages[i] for i in disclosed]
    proof_verify(exchange["pk"], proof, shown, disclosed, **_kwargs(request))
    with pytest.raises(InvalidProof):
        proof_verify(exchange["pk"], proof, shown[::-1], disclosed, **_kwargs(request))


def test_js_signature_verifies_in_python_and_python_proves_from_it(exchange):
    request, messages = exchange["request"], exchange["messages"]
    header = bytes.fromhex(request["header"])
    js_pk = bytes.fromhex(exchange["reply"]["jsPk"])
    js_signature = bytes.fromhex(exchange["reply"]["jsSignature"])
    verify(js_pk, js_signature, messages, header=header)
    with pytest.raises(InvalidSignature):
        verify(js_pk, js_signature, messages[:-1], header=header)
    disclosed = request["disclosed"]
    shown = [messages[i] for i in disclosed]
    js_proof = bytes.fromhex(exchange["reply"]["jsOwnProof"])
    proof_verify(js_pk, js_proof, shown, disclosed, **_kwargs(request))
    ours = proof_gen(js_pk, js_signature, messages, disclosed, **_kwargs(request))
    proof_verify(js_pk, ours, shown, disclosed, **_kwargs(request))
