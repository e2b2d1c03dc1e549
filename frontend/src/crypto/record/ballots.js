// Checks 19-30 of spec §5: cast ballots (batch-verified proofs, receipts, revotes) and audits.
// Mirrors voting/record/checks_ballots.py.

import { ballotTracker } from '../ballot.js';
import { G, mulPublic, scalarFromHex } from '../group.js';
import { decodeBallot, explain, findInvalidBallots, foldAll, holdsYielding } from './batch.js';
import { CheckFailed, alias, exactKeys, hex64, integer, isObject, ledgerTime, listing, string } from './format.js';
import { PASS, pause } from './runner.js';

const CAST_KEYS = ['alias', 'ballot', 'tracker', 'cast_at', 'superseded', 'receipt'];
const AUDIT_KEYS = ['alias', 'ballot', 'tracker', 'secrets', 'audited_at', 'receipt'];
const CHUNK = 1000; // ballots per folded MSM (which itself yields between its windows)

function decode(wire, where) {
  try {
    return decodeBallot(wire);
  } catch (e) {
    throw new CheckFailed(`${where}: ${e.message}`);
  }
}

/** Positions of the ballots that count: the last one of each alias, in ledger order. */
export function counted(items) {
  const last = new Map();
  items.forEach((b, i) => last.set(b.alias, i));
  return [...last.values()].sort((a, b) => a - b);
}

export function ballotFormat(s, i) {
  const where = `ballots[${i}]`;
  const item = exactKeys(s.record.ballots[i], CAST_KEYS, where);
  alias(item.alias, `${where}.alias`);
  hex64(item.tracker, `${where}.tracker`);
  ledgerTime(item.cast_at, `${where}.cast_at`);
  if (typeof item.superseded !== 'boolean') throw new CheckFailed(`${where}.superseded must be true or false`);
  string(item.receipt, `${where}.receipt`);
  s.ballots[i] = decode(item.ballot, `${where}.ballot`);
}

export function ballotVoter(s, i) {
  const item = s.record.ballots[i];
  if (s.ballots[i].voter !== item.alias) throw new CheckFailed(`ballots[${i}].ballot.voter is not ballots[${i}].alias`);
  if (!s.roll.has(item.alias)) throw new CheckFailed(`ballots[${i}].alias is not on the roll`);
}

export function ballotTrackerCheck(s, i) {
  const item = s.record.ballots[i];
  if (ballotTracker(item.ballot) !== item.tracker) {
    throw new CheckFailed(`ballots[${i}].tracker is not the tracker of ballots[${i}].ballot`);
  }
}

export function ballotReceipt(s, i) {
  const item = s.record.ballots[i];
  const proven = s.ledger.prove(item.receipt, 'ballot.cast', { election: s.election, tracker: item.tracker }, `ballots[${i}].receipt`);
  if (proven.entry.time !== item.cast_at) throw new CheckFailed(`ballots[${i}].cast_at is not the time of its ledger entry`);
}

/** Check 23: all proofs, folded into one MSM per chunk; each bad ballot is named. */
export async function ballotProofs(s, run) {
  const n = s.ballots.length;
  const results = new Array(n).fill(null).map(() => [PASS, 'ok']);
  const ready = [];
  for (let i = 0; i < n; i++) {
    const [status, detail] = run.attempt([`ballot[${i}].format`, 'manifest.context'], () => null);
    if (status === PASS) ready.push(i);
    else results[i] = [status, detail];
  }
  for (let start = 0; start < ready.length; start += CHUNK) {
    const chunk = ready.slice(start, start + CHUNK);
    const folds = [];
    const failures = [];
    for (let k = 0; k < chunk.length; k += 100) {
      const part = foldAll(s.ctx, chunk.slice(k, k + 100).map((i) => s.ballots[i]));
      for (const [pos, fold] of part.folds) folds.push([k + pos, fold]);
      for (const [pos, message] of part.failures) failures.push([k + pos, message]);
      await pause();
    }
    if (failures.length || !(await holdsYielding(s.ctx, folds.map(([, f]) => f)))) {
      const wires = chunk.map((i) => s.record.ballots[i].ballot);
      for (const [pos, message] of explain(s.ctx, folds, failures, wires)) {
        results[chunk[pos]] = ['fail', `ballots[${chunk[pos]}].ballot: ${message}`];
      }
    }
    run.tick(chunk.length);
  }
  run.tick(n - ready.length);
  run.familyResults('ballot[{}].proofs', 'ballots', results);
}

export function uniqueTrackers(s) {
  const seen = new Map();
  const repeats = [];
  s.record.ballots.forEach((item, i) => {
    if (seen.has(item.tracker)) repeats.push(`ballot[${i}] repeats the tracker of ballot[${seen.get(item.tracker)}]`);
    else seen.set(item.tracker, i);
  });
  if (repeats.length) throw new CheckFailed(repeats.slice(0, 10).join('; '));
  return `${seen.size} distinct tracker(s)`;
}

export function lastCounts(s) {
  const keep = new Set(counted(s.record.ballots));
  const wrong = [];
  s.record.ballots.forEach((item, i) => {
    if (item.superseded !== !keep.has(i)) wrong.push(`ballot[${i}].superseded is ${item.superseded}`);
  });
  if (wrong.length) throw new CheckFailed(wrong.slice(0, 10).join('; ') + ' (only the last ballot of each alias counts)');
  return `${keep.size} counted, ${s.record.ballots.length - keep.size} superseded`;
}

