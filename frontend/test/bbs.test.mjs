// The wallet's BBS layer against the published draft fixtures, and its input checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as bbs from '@digitalbazaar/bbs-signatures';
import {
  CIPHERSUITE, derivePresentation, verifyPresentation, verifySignature, hexToBytes, bytesToHex,
} from '../src/wallet/bbs.js';

const here = dirname(fileURLToPath(import.meta.url));
const vectorsFile = join(here, '..', '..', '..', 'shared', 'vectors', 'bbs', 'bls12-381-sha-256.json');
const vectorsDir = dirname(dirname(vectorsFile));
const skip = existsSync(vectorsDir) ? false : 'published vectors not found';
const fixtures = skip ? [] : JSON.parse(readFileSync(vectorsFile, 'utf8')).fixtures;
const of = (operation) => fixtures.filter((f) => f.operation === operation);

test('every ProofVerify fixture gets the expected verdict, failures with a reason', { skip }, async () => {
  assert.ok(of('ProofVerify').length > 0);
  for (const f of of('ProofVerify')) {
    const p = f.parameters;
    const result = await verifyPresentation({
      publicKey: hexToBytes(p.PK),
      proof: hexToBytes(p.proof),
      disclosedMessages: p.disclosed_messages.map(hexToBytes),
      disclosedIndexes: p.disclosed_indexes,
      header: hexToBytes(p.header),
      presentationHeader: hexToBytes(p.ph),
    });
    assert.equal(result.verified, f.output, f.name);
    assert.equal(result.reason === null, f.output, f.name);
  }
});

test('every Verify fixture gets the expected verdict', { skip }, async () => {
  for (const f of of('Verify')) {
    const p = f.parameters;
    const result = await verifySignature({
      publicKey: hexToBytes(p.PK),
      signature: hexToBytes(p.signature),
      messages: p.messages.map(hexToBytes),
      header: hexToBytes(p.header),
    });
    assert.equal(result.verified, f.output, f.name);
  }
});

test('the library reproduces the Sign fixtures (same draft revision as Polity)', { skip }, async () => {
  for (const f of of('Sign')) {
    const p = f.parameters;
    const signature = await bbs.sign({
      secretKey: hexToBytes(p.SK), publicKey: hexToBytes(p.PK), header: hexToBytes(p.header),
      messages: p.messages.map(hexToBytes), ciphersuite: CIPHERSUITE,
    });
    assert.equal(bytesToHex(signature), f.output, f.name);
  }
});

test('derived presentations of the fixture signatures verify, and only with their nonce', { skip }, async () => {
  for (const f of of('ProofGenAndProofVerify')) {
    const p = f.parameters;
    const messages = p.messages.map(hexToBytes);
    const common = { publicKey: hexToBytes(p.PK), header: hexToBytes(p.header) };
    const proof = await derivePresentation({
      ...common, signature: hexToBytes(p.signature), messages,
      disclosedIndexes: p.disclosed_indexes, presentationHeader: hexToBytes(p.ph),
    });
    const disclosed = {
      ...common, proof, disclosedIndexes: p.disclosed_indexes,
      disclosedMessages: p.disclosed_indexes.map((i) => messages[i]),
    };
    assert.equal((await verifyPresentation({ ...disclosed, presentationHeader: hexToBytes(p.ph) })).verified, true);
    const other = await verifyPresentation({ ...disclosed, presentationHeader: new Uint8Array([1]) });
    assert.equal(other.verified, false);
  }
});

test('a fresh key, signature and selective presentation round-trip', async () => {
  const { secretKey, publicKey } = await bbs.generateKeyPair({ ciphersuite: CIPHERSUITE });
  const enc = new TextEncoder();
  const messages = ['resident', 'district:5', 'age_over_16:true'].map((m) => enc.encode(m));
  const signature = await bbs.sign({ secretKey, publicKey, header: new Uint8Array(), messages, ciphersuite: CIPHERSUITE });
  assert.equal((await verifySignature({ publicKey, signature, messages })).verified, true);
  const nonce = enc.encode('verifier nonce 42');
  const proof = await derivePresentation({ publicKey, signature, messages, disclosedIndexes: [1], presentationHeader: nonce });
  const ok = await verifyPresentation({ publicKey, proof, disclosedMessages: [messages[1]], disclosedIndexes: [1], presentationHeader: nonce });
  assert.deepEqual(ok, { verified: true, reason: null });
  const lie = await verifyPresentation({ publicKey, proof, disclosedMessages: [enc.encode('district:6')], disclosedIndexes: [1], presentationHeader: nonce });
  assert.equal(lie.verified, false);
  const tampered = proof.slice();
  tampered[tampered.length - 1] ^= 1;
  const bad = await verifyPresentation({ publicKey, proof: tampered, disclosedMessages: [messages[1]], disclosedIndexes: [1], presentationHeader: nonce });
  assert.equal(bad.verified, false);
  assert.match(bad.reason, /proof/);
});

test('bad inputs are refused with a reason', async () => {
  const publicKey = new Uint8Array(96);
  const signature = new Uint8Array(80);
  const messages = [new Uint8Array([1]), new Uint8Array([2])];
  await assert.rejects(
    derivePresentation({ publicKey, signature, messages, disclosedIndexes: [1, 0] }),
    /strictly ascending/,
  );
  await assert.rejects(
    derivePresentation({ publicKey, signature, messages, disclosedIndexes: [2] }),
    /outside 0\.\.1/,
  );
  await assert.rejects(
    derivePresentation({ publicKey: new Uint8Array(48), signature, messages, disclosedIndexes: [] }),
    /publicKey must be 96 bytes/,
  );
  const result = await verifyPresentation({
    publicKey, proof: new Uint8Array(10), disclosedMessages: [messages[0]], disclosedIndexes: [0, 1],
  });
  assert.equal(result.verified, false);
  assert.match(result.reason, /1 disclosed messages but 2 indexes/);
  assert.throws(() => hexToBytes('abc'), /even-length hex/);
});
