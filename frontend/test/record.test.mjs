// The browser record verifier against records made by the Python factory: valid records pass
// with the same checks as in Python, and every tampered record fails with the very same check
// names as the Python verifier gives (docs/spec/election-record.md §5).
// Run: node --test frontend/test/   (needs .venv with the Python requirements)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RecordError, parseRecord, verifyRecord } from '../src/crypto/record.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
let dir;
const load = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'polity-record-'));
  const run = spawnSync(PYTHON, ['-m', 'tests.voting.record.fixtures', dir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function setPath(record, path, value) {
  const out = structuredClone(record);
  let target = out;
  for (const key of path.slice(0, -1)) target = target[key];
  target[path.at(-1)] = structuredClone(value);
  return out;
}

const failed = (report) => report.checks.filter((c) => c.status !== 'pass').map((c) => c.name);

test('Python-made records pass in JS with the same checks, in the same order, as in Python', async () => {
  const python = load('python-reports.json');
  for (const name of ['valid', 'weighted', 'empty']) {
    const progress = [];
    const report = await verifyRecord(load(`${name}.json`), { onProgress: (p) => progress.push(p) });
    assert.deepEqual(failed(report), [], JSON.stringify(report.checks.filter((c) => c.status !== 'pass')));
    assert.ok(report.ok);
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.status]),
      python[name].map((c) => [c.name, c.status]),
    );
    const last = progress.at(-1);
    assert.equal(last.done, last.total);
    assert.equal(last.phase, 'result');
    assert.deepEqual([...new Set(progress.map((p) => p.phase))], ['manifest', 'ceremony', 'roll', 'ledger', 'ballots', 'audited', 'tally', 'decryption', 'result']);
  }
});

test('every tampered record fails in JS naming the same checks as Python', async () => {
  const valid = load('valid.json');
  const cases = load('tamper.json');
  assert.ok(cases.length >= 40);
  for (const c of cases) {
    const report = await verifyRecord(setPath(valid, c.path, c.value));
    assert.equal(report.ok, false, c.id);
    assert.ok(failed(report).includes(c.expect), `${c.id}: ${c.expect} not in ${failed(report)}`);
    assert.deepEqual(failed(report), c.python, c.id);
  }
});

test('an audited ballot cast again under fresh proofs fails check 30 in JS as in Python, naming both trackers', async () => {
  const record = load('recast.json');
  const python = load('recast-report.json');
  const report = await verifyRecord(record);
  assert.deepEqual(
    report.checks.map((c) => [c.name, c.status, c.detail]),
    python.map((c) => [c.name, c.status, c.detail]),
  );
  assert.deepEqual(failed(report), ['audited.never_cast']);
  const { detail } = report.checks.find((c) => c.name === 'audited.never_cast');
  assert.ok(detail.includes(record.audited[0].tracker) && detail.includes(record.ballots[1].tracker), detail);
});

test('a pinned log key must match; pinned witnesses replace the record list', async () => {
  const valid = load('valid.json');
  const logKey = readFileSync(join(dir, 'log-key.txt'), 'utf8');
  assert.ok((await verifyRecord(valid, { logKey })).ok);
  const other = valid.ledger.witness_keys[0];
  const wrong = await verifyRecord(valid, { logKey: logKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+') });
  assert.deepEqual(failed(wrong).slice(0, 1), ['ledger.keys']);
  const onlyOne = await verifyRecord(valid, { witnessKeys: [other] });
  assert.ok(onlyOne.ok);
});

test('input that is not a record is refused with a reason (the CLI exit status 2)', async () => {
  assert.throws(() => parseRecord('{nope'), RecordError);
  assert.throws(() => parseRecord('[]'), /an election record is a JSON object/);
  assert.throws(() => parseRecord('{"version": "polity-election-record-v0"}'), /not a polity-election-record-v1 document/);
  await assert.rejects(verifyRecord(null), RecordError);
  const missing = structuredClone(load('valid.json'));
  delete missing.tally;
  const report = await verifyRecord(missing);
  assert.deepEqual(report.checks, [{ name: 'record.format', status: 'fail', detail: 'the record is missing tally' }]);
});
