// Strict ballot decoding and batch verification for the record verifier (ballot.md §6, "Batch
// verification"). Mirrors voting/crypto (EncryptedBallot.from_json, ballot_fold,
// find_invalid_ballots): the same ballots are rejected, and each bad one is explained by the
// equation-by-equation verifyBallot of ../ballot.js.

import { BALLOT_VERSION, verifyBallot } from '../ballot.js';
import { EncodingError, VerificationError } from '../errors.js';
import { G, bytesToBigInt, mod, mulPublic, pointFromHex, pointToBytes, u32 } from '../group.js';
import { TAG_CONTEST, TAG_SELECTION, hashToScalar, utf8Bytes } from '../hash.js';
import { decodeBranches } from '../proofs.js';
import { msm, msmYielding } from './msm.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function exactly(obj, keys, message) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj) || Object.keys(obj).sort().join(',') !== keys) {
    throw new EncodingError(message);
  }
}

/** Decode a ballot's JSON as strictly as Python's EncryptedBallot.from_json. */
export function decodeBallot(wire) {
  exactly(wire, 'contests,election,version,voter', 'ballot must have exactly version, election, voter, contests');
  if (wire.version !== BALLOT_VERSION) throw new EncodingError(`unknown ballot version '${wire.version}'`);
  if (typeof wire.election !== 'string' || !/^([0-9a-f]{2})+$/.test(wire.election)) {
    throw new EncodingError('ballot election fingerprint must be lowercase hex');
  }
  const voter = wire.voter;
  if (typeof voter !== 'string' || !voter || LONE_SURROGATE.test(voter) || utf8Bytes(voter).length > 256) {
    throw new EncodingError('ballot voter must be a string of 1..256 UTF-8 bytes');
  }
  if (!Array.isArray(wire.contests)) throw new EncodingError('ballot contests must be a list');
  const contests = wire.contests.map((c) => {
    exactly(c, 'id,proof,selections', 'contest must have exactly id, selections, proof');
    if (typeof c.id !== 'string' || !Array.isArray(c.selections)) {
      throw new EncodingError('contest id must be a string and selections a list');
    }
    const selections = c.selections.map((s) => {
      exactly(s, 'alpha,beta,id,proof', 'selection must have exactly id, alpha, beta, proof');
      if (typeof s.id !== 'string') throw new EncodingError('selection id must be a string');
      return { id: s.id, alpha: pointFromHex(s.alpha), beta: pointFromHex(s.beta), proof: decodeBranches(s.proof) };
    });
    return { id: c.id, selections, proof: decodeBranches(c.proof) };
  });
  return { election: wire.election, voter, contests };
}

function selectionStatement(ctx, voter, contest, sel) {
  return [
    ctx.fingerprint,
    utf8Bytes(voter),
    ctx.publicKeyBytes,
    utf8Bytes(contest.id),
    utf8Bytes(sel.id),
    u32(0),
    u32(contest.max_per_selection),
    pointToBytes(sel.alpha),
    pointToBytes(sel.beta),
  ];
}

function contestStatement(ctx, voter, contest, sels) {
  const parts = [
    ctx.fingerprint,
    utf8Bytes(voter),
    ctx.publicKeyBytes,
    utf8Bytes(contest.id),
    u32(contest.min_votes),
    u32(contest.max_votes),
  ];
  for (const s of sels) parts.push(pointToBytes(s.alpha), pointToBytes(s.beta));
  return parts;
}

function checkChallenge(branches, tag, statement, lo, hi, where) {
  if (branches.length !== hi - lo + 1) {
    throw new VerificationError(`${where}: range proof has ${branches.length} branches, expected ${hi - lo + 1}`);
  }
  const parts = [...statement];
  for (const br of branches) parts.push(pointToBytes(br.a), pointToBytes(br.b));
  if (mod(branches.reduce((s, br) => s + br.c, 0n)) !== hashToScalar(tag, parts)) {
    throw new VerificationError(`${where}: range proof challenge mismatch`);
  }
}

/** Random odd 128-bit weights, drawn in one go. */
export function weights(count) {
  const bytes = new Uint8Array(16 * count);
  crypto.getRandomValues(bytes);
  const out = new Array(count);
  for (let i = 0; i < count; i++) out[i] = bytesToBigInt(bytes.subarray(16 * i, 16 * i + 16)) | 1n;
  return out;
}

