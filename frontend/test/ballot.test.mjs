// Ballot crypto in JS: published vectors, and ballots that cross between JS and Python both ways.
// Run: node --test frontend/test/   (needs .venv with the Python requirements for the cross tests)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hexToBytes } from '@noble/hashes/utils.js';
import * as crypto from '../src/crypto/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const VECTORS = join(ROOT, '..', 'shared', 'vectors', 'bn254', 'eip196.json');
const RFC9380 = join(ROOT, 'tests', 'voting', 'crypto', 'data', 'rfc9380.json');

function python(command, input) {
  const run = spawnSync(PYTHON, ['-m', 'tests.voting.crypto.js_interop', command], {
    cwd: ROOT,
    input: input === undefined ? '' : JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

function words(hex, count) {
  const bytes = new Uint8Array(32 * count);
  bytes.set(hexToBytes(hex).subarray(0, 32 * count));
  return bytes;
}

test('expand_message_xmd and hash_to_field match RFC 9380 vectors', () => {
  const data = JSON.parse(readFileSync(RFC9380, 'utf8'));
  const enc = new TextEncoder();
  for (const suite of data.expand_message_xmd) {
    for (const c of suite.tests) {
      const got = crypto.expandMessageXmd(enc.encode(c.msg), suite.DST, c.len_in_bytes);
      assert.equal(Buffer.from(got).toString('hex'), c.uniform_bytes);
    }
  }
  const h2f = data.hash_to_field;
  for (const c of h2f.tests) {
    const got = crypto.hashToField(enc.encode(c.msg), h2f.DST, h2f.count, BigInt(h2f.p));
    assert.deepEqual(got, c.u.map(BigInt));
  }
});

test('EIP-196 vectors through the JS point encodings', () => {
  const data = JSON.parse(readFileSync(VECTORS, 'utf8'));
  for (const c of data.scalar_mul) {
    const input = words(c.input, 3);
    const pt = crypto.pointFromBytes(input.subarray(0, 64), { allowIdentity: true });
    const k = BigInt('0x' + Buffer.from(input.subarray(64)).toString('hex'));
    assert.equal(crypto.pointToHex(crypto.mulPublic(pt, k)), c.expected, c.name);
  }
  for (const c of data.add) {
    const input = words(c.input, 4);
    const a = crypto.pointFromBytes(input.subarray(0, 64), { allowIdentity: true });
    const b = crypto.pointFromBytes(input.subarray(64), { allowIdentity: true });
    assert.equal(crypto.pointToHex(a.add(b)), c.expected, c.name);
  }
});

test('point and scalar decoding is strict', () => {
  const pt = crypto.mulPublic(crypto.G, 12345n);
  assert.ok(crypto.pointFromCompressed(crypto.pointToCompressed(pt)).equals(pt));
  assert.ok(crypto.pointFromCompressed(crypto.pointToCompressed(pt.negate())).equals(pt.negate()));
  assert.throws(() => crypto.pointFromHex('00'.repeat(64)), /identity/);
  assert.throws(() => crypto.pointFromHex('00'.repeat(31) + '01' + '00'.repeat(31) + '03'), /not on the BN254 curve/);
  assert.throws(() => crypto.pointFromHex(crypto.pointToHex(pt).toUpperCase()), /lowercase hex/);
  assert.throws(() => crypto.scalarFromHex(crypto.Q.toString(16).padStart(64, '0')), /below the group order/);
  assert.throws(() => crypto.pointFromCompressed(new Uint8Array(32)), /no point/);
});

test('a ballot encrypted in JS verifies in Python, and its audit checks out there', () => {
  const record = python('context');
  const ctx = crypto.makeContext(record);
  const choices = { mayor: { dave: 1 }, council: { g: 1, h: 1 }, budget: { roads: 2, parks: 1 } };
  const { ballot, secrets, tracker } = crypto.encryptBallot(ctx, 'alias-js', choices);
  crypto.verifyBallot(ctx, ballot, 'alias-js');
  const out = python('verify', { context: record, ballot, secrets });
  assert.equal(out.reason, undefined);
  assert.equal(out.ok, true);
  assert.equal(out.tracker, tracker);
  assert.equal(out.choices.mayor.dave, 1);
  assert.equal(out.choices.budget.roads, 2);
  assert.deepEqual(crypto.verifyAuditedBallot(ctx, ballot, secrets).council, { f: 0, g: 1, h: 1, i: 0 });
});

test('a ballot encrypted in Python verifies in JS with the same tracker', () => {
  const record = python('context');
  const ctx = crypto.makeContext(record);
  const out = python('encrypt', { context: record, voter: 'alias-py', choices: { mayor: { alice: 1 } } });
  crypto.verifyBallot(ctx, out.ballot, 'alias-py');
  assert.equal(crypto.ballotTracker(out.ballot), out.tracker);
  assert.equal(crypto.verifyAuditedBallot(ctx, out.ballot, out.secrets).mayor.alice, 1);
  assert.throws(() => crypto.verifyBallot(ctx, out.ballot, 'someone-else'), /bound to voter 'alias-py'/);
});

test('a tampered JS ballot is rejected in JS and in Python, with the reason', () => {
  const record = python('context');
  const ctx = crypto.makeContext(record);
  const { ballot } = crypto.encryptBallot(ctx, 'alias-js', { mayor: { bob: 1 } });
  const tampered = structuredClone(ballot);
  const branch = tampered.contests[0].selections[1].proof[1];
  branch.v = ((BigInt('0x' + branch.v) + 1n) % crypto.Q).toString(16).padStart(64, '0');
  const reason = /contest 'mayor' selection 'bob': range proof equation for value 1 fails/;
  assert.throws(() => crypto.verifyBallot(ctx, tampered), reason);
  const out = python('verify', { context: record, ballot: tampered });
  assert.equal(out.ok, false);
  assert.match(out.reason, reason);

  const moved = structuredClone(ballot);
  moved.voter = 'mallory';
  assert.throws(() => crypto.verifyBallot(ctx, moved), /challenge mismatch/);
  assert.match(python('verify', { context: record, ballot: moved }).reason, /challenge mismatch/);
});

test('the JS booth refuses choices that break the rules', () => {
  const ctx = crypto.makeContext(python('context'));
  assert.throws(() => crypto.encryptBallot(ctx, 'v', { mayor: { alice: 1, bob: 1 } }), /2 vote\(s\) given, allowed 0..1/);
  assert.throws(() => crypto.encryptBallot(ctx, 'v', { mayor: { alice: 2 } }), /vote must be an integer 0..1/);
});

test('JS verifies a tally decrypted by Python trustees, and rejects a wrong count', () => {
  const rec = python('tally-record');
  const ctx = crypto.makeContext(rec.context);
  const ceremony = hexToBytes(rec.ceremony);
  for (const t of rec.trustees) crypto.verifyTrusteePublic(ceremony, t, rec.threshold);
  assert.equal(crypto.pointToHex(crypto.jointPublicKey(rec.trustees)), rec.context.public_key);
  for (const b of rec.ballots) crypto.verifyBallot(ctx, b);
  crypto.verifyTally(ctx, rec.tally, rec.partials, rec.trustees, rec.threshold, rec.counts);
  assert.equal(rec.counts.mayor.bob, 2);
  assert.equal(rec.counts.budget.parks, 2);
  const wrong = structuredClone(rec.counts);
  wrong.mayor.bob = 3;
  assert.throws(
    () => crypto.verifyTally(ctx, rec.tally, rec.partials, rec.trustees, rec.threshold, wrong),
    /contest 'mayor' selection 'bob': published count 3 does not match/,
  );
  assert.throws(
    () => crypto.verifyTally(ctx, rec.tally, rec.partials.slice(0, 1), rec.trustees, rec.threshold, rec.counts),
    /1 trustee\(s\) decrypted; at least 2/,
  );
  const forged = structuredClone(rec.partials);
  forged[1].shares[0].m = forged[0].shares[0].m;
  assert.throws(
    () => crypto.verifyTally(ctx, rec.tally, forged, rec.trustees, rec.threshold, rec.counts),
    /trustee 3: decryption proof for contest 'mayor' selection 'alice' does not verify/,
  );
});
