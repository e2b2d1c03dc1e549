// Checks 1-11 of spec §5: the record's shape, manifest and context, ceremony, roll.
// Mirrors voting/record/checks_election.py.

import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { electionFingerprint, makeContext, normalizeContest } from '../election.js';
import { pointFromHex, pointToHex } from '../group.js';
import { decodeTrustee, jointPublicKey, verifyTrusteePublic } from '../tally.js';
import {
  CheckFailed,
  MAX_WEIGHT,
  RECORD_VERSION,
  alias,
  ceremonyId,
  digest,
  electionId,
  exactKeys,
  hex64,
  integer,
  isObject,
  listing,
  sameJson,
  string,
} from './format.js';

export const TOP_KEYS = [
  'version',
  'election',
  'manifest',
  'context',
  'ceremony',
  'roll',
  'ballots',
  'audited',
  'tally',
  'decryptions',
  'result',
  'anchors',
  'ledger',
];
const LISTS = ['ballots', 'audited', 'decryptions'];
export const ANCHOR_ROLES = ['frozen', 'opened', 'closed', 'published'];
const CONTEST_KEYS = ['id', 'selections', 'max_votes', 'min_votes', 'max_per_selection'];

export function recordFormat(s) {
  const rec = exactKeys(s.record, TOP_KEYS, 'the record');
  if (rec.version !== RECORD_VERSION) throw new CheckFailed(`version must be '${RECORD_VERSION}'`);
  if (!electionId(rec.election)) throw new CheckFailed('election must be an id of 1-64 characters A-Z a-z 0-9 _ . : -');
  for (const key of TOP_KEYS.slice(2)) {
    const isList = LISTS.includes(key);
    if (isList ? !Array.isArray(rec[key]) : !isObject(rec[key])) {
      throw new CheckFailed(`${key} must be ${isList ? 'a list' : 'an object'}`);
    }
  }
  const anchors = exactKeys(rec.anchors, ANCHOR_ROLES, 'anchors', ['other']);
  listing(anchors.other ?? [], 'anchors.other');
  s.election = rec.election;
  return `election ${s.election}`;
}

function decodeContest(c, where) {
  exactKeys(c, CONTEST_KEYS, where);
  for (const key of CONTEST_KEYS.slice(2)) integer(c[key], `${where}.${key}`);
  const contest = normalizeContest(c);
  if (contest.min_votes > contest.selections.length * contest.max_per_selection) {
    throw new CheckFailed(`contest '${contest.id}': min_votes cannot be reached`);
  }
  return contest;
}

export function manifestFormat(s) {
  const man = exactKeys(s.record.manifest, ['election', 'title', 'scope', 'contests', 'labels'], 'manifest');
  if (man.election !== s.election) throw new CheckFailed("manifest.election is not the record's election");
  string(man.title, 'manifest.title');
  if (man.scope !== null) string(man.scope, 'manifest.scope');
  const contests = listing(man.contests, 'manifest.contests');
  if (!contests.length) throw new CheckFailed('manifest.contests is empty');
  const decoded = contests.map((c, i) => decodeContest(c, `manifest.contests[${i}]`));
  if (new Set(decoded.map((c) => c.id)).size !== decoded.length) {
    throw new CheckFailed('manifest.contests: contest ids are not unique');
  }
  const labels = listing(man.labels, 'manifest.labels');
  if (labels.length !== decoded.length) throw new CheckFailed('manifest.labels must have one entry per contest');
  labels.forEach((label, i) => {
    const where = `manifest.labels[${i}]`;
    exactKeys(label, ['id', 'title', 'description', 'selections'], where);
    string(label.title, `${where}.title`);
    string(label.description, `${where}.description`);
    const sels = listing(label.selections, `${where}.selections`);
    sels.forEach((sel, j) => {
      exactKeys(sel, ['id', 'label'], `${where}.selections[${j}]`);
      string(sel.label, `${where}.selections[${j}].label`);
    });
    const contest = decoded[i];
    if (label.id !== contest.id || sels.map((x) => x.id).join('\n') !== contest.selections.join('\n') || sels.some((x) => typeof x.id !== 'string')) {
      throw new CheckFailed(`${where} does not name contest '${contest.id}' and its selections`);
    }
  });
  s.contests = decoded;
  return `${decoded.length} contest(s)`;
}

export function manifestContext(s) {
  const ctx = exactKeys(s.record.context, ['fingerprint', 'public_key', 'contests'], 'context');
  hex64(ctx.fingerprint, 'context.fingerprint');
  if (!sameJson(ctx.contests, s.record.manifest.contests)) throw new CheckFailed('context.contests differ from manifest.contests');
  pointFromHex(ctx.public_key);
  s.ctx = makeContext({ fingerprint: ctx.fingerprint, public_key: ctx.public_key, contests: s.contests });
  return 'context matches the manifest';
}