export function auditedFormat(s, i) {
  const where = `audited[${i}]`;
  const item = exactKeys(s.record.audited[i], AUDIT_KEYS, where);
  alias(item.alias, `${where}.alias`);
  hex64(item.tracker, `${where}.tracker`);
  ledgerTime(item.audited_at, `${where}.audited_at`);
  string(item.receipt, `${where}.receipt`);
  const ballot = decode(item.ballot, `${where}.ballot`);
  const secrets = exactKeys(item.secrets, ['tracker', 'contests'], `${where}.secrets`);
  hex64(secrets.tracker, `${where}.secrets.tracker`);
  const contests = listing(secrets.contests, `${where}.secrets.contests`);
  const ids = contests.map((c) => (isObject(c) ? c.id : null));
  if (ids.length !== ballot.contests.length || ids.some((id, k) => id !== ballot.contests[k].id)) {
    throw new CheckFailed(`${where}.secrets.contests do not follow the ballot's contests`);
  }
  contests.forEach((c, ci) => {
    const cw = `${where}.secrets.contests[${ci}]`;
    exactKeys(c, ['id', 'selections'], cw);
    const sels = listing(c.selections, `${cw}.selections`);
    sels.forEach((sel, si) => {
      exactKeys(sel, ['id', 'vote', 'nonce'], `${cw}.selections[${si}]`);
      integer(sel.vote, `${cw}.selections[${si}].vote`);
    });
    const want = ballot.contests[ci].selections.map((x) => x.id);
    if (sels.length !== want.length || sels.some((sel, k) => sel.id !== want[k])) {
      throw new CheckFailed(`${cw}.selections do not follow the ballot's selections`);
    }
    try {
      for (const sel of sels) scalarFromHex(sel.nonce);
    } catch (e) {
      throw new CheckFailed(`${where}.secrets: ${e.message}`);
    }
  });
  s.audited[i] = ballot;
}

export function auditedTracker(s, i) {
  const item = s.record.audited[i];
  if (ballotTracker(item.ballot) !== item.tracker || item.secrets.tracker !== item.tracker) {
    throw new CheckFailed(`audited[${i}].tracker (and secrets.tracker) must be the tracker of the ballot`);
  }
}

export function auditedReceipt(s, i) {
  const item = s.record.audited[i];
  const payload = { election: s.election, tracker: item.tracker };
  const proven = s.ledger.prove(item.receipt, 'ballot.audited', payload, `audited[${i}].receipt`);
  if (proven.entry.time !== item.audited_at) throw new CheckFailed(`audited[${i}].audited_at is not the time of its ledger entry`);
}

/** Benaloh: the ballot verifies and every selection re-encrypts from the revealed vote and nonce. */
export function auditedReveal(s, i) {
  const item = s.record.audited[i];
  const ballot = s.audited[i];
  if (ballot.voter !== item.alias || !s.roll.has(item.alias)) {
    throw new CheckFailed(`audited[${i}].alias must be the ballot's voter and on the roll`);
  }
  const bad = findInvalidBallots(s.ctx, [ballot], [item.ballot]);
  if (bad.length) throw new CheckFailed(`audited[${i}]: ${bad[0][1]}`);
  if (item.secrets.tracker !== ballotTracker(item.ballot)) {
    throw new CheckFailed(`audited[${i}]: audit: the revealed secrets are for another ballot tracker`);
  }
  let picked = 0;
  ballot.contests.forEach((enc, ci) => {
    enc.selections.forEach((sel, si) => {
      const { vote, nonce } = item.secrets.contests[ci].selections[si];
      const r = scalarFromHex(nonce);
      const alpha = mulPublic(G, r);
      const beta = mulPublic(s.ctx.publicKey, r).add(mulPublic(G, BigInt(vote)));
      if (!alpha.equals(sel.alpha) || !beta.equals(sel.beta)) {
        throw new CheckFailed(
          `audited[${i}]: contest '${enc.id}' selection '${sel.id}': the ciphertext is not an encryption of the revealed vote ${vote} with the revealed nonce`,
        );
      }
      picked += vote;
    });
  });
  return `re-encrypts to ${picked} vote(s)`;
}

/** A decoded ballot's selection alphas as written; strict decoding made the hex canonical. */
function alphas(wire) {
  return new Set(wire.contests.flatMap((c) => c.selections.map((sel) => sel.alpha)));
}

/**
 * Check 30: no audited ballot is cast, by tracker or by ciphertext. The revealed nonces let anyone
 * prove an audited ballot's ciphertexts again under a new tracker, so a cast ballot (counted or
 * superseded) of the same voter sharing any selection alpha with an audited ballot is named.
 */
export function neverCast(s) {
  const ballots = s.record.ballots;
  const cast = new Map(ballots.map((item, i) => [item.tracker, i]));
  const ofVoter = new Map();
  s.ballots.forEach((ballot, i) => {
    if (!ofVoter.has(ballot.voter)) ofVoter.set(ballot.voter, []);
    ofVoter.get(ballot.voter).push(i);
  });
  const both = [];
  s.record.audited.forEach((item, i) => {
    if (cast.has(item.tracker)) {
      both.push(`audited[${i}] was cast as ballot[${cast.get(item.tracker)}]`);
      return;
    }
    const shared = alphas(item.ballot);
    for (const j of ofVoter.get(s.audited[i].voter) ?? []) {
      if ([...alphas(ballots[j].ballot)].some((a) => shared.has(a))) {
        both.push(
          `audited[${i}] (tracker ${item.tracker}) shares a selection alpha with ballot[${j}] (tracker ${ballots[j].tracker}): a re-proven copy was cast`,
        );
      }
    }
  });
  if (both.length) throw new CheckFailed(both.slice(0, 10).join('; '));
  return `${s.record.audited.length} audited ballot(s), none cast, no ciphertext shared`;
}
