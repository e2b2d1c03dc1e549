// Encrypting and verifying ballots; Benaloh audits (docs/spec/ballot.md sections 5-7).

import { canonicalJson, sha256Hex } from './canonical.js';
import { EncodingError, VerificationError } from './errors.js';
import {
  G,
  IDENTITY,
  mod,
  mulSecret,
  pointFromHex,
  pointToBytes,
  pointToHex,
  randomNonzeroScalar,
  scalarFromHex,
  scalarToHex,
  u32,
} from './group.js';
import { TAG_CONTEST, TAG_SELECTION, utf8Bytes } from './hash.js';
import { decodeBranches, proveRange, verifyRange } from './proofs.js';

export const BALLOT_VERSION = 'polity-ballot-v1';
const TRACKER_PREFIX = 'polity-ballot-tracker-v1';

function encryptValue(ctx, m, r) {
  const alpha = mulSecret(G, r);
  const rk = mulSecret(ctx.publicKey, r);
  return { alpha, beta: m === 0 ? rk : rk.add(mulSecret(G, BigInt(m))) };
}

function selectionStatement(ctx, voter, contest, selectionId, alpha, beta) {
  return [
    ctx.fingerprint,
    utf8Bytes(voter),
    ctx.publicKeyBytes,
    utf8Bytes(contest.id),
    utf8Bytes(selectionId),
    u32(0),
    u32(contest.max_per_selection),
    pointToBytes(alpha),
    pointToBytes(beta),
  ];
}

function contestStatement(ctx, voter, contest, cts) {
  const parts = [
    ctx.fingerprint,
    utf8Bytes(voter),
    ctx.publicKeyBytes,
    utf8Bytes(contest.id),
    u32(contest.min_votes),
    u32(contest.max_votes),
  ];
  for (const { alpha, beta } of cts) parts.push(pointToBytes(alpha), pointToBytes(beta));
  return parts;
}

export function checkChoices(ctx, choices) {
  for (const cid of Object.keys(choices)) {
    if (!ctx.contests.some((c) => c.id === cid)) throw new RangeError(`unknown contest '${cid}'`);
  }
  for (const contest of ctx.contests) {
    const picked = choices[contest.id] ?? {};
    let total = 0;
    for (const [sid, vote] of Object.entries(picked)) {
      if (!contest.selections.includes(sid)) throw new RangeError(`contest '${contest.id}': unknown selection '${sid}'`);
      if (!Number.isSafeInteger(vote) || vote < 0 || vote > contest.max_per_selection) {
        throw new RangeError(`contest '${contest.id}' selection '${sid}': vote must be an integer 0..${contest.max_per_selection}`);
      }
      total += vote;
    }
    if (total < contest.min_votes || total > contest.max_votes) {
      throw new RangeError(`contest '${contest.id}': ${total} vote(s) given, allowed ${contest.min_votes}..${contest.max_votes}`);
    }
  }
}

/**
 * Encrypt and prove a ballot. choices = {contestId: {selectionId: vote}}, missing = 0.
 * Returns {ballot, secrets, tracker}: ballot is the JSON to cast, secrets the Benaloh reveal.
 */
export function encryptBallot(ctx, voter, choices) {
  checkChoices(ctx, choices);
  const contests = [];
  const revealed = [];
  for (const contest of ctx.contests) {
    const picked = choices[contest.id] ?? {};
    const selections = [];
    const cts = [];
    const secrets = [];
    let total = 0;
    let totalNonce = 0n;
    for (const sid of contest.selections) {
      const vote = picked[sid] ?? 0;
      const nonce = randomNonzeroScalar();
      const ct = encryptValue(ctx, vote, nonce);
      const proof = proveRange(ctx, {
        tag: TAG_SELECTION,
        statement: selectionStatement(ctx, voter, contest, sid, ct.alpha, ct.beta),
        value: vote,
        nonce,
        lo: 0,
        hi: contest.max_per_selection,
      });
      selections.push({ id: sid, alpha: pointToHex(ct.alpha), beta: pointToHex(ct.beta), proof });
      cts.push(ct);
      secrets.push({ id: sid, vote, nonce: scalarToHex(nonce) });
      total += vote;
      totalNonce = mod(totalNonce + nonce);
    }
    const proof = proveRange(ctx, {
      tag: TAG_CONTEST,
      statement: contestStatement(ctx, voter, contest, cts),
      value: total,
      nonce: totalNonce,
      lo: contest.min_votes,
      hi: contest.max_votes,
    });
    contests.push({ id: contest.id, selections, proof });
    revealed.push({ id: contest.id, selections: secrets });
  }
  const ballot = { version: BALLOT_VERSION, election: ctx.fingerprintHex, voter, contests };
  const tracker = ballotTracker(ballot);
  return { ballot, secrets: { tracker, contests: revealed }, tracker };
}

