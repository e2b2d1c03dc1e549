// RFC 9380 hash_to_field (expand_message_xmd, SHA-256) to scalars, as docs/spec/ballot.md section 3.

import { expand_message_xmd, hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Q, u32 } from './group.js';

export const DST_PREFIX = 'POLITY-V1-BN254-';
export const TAG_SELECTION = 'SELECTION-PROOF';
export const TAG_CONTEST = 'CONTEST-PROOF';
export const TAG_COEFFICIENT = 'COEFFICIENT-PROOF';
export const TAG_DECRYPTION = 'DECRYPTION-PROOF';

const utf8 = new TextEncoder();

export function utf8Bytes(text) {
  return utf8.encode(text);
}

/** u32(len(part)) || part for each part. */
export function encodeParts(parts) {
  const total = parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(u32(part.length), at);
    out.set(part, at + 4);
    at += 4 + part.length;
  }
  return out;
}

export function hashToScalar(tag, parts) {
  const [[u]] = hash_to_field(encodeParts(parts), 1, {
    DST: DST_PREFIX + tag,
    p: Q,
    m: 1,
    k: 128,
    expand: 'xmd',
    hash: sha256,
  });
  return u;
}

export function expandMessageXmd(msg, dst, lenInBytes) {
  return expand_message_xmd(msg, dst, lenInBytes, sha256);
}

export function hashToField(msg, dst, count, modulus) {
  return hash_to_field(msg, count, { DST: dst, p: modulus, m: 1, k: 128, expand: 'xmd', hash: sha256 }).map(
    (u) => u[0],
  );
}
