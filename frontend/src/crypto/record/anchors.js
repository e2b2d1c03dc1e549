// Checks 14-18 and 31 of spec §5: the lifecycle anchors and the order of everything in the log.
// The payloads are those of spec §3 (voting/record/build.py builds the same).

import { CheckFailed, compare, digest, exactKeys, isObject, sameJson, string } from './format.js';
import { leafIndex } from './ledger.js';

export const ANCHOR_KINDS = {
  frozen: 'election.frozen',
  opened: 'election.opened',
  closed: 'election.closed',
  published: 'election.published',
};

function expected(s, role) {
  const rec = s.record;
  if (role === 'frozen') {
    return {
      election: rec.manifest.election,
      fingerprint: rec.context.fingerprint,
      public_key: rec.context.public_key,
      manifest_sha256: digest(rec.manifest),
      roll_sha256: rec.roll.sha256,
      ceremony_sha256: digest(rec.ceremony),
    };
  }
  if (role === 'opened') return { election: s.election, fingerprint: rec.context.fingerprint };
  if (role === 'closed') {
    const trackers = rec.ballots.map((b) => (isObject(b) ? b.tracker : undefined));
    if (!trackers.every((t) => typeof t === 'string')) {
      throw new CheckFailed('anchors.closed: not every ballot has a tracker to recompute from');
    }
    return { election: s.election, ballots: trackers.length, trackers_sha256: digest([...trackers].sort(compare)) };
  }
  return {
    election: s.election,
    tally_sha256: digest(rec.tally),
    decryptions_sha256: digest(rec.decryptions),
    result_sha256: digest(rec.result),
  };
}

export function anchor(s, role) {
  const where = `anchors.${role}`;
  const item = exactKeys(s.record.anchors[role], ['kind', 'payload', 'receipt'], where);
  const kind = ANCHOR_KINDS[role];
  if (item.kind !== kind) throw new CheckFailed(`${where}.kind must be '${kind}'`);
  const proven = s.ledger.prove(item.receipt, kind, item.payload, `${where}.receipt`);
  let want;
  try {
    want = expected(s, role);
  } catch (e) {
    if (e instanceof CheckFailed) throw e;
    throw new CheckFailed(`${where}: cannot recompute the payload from the record (${e.message})`);
  }
  if (!sameJson(item.payload, want)) {
    const payload = isObject(item.payload) ? item.payload : {};
    let fields = Object.keys(want).filter((k) => !(k in payload) || !sameJson(payload[k], want[k]));
    if (!fields.length) fields = Object.keys(payload).filter((k) => !(k in want));
    throw new CheckFailed(`${where}.payload does not match the record: ${fields.sort().join(', ')} differ(s)`);
  }
  return `leaf ${proven.index} at ${proven.entry.time}`;
}

export function otherAnchor(s, i) {
  const where = `anchors.other[${i}]`;
  const item = exactKeys(s.record.anchors.other[i], ['kind', 'payload', 'receipt'], where);
  const kind = string(item.kind, `${where}.kind`);
  if (!isObject(item.payload) || item.payload.election !== s.election) {
    throw new CheckFailed(`${where}.payload must name this election`);
  }
  const proven = s.ledger.prove(item.receipt, kind, item.payload, `${where}.receipt`);
  return `${kind} at leaf ${proven.index}`;
}

const indexOf = (item) => (isObject(item) ? leafIndex(item.receipt) : null);

/** frozen < opened < every cast and audited ballot < closed < published; lists increasing. */
export function order(s) {
  const anchors = s.record.anchors;
  const at = {};
  for (const role of Object.keys(ANCHOR_KINDS)) at[role] = indexOf(anchors[role]);
  const problems = [];
  const chain = Object.keys(ANCHOR_KINDS).filter((r) => at[r] !== null);
  for (let i = 0; i + 1 < chain.length; i++) {
    const [r1, r2] = [chain[i], chain[i + 1]];
    if (!(at[r1] < at[r2])) problems.push(`anchor ${r1} (leaf ${at[r1]}) is not before ${r2} (leaf ${at[r2]})`);
  }
  for (const [key, noun] of [
    ['ballots', 'ballot'],
    ['audited', 'audited'],
  ]) {
    let last = null;
    s.record[key].forEach((item, i) => {
      const idx = indexOf(item);
      if (idx === null) return;
      if (at.opened !== null && idx <= at.opened) problems.push(`${noun}[${i}] (leaf ${idx}) was logged before the election opened`);
      if (at.closed !== null && idx >= at.closed) problems.push(`${noun}[${i}] (leaf ${idx}) was logged after the election closed`);
      if (last !== null && idx <= last) problems.push(`${noun}[${i}] (leaf ${idx}) is out of ledger order`);
      last = idx;
    });
  }
  if (problems.length) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new CheckFailed(problems.slice(0, 5).join('; ') + more);
  }
  return 'anchors, ballots and audits are in ledger order within the voting window';
}