export function ballotTracker(ballot) {
  return sha256Hex(utf8Bytes(TRACKER_PREFIX + canonicalJson(ballot)));
}

function exactKeys(obj, keys, what) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj) || Object.keys(obj).sort().join(',') !== keys) {
    throw new EncodingError(`${what} must have exactly ${keys.split(',').join(', ')}`);
  }
}

/** Verify a ballot in its JSON form; throws EncodingError or VerificationError with a reason. */
export function verifyBallot(ctx, ballot, voter = undefined) {
  exactKeys(ballot, 'contests,election,version,voter', 'ballot');
  if (ballot.version !== BALLOT_VERSION) throw new EncodingError(`unknown ballot version '${ballot.version}'`);
  if (typeof ballot.voter !== 'string' || ballot.voter.length === 0 || (ballot.voter.isWellFormed && !ballot.voter.isWellFormed())) {
    throw new EncodingError('ballot voter must be a non-empty string');
  }
  if (ballot.election !== ctx.fingerprintHex) throw new VerificationError('ballot is for another election (fingerprint mismatch)');
  if (voter !== undefined && ballot.voter !== voter) {
    throw new VerificationError(`ballot is bound to voter '${ballot.voter}', not '${voter}'`);
  }
  if (!Array.isArray(ballot.contests)) throw new EncodingError('ballot contests must be a list');
  const got = ballot.contests.map((c) => c?.id);
  const want = ctx.contests.map((c) => c.id);
  if (got.join('\n') !== want.join('\n')) throw new VerificationError(`ballot contests do not match the manifest`);
  ctx.contests.forEach((contest, ci) => {
    const enc = ballot.contests[ci];
    exactKeys(enc, 'id,proof,selections', 'contest');
    const where = `contest '${contest.id}'`;
    if (!Array.isArray(enc.selections)) throw new EncodingError(`${where}: selections must be a list`);
    const sels = enc.selections.map((s) => {
      exactKeys(s, 'alpha,beta,id,proof', 'selection');
      return { id: s.id, alpha: pointFromHex(s.alpha), beta: pointFromHex(s.beta), proof: decodeBranches(s.proof) };
    });
    if (sels.map((s) => s.id).join('\n') !== contest.selections.join('\n')) {
      throw new VerificationError(`${where}: selections do not match the manifest`);
    }
    verifyRange(ctx, decodeBranches(enc.proof), {
      tag: TAG_CONTEST,
      statement: contestStatement(ctx, ballot.voter, contest, sels),
      lo: contest.min_votes,
      hi: contest.max_votes,
      alpha: sels.reduce((s, x) => s.add(x.alpha), IDENTITY),
      beta: sels.reduce((s, x) => s.add(x.beta), IDENTITY),
      where,
    });
    for (const s of sels) {
      verifyRange(ctx, s.proof, {
        tag: TAG_SELECTION,
        statement: selectionStatement(ctx, ballot.voter, contest, s.id, s.alpha, s.beta),
        lo: 0,
        hi: contest.max_per_selection,
        alpha: s.alpha,
        beta: s.beta,
        where: `${where} selection '${s.id}'`,
      });
    }
  });
}

/** Check a spoiled ballot against its revealed secrets; returns {contestId: {selectionId: vote}}. */
export function verifyAuditedBallot(ctx, ballot, secrets) {
  verifyBallot(ctx, ballot);
  if (secrets.tracker !== ballotTracker(ballot)) {
    throw new VerificationError('audit: the revealed secrets are for another ballot tracker');
  }
  const choices = {};
  ballot.contests.forEach((enc, ci) => {
    const rev = secrets.contests[ci];
    if (!rev || rev.id !== enc.id) throw new VerificationError(`contest '${enc.id}': audit secrets do not match`);
    choices[enc.id] = {};
    enc.selections.forEach((sel, si) => {
      const s = rev.selections[si];
      if (!s || s.id !== sel.id) throw new VerificationError(`contest '${enc.id}': audit secrets do not match`);
      const ct = encryptValue(ctx, s.vote, scalarFromHex(s.nonce));
      if (!ct.alpha.equals(pointFromHex(sel.alpha)) || !ct.beta.equals(pointFromHex(sel.beta))) {
        throw new VerificationError(
          `contest '${enc.id}' selection '${sel.id}': the ciphertext is not an encryption of the revealed vote ${s.vote} with the revealed nonce`,
        );
      }
      choices[enc.id][sel.id] = s.vote;
    });
  });
  return choices;
}