export function manifestFingerprint(s) {
  const want = bytesToHex(electionFingerprint(s.election, s.contests, s.ctx.publicKey));
  if (want !== s.ctx.fingerprintHex) {
    throw new CheckFailed('context.fingerprint is not the fingerprint of the election id, contests and key');
  }
  return want;
}

export function ceremonyFormat(s) {
  const cer = exactKeys(s.record.ceremony, ['id', 'threshold', 'trustees'], 'ceremony', ['shares']);
  const id = hex64(cer.id, 'ceremony.id');
  const trustees = listing(cer.trustees, 'ceremony.trustees');
  if (!trustees.length) throw new CheckFailed('ceremony.trustees is empty');
  const decoded = trustees.map((t, i) => {
    const where = `ceremony.trustees[${i}]`;
    exactKeys(t, ['index', 'name', 'commitments', 'proofs', 'box_key'], where);
    if (integer(t.index, `${where}.index`, 1) !== i + 1) {
      throw new CheckFailed(`${where}.index must be ${i + 1} (trustees are numbered in order)`);
    }
    if (!string(t.name, `${where}.name`)) throw new CheckFailed(`${where}.name is empty`);
    listing(t.commitments, `${where}.commitments`);
    listing(t.proofs, `${where}.proofs`).forEach((p, j) => exactKeys(p, ['h', 'v'], `${where}.proofs[${j}]`));
    hex64(t.box_key, `${where}.box_key`);
    decodeTrustee(t);
    return t;
  });
  s.threshold = integer(cer.threshold, 'ceremony.threshold', 1, decoded.length);
  s.ceremonyHex = id;
  s.trustees = decoded;
  return `${s.threshold} of ${decoded.length} trustees`;
}

export function ceremonyIdentity(s) {
  const want = bytesToHex(ceremonyId(s.election, s.threshold, s.trustees));
  if (want !== s.ceremonyHex) throw new CheckFailed('ceremony.id is not the digest of the election, threshold and trustees');
  return want;
}

export function ceremonyTrustee(s, index) {
  const trustee = s.trustees[index - 1];
  try {
    verifyTrusteePublic(hexToBytes(s.ceremonyHex), trustee, s.threshold);
  } catch (e) {
    throw new CheckFailed(e.message);
  }
  return `${trustee.name}: ${s.threshold} commitment(s), proofs verify`;
}

export function ceremonyJointKey(s) {
  if (pointToHex(jointPublicKey(s.trustees)) !== pointToHex(s.ctx.publicKey)) {
    throw new CheckFailed("context.public_key is not the sum of the trustees' first commitments");
  }
  return "the election key is the trustees' joint key";
}

export function ceremonyShares(s) {
  const cer = s.record.ceremony;
  if (!('shares' in cer)) return 'share digests not published';
  const shares = listing(cer.shares, 'ceremony.shares');
  const n = s.trustees.length;
  const want = [];
  for (let a = 1; a <= n; a++) for (let b = 1; b <= n; b++) if (a !== b) want.push(`${a},${b}`);
  const got = shares.map((share, i) => {
    const where = `ceremony.shares[${i}]`;
    exactKeys(share, ['sender', 'recipient', 'sha256'], where);
    hex64(share.sha256, `${where}.sha256`);
    return `${integer(share.sender, where)},${integer(share.recipient, where)}`;
  });
  if (got.join(';') !== want.join(';')) {
    throw new CheckFailed('ceremony.shares must list each (sender, recipient) pair once, in order');
  }
  return `${got.length} share digests`;
}

export function rollFormat(s) {
  const roll = exactKeys(s.record.roll, ['voters', 'sha256'], 'roll');
  const voters = listing(roll.voters, 'roll.voters');
  const decoded = new Map();
  let previous = null;
  voters.forEach((v, i) => {
    const where = `roll.voters[${i}]`;
    exactKeys(v, ['alias', 'weight'], where);
    const name = alias(v.alias, `${where}.alias`);
    if (previous !== null && !(name > previous)) {
      throw new CheckFailed(`${where}.alias is out of order or repeated (roll must be sorted)`);
    }
    previous = name;
    decoded.set(name, integer(v.weight, `${where}.weight`, 1, MAX_WEIGHT));
  });
  s.roll = decoded;
  const total = [...decoded.values()].reduce((a, b) => a + b, 0);
  return `${decoded.size} voter(s), total weight ${total}`;
}

export function rollHash(s) {
  const roll = s.record.roll;
  if (roll.sha256 !== digest({ election: s.election, voters: roll.voters })) {
    throw new CheckFailed('roll.sha256 is not the digest of the roll');
  }
  return roll.sha256;
}
