// The in-browser receipt verifier against receipts made by the Python ledger (valid and tampered),
// and its Merkle code against the published RFC 6962 vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { b64decode, utf8 } from '../src/ledger/encoding.js';
import { ProofError, verifyConsistency, verifyInclusion } from '../src/ledger/merkle.js';
import { parseProofLines, receiptVerified, verifyReceipt } from '../src/ledger/index.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const VECTORS = resolve(ROOT, '..', 'shared', 'vectors', 'rfc6962');

function pythonFixtures() {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const python = join(ROOT, '.venv', 'bin', 'python');
  execFileSync(python, ['-m', 'tests.ledger.fixtures', dir], { cwd: ROOT });
  return JSON.parse(readFileSync(join(dir, 'ledger-fixtures.json'), 'utf8'));
}

const fixtures = pythonFixtures();
const options = { logKey: fixtures.logKey, witnessKeys: fixtures.witnessKeys };

test('every Python-made receipt gets the same verdict and failing checks in JS', () => {
  assert.ok(fixtures.cases.some((c) => c.verified) && fixtures.cases.some((c) => !c.verified));
  for (const c of fixtures.cases) {
    const checks = verifyReceipt(c.receipt, options);
    assert.equal(receiptVerified(checks), c.verified, `${c.name}: ${JSON.stringify(checks)}`);
    assert.deepEqual(checks.filter((k) => !k.ok).map((k) => k.name), c.failed, c.name);
    for (const k of checks) assert.ok(k.detail, `${c.name}: ${k.name} has no reason`);
  }
});

test('a valid receipt reports each check with its reason', () => {
  const valid = fixtures.cases.find((c) => c.name === 'valid').receipt;
  const checks = verifyReceipt(valid, { ...options, payloadBytes: utf8(fixtures.payload) });
  const names = checks.map((c) => c.name);
  assert.deepEqual(names.slice(0, 2), ['receipt format', 'log signature']);
  assert.ok(names.includes('witness quorum') && names.includes('inclusion') && names.includes('payload'));
  assert.ok(checks.every((c) => c.ok), JSON.stringify(checks));
  const other = verifyReceipt(valid, { ...options, payloadBytes: utf8('{"tracker":"x"}') });
  assert.equal(other.find((c) => c.name === 'payload').ok, false);
});

test('witness policy: missing cosignatures are not failures until the quorum is missed', () => {
  const dropped = fixtures.cases.find((c) => c.name === 'one-cosignature-dropped').receipt;
  const strict = verifyReceipt(dropped, options);
  assert.equal(receiptVerified(strict), false);
  assert.equal(strict.find((c) => c.name === 'witness quorum').detail, '1 of 2 required');
  assert.equal(receiptVerified(verifyReceipt(dropped, { ...options, minWitnesses: 1 })), true);
});

test('an earlier checkpoint and a consistency proof show the log stayed append-only', () => {
  const valid = fixtures.cases.find((c) => c.name === 'valid').receipt;
  const earlierCheckpoint = fixtures.history.earlier;
  const good = verifyReceipt(valid, { ...options, earlierCheckpoint, consistencyProof: parseProofLines(fixtures.history.proof) });
  assert.ok(receiptVerified(good));
  assert.match(good.at(-1).detail, /extends size 8/);
  const bad = verifyReceipt(valid, { ...options, earlierCheckpoint, consistencyProof: parseProofLines(fixtures.history.bad_proof) });
  assert.equal(receiptVerified(bad), false);
  assert.equal(bad.at(-1).name, 'append-only');
  const forged = verifyReceipt(valid, { ...options, earlierCheckpoint: earlierCheckpoint.replace('\n8\n', '\n9\n') });
  assert.equal(forged.at(-1).name, 'earlier checkpoint');
  assert.equal(forged.at(-1).ok, false);
});

test('a wrong log key is refused with a reason', () => {
  const valid = fixtures.cases.find((c) => c.name === 'valid').receipt;
  const wrong = verifyReceipt(valid, { ...options, logKey: fixtures.witnessKeys[0] });
  assert.equal(receiptVerified(wrong), false);
  assert.match(wrong.at(-1).detail, /type 0x04/);
});

function vectorFiles(kind) {
  const dir = join(VECTORS, kind);
  const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  return existsSync(dir) ? walk(dir).filter((f) => f.endsWith('.json')) : [];
}

const b64 = (s) => (s ? b64decode(s) : new Uint8Array(0));
const hashes = (list) => (list ?? []).map((s) => b64decode(s));

function expectOutcome(file, wantErr, fn) {
  if (wantErr) assert.throws(fn, ProofError, file);
  else assert.doesNotThrow(fn, file);
}

test('RFC 6962 inclusion vectors', { skip: !existsSync(VECTORS) && 'vectors absent' }, () => {
  const files = vectorFiles('inclusion');
  assert.ok(files.length > 50);
  for (const f of files) {
    const v = JSON.parse(readFileSync(f, 'utf8'));
    expectOutcome(f, v.wantErr, () => verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), hashes(v.proof), b64(v.root)));
  }
});

test('RFC 6962 consistency vectors', { skip: !existsSync(VECTORS) && 'vectors absent' }, () => {
  const files = vectorFiles('consistency');
  assert.ok(files.length > 50);
  for (const f of files) {
    const v = JSON.parse(readFileSync(f, 'utf8'));
    expectOutcome(f, v.wantErr, () => verifyConsistency(v.size1, v.size2, hashes(v.proof), b64(v.root1), b64(v.root2)));
  }
});