function foldRange(fold, branches, lo) {
  const w = weights(2 * branches.length);
  let alpha = 0n;
  let beta = 0n;
  branches.forEach((br, idx) => {
    const j = BigInt(lo + idx);
    const [w1, w2] = [w[2 * idx], w[2 * idx + 1]];
    fold.g += w1 * br.v + w2 * br.c * j;
    fold.k += w2 * br.v;
    fold.points.push(br.a, br.b);
    fold.scalars.push(-w1, -w2);
    alpha -= w1 * br.c;
    beta -= w2 * br.c;
  });
  return [alpha, beta];
}

/** Every non-linear check of a decoded ballot; returns its equations folded with random weights. */
export function ballotFold(ctx, ballot) {
  if (ballot.election !== ctx.fingerprintHex) throw new VerificationError('ballot is for another election (fingerprint mismatch)');
  const got = ballot.contests.map((c) => c.id);
  const want = ctx.contests.map((c) => c.id);
  if (got.join('\n') !== want.join('\n')) throw new VerificationError(`ballot contests do not match the manifest`);
  const fold = { g: 0n, k: 0n, points: [], scalars: [] };
  ctx.contests.forEach((contest, ci) => {
    const enc = ballot.contests[ci];
    const where = `contest '${contest.id}'`;
    if (enc.selections.map((s) => s.id).join('\n') !== contest.selections.join('\n')) {
      throw new VerificationError(`${where}: selections do not match the manifest`);
    }
    const statement = contestStatement(ctx, ballot.voter, contest, enc.selections);
    checkChallenge(enc.proof, TAG_CONTEST, statement, contest.min_votes, contest.max_votes, where);
    const [sumAlpha, sumBeta] = foldRange(fold, enc.proof, contest.min_votes);
    for (const sel of enc.selections) {
      const label = `${where} selection '${sel.id}'`;
      checkChallenge(sel.proof, TAG_SELECTION, selectionStatement(ctx, ballot.voter, contest, sel), 0, contest.max_per_selection, label);
      const [ca, cb] = foldRange(fold, sel.proof, 0);
      fold.points.push(sel.alpha, sel.beta);
      fold.scalars.push(ca + sumAlpha, cb + sumBeta);
    }
  });
  return fold;
}

function combine(folds) {
  const points = [];
  const scalars = [];
  let g = 0n;
  let k = 0n;
  for (const f of folds) {
    for (let i = 0; i < f.points.length; i++) {
      points.push(f.points[i]);
      scalars.push(f.scalars[i]);
    }
    g += f.g;
    k += f.k;
  }
  return { points, scalars, g, k };
}

const closes = (ctx, sum, { g, k }) => sum.add(mulPublic(G, mod(g))).add(mulPublic(ctx.publicKey, mod(k))).is0();

function holds(ctx, folds) {
  const all = combine(folds);
  return closes(ctx, msm(all.points, all.scalars), all);
}

/** Like holds(), for a large chunk: the MSM hands the event loop a turn after every window. */
export async function holdsYielding(ctx, folds) {
  const all = combine(folds);
  return closes(ctx, await msmYielding(all.points, all.scalars), all);
}

function bisect(ctx, items) {
  if (!items.length || holds(ctx, items.map(([, f]) => f))) return [];
  if (items.length === 1) return [items[0][0]];
  const mid = items.length >> 1;
  return [...bisect(ctx, items.slice(0, mid)), ...bisect(ctx, items.slice(mid))];
}

/**
 * Positions of the invalid ballots with their reasons, [[pos, message], ...] sorted by pos.
 * `ballots` are decoded (decodeBallot), `wires` their JSON (to explain failures one by one).
 */
export function findInvalidBallots(ctx, ballots, wires) {
  const { folds, failures } = foldAll(ctx, ballots);
  return explain(ctx, folds, failures, wires);
}

/** Fold every ballot: {folds: [[pos, fold]], failures: [[pos, message]]} (non-linear checks). */
export function foldAll(ctx, ballots) {
  const failures = [];
  const folds = [];
  ballots.forEach((b, i) => {
    try {
      folds.push([i, ballotFold(ctx, b)]);
    } catch (e) {
      failures.push([i, e.message]);
    }
  });
  return { folds, failures };
}

/** Bisect the folds down to the false ones and explain each; returns all failures, sorted. */
export function explain(ctx, folds, failures, wires) {
  for (const i of bisect(ctx, folds)) {
    try {
      verifyBallot(ctx, wires[i]);
      failures.push([i, 'ballot equations do not hold']);
    } catch (e) {
      failures.push([i, e.message]);
    }
  }
  return failures.sort((a, b) => a[0] - b[0]);
}
