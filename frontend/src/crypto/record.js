// Verify a published election record in the browser: every check of
// docs/spec/election-record.md §5, in order, with the names and verdicts of the Python
// verifier (voting/record/verifier.py; the two are tested against each other).
//
//   const { ok, checks } = await verifyRecord(record, { logKey, witnessKeys, onProgress });
//   checks: [{name, status: 'pass' | 'fail' | 'skip', detail}]
//   onProgress({done, total, phase}) as work advances; the event loop gets control between
//   chunks of ballots, so a page stays responsive and can draw a progress bar.

import * as cb from './record/ballots.js';
import * as ce from './record/election.js';
import * as cl from './record/anchors.js';
import * as ct from './record/tally.js';
import { RECORD_VERSION, RecordError, isObject } from './record/format.js';
import { LedgerView } from './record/ledger.js';
import { Runner, pause } from './record/runner.js';

export { RecordError, ceremonyId, digest } from './record/format.js';

const FIXED_CHECKS = 26;
const size = (v) => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : 0);

/** Parse a record's JSON text; RecordError when it is not a record at all. */
export function parseRecord(text) {
  let record;
  try {
    record = JSON.parse(text);
  } catch (e) {
    throw new RecordError(`not JSON: ${e.message}`);
  }
  checkIsRecord(record);
  return record;
}

function checkIsRecord(record) {
  if (!isObject(record)) throw new RecordError('an election record is a JSON object');
  if (record.version !== RECORD_VERSION) {
    throw new RecordError(`not a ${RECORD_VERSION} document (version ${JSON.stringify(record.version)})`);
  }
}

export async function verifyRecord(record, { logKey, witnessKeys, onProgress } = {}) {
  checkIsRecord(record);
  const others = isObject(record.anchors) ? size(record.anchors.other) : 0;
  const trustees = isObject(record.ceremony) ? size(record.ceremony.trustees) : 0;
  const total =
    FIXED_CHECKS + 5 * size(record.ballots) + 4 * size(record.audited) + trustees + size(record.decryptions) + others;
  const run = new Runner(total, onProgress);
  const s = {
    record,
    ledger: new LedgerView(record.ledger, logKey ?? null, witnessKeys ?? null),
    contests: [],
    trustees: [],
    ballots: [],
    audited: [],
    partials: [],
    roll: new Map(),
  };
  const report = () => ({ ok: run.checks.length > 0 && run.checks.every((c) => c.status === 'pass'), checks: run.checks });

  run.phase = 'manifest';
  if (!run.check('record.format', [], () => ce.recordFormat(s))) return report();
  run.check('manifest.format', [], () => ce.manifestFormat(s));
  run.check('manifest.context', ['manifest.format'], () => ce.manifestContext(s));
  run.check('manifest.fingerprint', ['manifest.context'], () => ce.manifestFingerprint(s));
  await pause();

  run.phase = 'ceremony';
  run.check('ceremony.format', [], () => ce.ceremonyFormat(s));
  run.check('ceremony.id', ['ceremony.format'], () => ce.ceremonyIdentity(s));
  for (const t of s.trustees) run.check(`ceremony.trustee[${t.index}]`, ['ceremony.format'], () => ce.ceremonyTrustee(s, t.index));
  run.check('ceremony.joint_key', ['manifest.context', 'ceremony.format'], () => ce.ceremonyJointKey(s));
  run.check('ceremony.shares', ['ceremony.format'], () => ce.ceremonyShares(s));
  await pause();

  run.phase = 'roll';
  run.check('roll.format', [], () => ce.rollFormat(s));
  run.check('roll.hash', ['roll.format'], () => ce.rollHash(s));

  run.phase = 'ledger';
  run.check('ledger.keys', [], () => s.ledger.checkKeys());
  run.check('ledger.checkpoint', ['ledger.keys'], () => s.ledger.checkCheckpoint());
  for (const role of Object.keys(cl.ANCHOR_KINDS)) run.check(`ledger.anchor.${role}`, ['ledger.checkpoint'], () => cl.anchor(s, role));
  await run.family('ledger.anchor.other[{}]', others, 'anchors', () => ['ledger.checkpoint'], (i) => cl.otherAnchor(s, i));

  run.phase = 'ballots';
  const n = record.ballots.length;
  s.ballots = new Array(n).fill(null);
  await run.family('ballot[{}].format', n, 'ballots', () => [], (i) => cb.ballotFormat(s, i));
  const families = [
    ['voter', ['roll.format'], cb.ballotVoter],
    ['tracker', [], cb.ballotTrackerCheck],
    ['receipt', ['ledger.checkpoint'], cb.ballotReceipt],
  ];
  for (const [name, needs, fn] of families) {
    await run.family(`ballot[{}].${name}`, n, 'ballots', (i) => [`ballot[${i}].format`, ...needs], (i) => fn(s, i));
  }
  await cb.ballotProofs(s, run);
  run.check('ballots.unique_trackers', ['ballot[*].format'], () => cb.uniqueTrackers(s));
  run.check('ballots.last_counts', ['ballot[*].format'], () => cb.lastCounts(s));

  run.phase = 'audited';
  const m = record.audited.length;
  s.audited = new Array(m).fill(null);
  const audit = [
    ['format', [], cb.auditedFormat],
    ['tracker', [], cb.auditedTracker],
    ['receipt', ['ledger.checkpoint'], cb.auditedReceipt],
    ['reveal', ['manifest.context', 'roll.format'], cb.auditedReveal],
  ];
  for (const [name, needs, fn] of audit) {
    const deps = (i) => (name === 'format' ? [] : [`audited[${i}].format`, ...needs]);
    await run.family(`audited[{}].${name}`, m, 'audited ballots', deps, (i) => fn(s, i));
  }
  const both = ['ballot[*].format', 'audited[*].format'];
  run.check('audited.never_cast', both, () => cb.neverCast(s));
  run.check('ledger.order', both, () => cl.order(s));

  run.phase = 'tally';
  run.check('tally.format', ['manifest.format'], () => ct.tallyFormat(s));
  run.check('tally.aggregate', ['manifest.context', 'roll.format', 'tally.format', 'ballot[*].format'], () => ct.tallyAggregate(s));
  await pause();

  run.phase = 'decryption';
  run.check('decryption.format', ['ceremony.format', 'tally.format'], () => ct.decryptionFormat(s));
  const valid = [];
  for (const p of s.partials) {
    if (run.check(`decryption.partial[${p.trustee}]`, ['manifest.context', 'decryption.format'], () => ct.decryptionPartial(s, p))) {
      valid.push(p);
    }
    await pause();
  }

  run.phase = 'result';
  run.check('result.format', ['manifest.format'], () => ct.resultFormat(s));
  run.check('result.ballots', ['ballot[*].format', 'result.format'], () => ct.resultBallots(s));
  run.check('result.counts', ['manifest.context', 'tally.format', 'decryption.format', 'result.format'], () =>
    ct.resultCounts(s, valid),
  );
  return report();
}
