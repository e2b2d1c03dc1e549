// C2SP signed notes, checkpoints and cosignature/v1 in the browser: the twin of ledger/note.py,
// ledger/checkpoint.py and ledger/cosignature.py (verification only; the browser never signs).
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { b64decode, concat, parseDecimal, utf8 } from './encoding.js';

export const ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;
const SIGNATURE_PREFIX = '\u2014 ';
const MAX_SIGNATURES = 100;
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;
const BAD_NAME = /[\s+]/u;

export class NoteError extends Error {}

export function keyId(name, keyType, publicKey) {
  const digest = sha256(concat(utf8(name), Uint8Array.of(0x0a, keyType), publicKey));
  return new DataView(digest.buffer, digest.byteOffset).getUint32(0);
}

function checkName(name) {
  if (!name || BAD_NAME.test(name) || CONTROL.test(name)) {
    throw new NoteError(`key name ${JSON.stringify(name)} must be non-empty, without spaces or '+'`);
  }
}

/** Parse `<name>+<8 hex>+base64(type || 32-byte key)` and check the key ID; returns a verifier. */
export function parseVerifierKey(vkey, expectedType) {
  const text = vkey.trim();
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new NoteError('verifier key must look like <name>+<8 hex digits>+<base64 key>');
  const [name, hexId, blob] = [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  checkName(name);
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new NoteError(`verifier key ID ${JSON.stringify(hexId)} must be 8 lowercase hex digits`);
  let raw;
  try {
    raw = b64decode(blob, 'verifier key');
  } catch (e) {
    throw new NoteError(e.message);
  }
  if (raw.length !== 33) throw new NoteError('verifier key must hold a type byte and a 32-byte Ed25519 key');
  const [keyType, publicKey] = [raw[0], raw.slice(1)];
  if (keyType !== expectedType) {
    throw new NoteError(`key ${name} has type 0x${keyType.toString(16).padStart(2, '0')}, expected 0x0${expectedType}`);
  }
  const id = parseInt(hexId, 16);
  if (keyId(name, keyType, publicKey) !== id) throw new NoteError(`verifier key ID ${hexId} does not match the key (wrong name or key)`);
  const verify = keyType === ED25519 ? verifyEd25519(publicKey) : verifyCosignature(publicKey);
  return { name, keyId: id, keyType, publicKey, verify };
}

const strictVerify = (sig, msg, pub) => {
  try {
    return ed25519.verify(sig, msg, pub, { zip215: false });
  } catch {
    return false;
  }
};

const verifyEd25519 = (publicKey) => (text, signature) => strictVerify(signature, text, publicKey);

export function cosignedMessage(text, timestamp) {
  return concat(utf8(`cosignature/v1\ntime ${timestamp}\n`), text);
}

export const cosignatureTime = (data) => new DataView(data.buffer, data.byteOffset).getBigUint64(0);

const verifyCosignature = (publicKey) => (text, signature) => {
  if (signature.length !== 72) return false;
  const timestamp = cosignatureTime(signature);
  if (timestamp > 2n ** 63n - 1n) return false;
  return strictVerify(signature.slice(8), cosignedMessage(text, timestamp), publicKey);
};

/** Split a note into text and signature lines, checking only its shape. */
export function parseNote(message) {
  if (CONTROL.test(message)) throw new NoteError('note contains a control character other than newline');
  if (!message.endsWith('\n')) throw new NoteError('note must end with a newline');
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('note has no blank line separating text from signatures');
  const text = message.slice(0, split + 1);
  const lines = message.slice(split + 2).split('\n').slice(0, -1);
  if (!lines.length) throw new NoteError('note has no signature lines');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`note has more than ${MAX_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line) {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError('signature line does not start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new NoteError('signature line has no space before the signature');
  const name = rest.slice(0, space);
  checkName(name);
  let raw;
  try {
    raw = b64decode(rest.slice(space + 1), `signature of ${name}`);
  } catch (e) {
    throw new NoteError(e.message);
  }
  if (raw.length < 5) throw new NoteError(`signature of ${name} is too short to hold a key ID and a signature`);
  return { name, keyId: new DataView(raw.buffer).getUint32(0), data: raw.slice(4) };
}

/** Verify a note against trusted verifiers (c2sp.org/signed-note rules); throws NoteError. */
export function openNote(message, verifiers) {
  const note = typeof message === 'string' ? parseNote(message) : message;
  const text = utf8(note.text);
  const verified = [];
  const unverified = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!v) unverified.push(sig);
    else if (!v.verify(text, sig.data)) {
      throw new NoteError(`signature by ${sig.name} (key ID ${sig.keyId.toString(16).padStart(8, '0')}) does not verify`);
    } else if (!verified.some((s) => s.name === sig.name && s.keyId === sig.keyId)) verified.push(sig);
  }
  if (!verified.length) {
    const known = verifiers.map((v) => v.name).sort().join(', ') || 'none';
    throw new NoteError(`no signature from a trusted key (${known}); note is signed by ${note.signatures.map((s) => s.name).join(', ')}`);
  }
  return { text: note.text, verified, unverified };
}

/** Parse a tlog-checkpoint body strictly: origin, size, 32-byte root, extension lines. */
export function parseCheckpoint(text) {
  if (!text.endsWith('\n')) throw new NoteError('checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('checkpoint needs an origin, a size and a root hash line');
  const [origin, size, root, ...extensions] = lines;
  if (!origin) throw new NoteError('checkpoint origin line is empty');
  let rootHash;
  try {
    rootHash = b64decode(root, 'checkpoint root hash');
  } catch (e) {
    throw new NoteError(e.message);
  }
  if (rootHash.length !== 32) throw new NoteError(`checkpoint root hash is ${rootHash.length} bytes, not 32`);
  if (extensions.some((l) => !l)) throw new NoteError('checkpoint has an empty extension line');
  let treeSize;
  try {
    treeSize = parseDecimal(size, 'checkpoint size');
  } catch (e) {
    throw new NoteError(e.message);
  }
  return { origin, size: treeSize, root: rootHash, extensions };
}

/** Verify the log's signature and parse the checkpoint; the origin must be the log key's name. */
export function openCheckpoint(message, logKey) {
  const opened = openNote(message, [logKey]);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== logKey.name) {
    throw new NoteError(`checkpoint origin ${JSON.stringify(checkpoint.origin)} is not the log ${JSON.stringify(logKey.name)}`);
  }
  return checkpoint;
}
