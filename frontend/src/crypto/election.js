// What a ballot is encrypted against: contests, joint public key, fingerprint (spec section 1, 4).

import { hexToBytes } from '@noble/hashes/utils.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { EncodingError } from './errors.js';
import { pointFromHex, pointToHex } from './group.js';
import { utf8Bytes } from './hash.js';

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function normalizeContest(c) {
  const contest = {
    id: c.id,
    selections: [...c.selections],
    max_votes: c.max_votes ?? 1,
    min_votes: c.min_votes ?? 0,
    max_per_selection: c.max_per_selection ?? 1,
  };
  for (const id of [contest.id, ...contest.selections]) {
    if (typeof id !== 'string' || !ID.test(id)) throw new EncodingError(`id ${JSON.stringify(id)} is not valid`);
  }
  if (new Set(contest.selections).size !== contest.selections.length || contest.selections.length === 0) {
    throw new EncodingError(`contest '${contest.id}': selections must be non-empty and unique`);
  }
  const { max_votes: hi, min_votes: lo, max_per_selection: r } = contest;
  if (![hi, lo, r].every(Number.isSafeInteger) || lo < 0 || lo > hi || hi < 1 || hi > 1000 || r < 1 || r > 1000) {
    throw new EncodingError(`contest '${contest.id}': invalid limits`);
  }
  return contest;
}

/** SHA-256 of canonical {"version","election","contests","public_key"}, as bytes. */
export function electionFingerprint(electionId, contests, publicKey) {
  const doc = {
    version: 'polity-election-v1',
    election: electionId,
    contests: contests.map(normalizeContest),
    public_key: pointToHex(publicKey),
  };
  return hexToBytes(sha256Hex(utf8Bytes(canonicalJson(doc))));
}

/**
 * Build the context once per election from its public record:
 * {fingerprint: hex, public_key: hex point, contests: [contest JSON]}.
 */
export function makeContext({ fingerprint, public_key: publicKeyHex, contests }) {
  if (typeof fingerprint !== 'string' || !/^([0-9a-f]{2})+$/.test(fingerprint)) {
    throw new EncodingError('election fingerprint must be lowercase hex');
  }
  const publicKey = pointFromHex(publicKeyHex);
  publicKey.precompute(8);
  const normalized = contests.map(normalizeContest);
  return {
    fingerprint: hexToBytes(fingerprint),
    fingerprintHex: fingerprint,
    publicKey,
    publicKeyBytes: hexToBytes(publicKeyHex),
    contests: normalized,
  };
}
