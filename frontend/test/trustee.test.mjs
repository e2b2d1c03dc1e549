// A key ceremony with trustees in JS (the browser code) and in Python (what `manage.py trustee`
// runs) completes: proofs and shares verify both ways, the joint key agrees, a bad share is
// caught with the cheating trustee named, and JS partial decryptions verify and combine in
// Python. Trustee secret files cross between the two, sealed and plain.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as polity from '../src/crypto/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const ELECTION = 'mixed-2026';
const NAMES = ['ada', 'bo', 'cy'];

function python(command, request) {
  const run = spawnSync(PYTHON, ['-m', 'tests.voting.record.trustee_interop', command], {
    cwd: ROOT,
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('a ceremony with two JS trustees and one Python trustee decrypts a tally', async () => {
  const threshold = 2;
  const ceremony = polity.ceremonyId(ELECTION, threshold, NAMES.map((name, i) => ({ index: i + 1, name })));
  const pyId = python('ceremony-id', { election: ELECTION, threshold, trustees: NAMES.map((n, i) => [i + 1, n]) }).id;
  assert.equal(bytesToHex(ceremony), pyId);

  // 1. Each trustee generates; everyone checks everyone's Schnorr proofs.
  const js = [1, 2].map((i) => polity.generateTrustee(ceremony, i, NAMES[i - 1], threshold));
  const py = python('generate', { election: ELECTION, ceremony: pyId, index: 3, name: 'cy', threshold });
  const publics = [js[0].public, js[1].public, py.public];
  for (const pub of publics) polity.verifyTrusteePublic(ceremony, pub, threshold);
  for (const t of js) assert.deepEqual(python('verify-trustee', { ceremony: pyId, public: t.public, threshold }), { ok: true });

  // 2. Shares are dealt in sealed boxes and verified against the sender's commitments.
  const boxes = [...js.flatMap((t) => polity.dealShares(ceremony, t.secret, publics)), ...python('deal', { file: py.file, publics }).boxes];
  assert.equal(boxes.length, 6);
  const keyShares = js.map((t) => {
    const got = new Map();
    for (const box of boxes.filter((b) => b.recipient === t.secret.index)) {
      got.set(box.sender, polity.receiveShare(ceremony, t.secret, publics[box.sender - 1], box));
    }
    return polity.combineKeyShare(t.secret, got);
  });
  const received = python('receive', { file: py.file, publics, boxes });
  assert.equal(received.ok, true, received.reason);

  // 3. The key shares are consistent: S_l = s_l * G for the JS trustees.
  js.forEach((t, k) => assert.ok(polity.publicKeyShare(publics, t.secret.index).equals(polity.mulPublic(polity.G, keyShares[k]))));

  // 4. Python runs an election under the joint key; JS trustee 1 and Python trustee 3 decrypt.
  const election = python('election', { publics });
  assert.equal(election.context.public_key, polity.pointToHex(polity.jointPublicKey(publics)));
  const ctx = polity.makeContext(election.context);
  const partials = [
    polity.partialDecrypt(ctx, election.tally, 1, keyShares[0]),
    python('partial', { file: received.file, context: election.context, tally: election.tally }),
  ];
  const out = python('decrypt', { context: election.context, tally: election.tally, partials, publics, threshold });
  assert.equal(out.reason, undefined);
  assert.deepEqual(out.counts, election.expected);
  polity.verifyTally(ctx, election.tally, partials, publics, threshold, election.expected);

  // 5. Two JS trustees alone also suffice (the Python trustee is compensated).
  const jsOnly = js.map((t, k) => polity.partialDecrypt(ctx, election.tally, t.secret.index, keyShares[k]));
  assert.deepEqual(python('decrypt', { context: election.context, tally: election.tally, partials: jsOnly, publics, threshold }).counts, election.expected);

  // 6. A forged JS partial decryption is refused by Python, naming the trustee and selection.
  const forged = structuredClone(jsOnly);
  forged[1].shares[1].m = forged[0].shares[1].m;
  const refused = python('decrypt', { context: election.context, tally: election.tally, partials: forged, publics, threshold });
  assert.equal(refused.ok, false);
  assert.match(refused.reason, /trustee 2: decryption proof for contest 'mayor' selection 'bob' does not verify/);
});

test('a bad share is caught and the cheating trustee named, in both directions', () => {
  const threshold = 2;
  const ceremony = polity.ceremonyId(ELECTION, threshold, NAMES.map((name, i) => ({ index: i + 1, name })));
  const pyId = bytesToHex(ceremony);
  const js = [1, 2].map((i) => polity.generateTrustee(ceremony, i, NAMES[i - 1], threshold));
  const py = python('generate', { election: ELECTION, ceremony: pyId, index: 3, name: 'cy', threshold });
  const publics = [js[0].public, js[1].public, py.public];

  // JS trustee 2 cheats: it seals a value off its polynomial for the Python trustee.
  const honest = polity.dealShares(ceremony, js[0].secret, publics);
  const cheat = polity.sealShare(ceremony, 2, 3, Buffer.from(py.public.box_key, 'hex'), 12345n);
  const out = python('receive', { file: py.file, publics, boxes: [...honest, cheat] });
  assert.deepEqual([out.ok, out.trustee, out.trustee_name], [false, 2, 'bo']);
  assert.match(out.reason, /share for trustee 3 does not match the published commitments/);

  // Python trustee 3's box to JS trustee 1, replayed to JS trustee 2, does not open there.
  const pyBoxes = python('deal', { file: py.file, publics }).boxes;
  const toOne = pyBoxes.find((b) => b.recipient === 1);
  assert.ok(polity.receiveShare(ceremony, js[0].secret, py.public, toOne) > 0n);
  const replayed = { ...toOne, recipient: 2 };
  assert.throws(
    () => polity.receiveShare(ceremony, js[1].secret, py.public, replayed),
    (e) => e instanceof polity.ShareError && e.trustee === 3 && e.trusteeName === 'cy' && /does not decrypt/.test(e.message),
  );
  // A tampered ciphertext byte is caught as well.
  const flipped = { ...toOne, ciphertext: (toOne.ciphertext[0] === '0' ? '1' : '0') + toOne.ciphertext.slice(1) };
  assert.throws(() => polity.receiveShare(ceremony, js[0].secret, py.public, flipped), polity.ShareError);
  // A JS record with a broken Schnorr proof is refused by Python, naming the trustee.
  const bad = structuredClone(js[1].public);
  bad.proofs[0].v = bad.proofs[1].v;
  const verdict = python('verify-trustee', { ceremony: pyId, public: bad, threshold });
  assert.deepEqual([verdict.ok, verdict.trustee], [false, 2]);
  assert.match(verdict.reason, /trustee 2 \(bo\): Schnorr proof for coefficient 0 does not verify/);
});

test('trustee secret files cross between JS and Python, sealed and plain', async () => {
  const ceremony = polity.ceremonyId(ELECTION, 2, [{ index: 1, name: 'ada' }]);
  const { secret } = polity.generateTrustee(ceremony, 1, 'ada', 2);
  const file = { election: ELECTION, ceremony: bytesToHex(ceremony), threshold: 2, secret, keyShare: 42n };

  const sealed = await polity.writeTrusteeFile(file, { passphrase: 'correct horse', iterations: 1000 });
  const read = python('read-file', { text: sealed, passphrase: 'correct horse' });
  assert.equal(read.ok, true, read.reason);
  assert.deepEqual(read.file.coefficients, secret.coefficients.map(polity.scalarToHex));
  assert.equal(read.file.box_secret, bytesToHex(secret.boxSecret));
  assert.equal(BigInt('0x' + read.file.key_share), 42n);
  assert.deepEqual(python('read-file', { text: sealed, passphrase: 'wrong' }), { ok: false, reason: 'wrong passphrase or damaged file' });
  assert.deepEqual(python('read-file', { text: sealed }), { ok: false, reason: 'this trustee file is sealed: a passphrase is needed' });

  const fromPython = python('write-file', { file: read.file, passphrase: 'pässwörd', iterations: 1000 }).text;
  const back = await polity.readTrusteeFile(fromPython, { passphrase: 'pässwörd' });
  assert.deepEqual(back.secret.coefficients, secret.coefficients);
  assert.deepEqual(back.secret.boxSecret, secret.boxSecret);
  assert.equal(back.keyShare, 42n);
  await assert.rejects(polity.readTrusteeFile(fromPython, { passphrase: 'passwort' }), /wrong passphrase or damaged file/);
  const damaged = JSON.parse(fromPython);
  damaged.ciphertext = damaged.ciphertext.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  await assert.rejects(polity.readTrusteeFile(JSON.stringify(damaged), { passphrase: 'pässwörd' }), /wrong passphrase or damaged file/);

  const plain = await polity.writeTrusteeFile({ ...file, keyShare: null });
  assert.equal(python('read-file', { text: plain }).file.key_share, null);
  assert.equal((await polity.readTrusteeFile(plain)).keyShare, null);
  await assert.rejects(polity.readTrusteeFile('{"version": "something else"}'), /not a polity-trustee-secret-v1 file/);

  // The default work factor (600,000 PBKDF2 iterations) works through WebCrypto and Python.
  const strong = await polity.writeTrusteeFile(file, { passphrase: 'pw' });
  assert.equal(JSON.parse(strong).encryption.iterations, 600000);
  assert.equal(python('read-file', { text: strong, passphrase: 'pw' }).ok, true);
});
