// The trustee secret file (docs/spec/election-record.md §8), read and written exactly like
// voting/trustee_file.py: plain JSON, or sealed with a passphrase (PBKDF2-HMAC-SHA256 through
// WebCrypto, AES-256-GCM, the canonical JSON of the plain form as plaintext).

import { gcm } from '@noble/ciphers/aes.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes } from '@noble/hashes/utils.js';
import { scalarFromHex, scalarToHex } from './group.js';
import { canonicalJcs } from './record/format.js';

export const TRUSTEE_FILE_VERSION = 'polity-trustee-secret-v1';
export const DEFAULT_ITERATIONS = 600_000;
const MIN_ITERATIONS = 1_000;
const MAX_ITERATIONS = 10_000_000;
const PLAIN_KEYS = 'box_secret,ceremony,coefficients,election,index,key_share,name,threshold,version';
const utf8 = new TextEncoder();

export class TrusteeFileError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TrusteeFileError';
  }
}

const keysOf = (obj) => (obj && typeof obj === 'object' && !Array.isArray(obj) ? Object.keys(obj).sort().join(',') : '');

function hexField(value, size, what) {
  if (typeof value !== 'string' || value.length !== 2 * size || !/^[0-9a-f]*$/.test(value)) {
    throw new TrusteeFileError(`${what} must be ${size} bytes of lowercase hex`);
  }
  return hexToBytes(value);
}

function toJson(file) {
  return {
    version: TRUSTEE_FILE_VERSION,
    election: file.election,
    ceremony: typeof file.ceremony === 'string' ? file.ceremony : bytesToHex(file.ceremony),
    threshold: file.threshold,
    index: file.secret.index,
    name: file.secret.name,
    coefficients: file.secret.coefficients.map(scalarToHex),
    box_secret: bytesToHex(file.secret.boxSecret),
    key_share: file.keyShare == null ? null : scalarToHex(file.keyShare),
  };
}

function fromJson(obj) {
  if (keysOf(obj) !== PLAIN_KEYS || obj.version !== TRUSTEE_FILE_VERSION) {
    throw new TrusteeFileError(`not a ${TRUSTEE_FILE_VERSION} file (wrong or missing fields)`);
  }
  const { threshold, index } = obj;
  if (!Number.isSafeInteger(threshold) || !Number.isSafeInteger(index) || threshold < 1 || index < 1) {
    throw new TrusteeFileError('threshold and index must be positive integers');
  }
  if (typeof obj.election !== 'string' || typeof obj.name !== 'string') throw new TrusteeFileError('election and name must be strings');
  if (!Array.isArray(obj.coefficients) || obj.coefficients.length !== threshold) {
    throw new TrusteeFileError(`the file must hold ${threshold} coefficients`);
  }
  hexField(obj.ceremony, 32, 'ceremony');
  try {
    return {
      election: obj.election,
      ceremony: obj.ceremony,
      threshold,
      secret: {
        index,
        name: obj.name,
        coefficients: obj.coefficients.map(scalarFromHex),
        boxSecret: hexField(obj.box_secret, 32, 'box_secret'),
      },
      keyShare: obj.key_share === null ? null : scalarFromHex(obj.key_share),
    };
  } catch (e) {
    throw new TrusteeFileError(e.message);
  }
}

async function deriveKey(passphrase, salt, iterations) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return pbkdf2Async(sha256, utf8.encode(passphrase), salt, { c: iterations, dkLen: 32 });
  const base = await subtle.importKey('raw', utf8.encode(passphrase), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
  return new Uint8Array(bits);
}

/**
 * The file's text for {election, ceremony, threshold, secret, keyShare}; sealed when a
 * passphrase is given (iterations default 600,000).
 */
export async function writeTrusteeFile(file, { passphrase, iterations = DEFAULT_ITERATIONS } = {}) {
  const plain = toJson(file);
  fromJson(plain);
  if (passphrase == null) return JSON.stringify(plain, null, 2) + '\n';
  if (!Number.isSafeInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be ${MIN_ITERATIONS}..${MAX_ITERATIONS}`);
  }
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const key = await deriveKey(passphrase, salt, iterations);
  const sealed = gcm(key, nonce, utf8.encode(TRUSTEE_FILE_VERSION)).encrypt(utf8.encode(canonicalJcs(plain)));
  const doc = {
    version: TRUSTEE_FILE_VERSION,
    encryption: { kdf: 'pbkdf2-sha256', iterations, salt: bytesToHex(salt), cipher: 'aes-256-gcm', nonce: bytesToHex(nonce) },
    ciphertext: bytesToHex(sealed),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Read a plain or sealed trustee file; TrusteeFileError says what is wrong. */
export async function readTrusteeFile(text, { passphrase } = {}) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TrusteeFileError('not a trustee file: the text is not JSON');
  }
  if (!doc || typeof doc !== 'object' || doc.version !== TRUSTEE_FILE_VERSION) {
    throw new TrusteeFileError(`not a ${TRUSTEE_FILE_VERSION} file`);
  }
  if (!('encryption' in doc)) return fromJson(doc);
  if (passphrase == null) throw new TrusteeFileError('this trustee file is sealed: a passphrase is needed');
  const enc = doc.encryption;
  if (keysOf(doc) !== 'ciphertext,encryption,version' || keysOf(enc) !== 'cipher,iterations,kdf,nonce,salt') {
    throw new TrusteeFileError('sealed trustee file has wrong or missing fields');
  }
  if (enc.kdf !== 'pbkdf2-sha256' || enc.cipher !== 'aes-256-gcm') {
    throw new TrusteeFileError('sealed trustee file uses an unknown kdf or cipher');
  }
  if (!Number.isSafeInteger(enc.iterations) || enc.iterations < MIN_ITERATIONS || enc.iterations > MAX_ITERATIONS) {
    throw new TrusteeFileError(`iterations must be ${MIN_ITERATIONS}..${MAX_ITERATIONS}`);
  }
  const salt = hexField(enc.salt, 16, 'salt');
  const nonce = hexField(enc.nonce, 12, 'nonce');
  const ct = doc.ciphertext;
  if (typeof ct !== 'string' || ct.length < 32 || ct.length % 2) throw new TrusteeFileError('ciphertext must be lowercase hex');
  const sealed = hexField(ct, ct.length / 2, 'ciphertext');
  let plain;
  try {
    plain = gcm(await deriveKey(passphrase, salt, enc.iterations), nonce, utf8.encode(TRUSTEE_FILE_VERSION)).decrypt(sealed);
  } catch {
    throw new TrusteeFileError('wrong passphrase or damaged file');
  }
  return fromJson(JSON.parse(new TextDecoder().decode(plain)));
}
