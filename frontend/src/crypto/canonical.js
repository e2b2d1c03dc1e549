// Canonical JSON (docs/spec/ballot.md section 4): sorted keys, no whitespace, integers only.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { EncodingError } from './errors.js';

export function canonicalJson(value) {
  if (value === null || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new EncodingError('canonical JSON allows integers only');
    return String(value);
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    for (const key of keys) {
      if (!/^[\x00-\x7f]*$/.test(key)) throw new EncodingError('canonical JSON object keys must be ASCII');
    }
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(value[k])).join(',') + '}';
  }
  throw new EncodingError(`canonical JSON cannot hold ${typeof value}`);
}

export function sha256Hex(bytes) {
  return bytesToHex(sha256(bytes));
}
