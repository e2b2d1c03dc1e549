// BN254 G1 points and scalars with the encodings of docs/spec/ballot.md section 2.
// Points are @noble/curves bn254 G1 points; scalars are bigints below q.

import { bn254 } from '@noble/curves/bn254.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { EncodingError } from './errors.js';

export const Point = bn254.G1.Point;
export const P = Point.Fp.ORDER;
export const Q = Point.Fn.ORDER;
export const G = Point.BASE;
export const IDENTITY = Point.ZERO;
const HEX = /^[0-9a-f]*$/;

export function mod(a) {
  const r = a % Q;
  return r < 0n ? r + Q : r;
}

/** k * pt for a secret k (noble's constant-time ladder); any integer k, reduced mod q. */
export function mulSecret(pt, k) {
  const r = mod(k);
  return r === 0n || pt.is0() ? IDENTITY : pt.multiply(r);
}

/** k * pt for public values (faster, not constant-time). */
export function mulPublic(pt, k) {
  const r = mod(k);
  return r === 0n || pt.is0() ? IDENTITY : pt.multiplyUnsafe(r);
}

/** Uniform in [0, q): 254-bit rejection sampling from crypto.getRandomValues. */
export function randomScalar() {
  const buf = new Uint8Array(32);
  for (;;) {
    crypto.getRandomValues(buf);
    buf[0] &= 0x3f;
    const k = bytesToBigInt(buf);
    if (k < Q) return k;
  }
}

export function randomNonzeroScalar() {
  for (;;) {
    const k = randomScalar();
    if (k !== 0n) return k;
  }
}

export function bytesToBigInt(bytes) {
  return bytes.length === 0 ? 0n : BigInt('0x' + bytesToHex(bytes));
}

export function bigIntTo32(n) {
  return hexToBytes(n.toString(16).padStart(64, '0'));
}

export function u32(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/** 64-byte EVM encoding x || y; the identity is 64 zero bytes. */
export function pointToBytes(pt) {
  if (pt.is0()) return new Uint8Array(64);
  const { x, y } = pt.toAffine();
  const out = new Uint8Array(64);
  out.set(bigIntTo32(x), 0);
  out.set(bigIntTo32(y), 32);
  return out;
}

export function pointFromBytes(bytes, { allowIdentity = false } = {}) {
  if (bytes.length !== 64) throw new EncodingError(`EVM point encoding must be 64 bytes, got ${bytes.length}`);
  const x = bytesToBigInt(bytes.subarray(0, 32));
  const y = bytesToBigInt(bytes.subarray(32));
  if (x >= P || y >= P) throw new EncodingError('point coordinate is not below the field modulus p');
  if (x === 0n && y === 0n) {
    if (!allowIdentity) throw new EncodingError('point is the identity, which is not allowed here');
    return IDENTITY;
  }
  if (mod2p(y * y - x * x * x - 3n) !== 0n) throw new EncodingError('point is not on the BN254 curve');
  return Point.fromAffine({ x, y });
}

function mod2p(a) {
  const r = a % P;
  return r < 0n ? r + P : r;
}

export function pointToHex(pt) {
  return bytesToHex(pointToBytes(pt));
}

export function pointFromHex(text, opts) {
  return pointFromBytes(strictHex(text, 64, 'point'), opts);
}

/** 32-byte compressed form: x with bit 7 set when y > p - y, bit 6 alone for the identity. */
export function pointToCompressed(pt) {
  const out = new Uint8Array(32);
  if (pt.is0()) {
    out[0] = 0x40;
    return out;
  }
  const { x, y } = pt.toAffine();
  out.set(bigIntTo32(x));
  if (y > P - y) out[0] |= 0x80;
  return out;
}

export function pointFromCompressed(bytes, { allowIdentity = false } = {}) {
  if (bytes.length !== 32) throw new EncodingError(`compressed point encoding must be 32 bytes, got ${bytes.length}`);
  const flags = bytes[0] & 0xc0;
  const body = bytes.slice();
  body[0] &= 0x3f;
  const x = bytesToBigInt(body);
  if (flags === 0x40) {
    if (x !== 0n) throw new EncodingError('identity encoding has non-zero bits');
    if (!allowIdentity) throw new EncodingError('point is the identity, which is not allowed here');
    return IDENTITY;
  }
  if (flags === 0xc0) throw new EncodingError('compressed point has both flag bits set');
  if (x >= P) throw new EncodingError('point coordinate is not below the field modulus p');
  const rhs = mod2p(x * x * x + 3n);
  let y;
  try {
    y = Point.Fp.sqrt(rhs);
  } catch {
    throw new EncodingError('no point on the BN254 curve has this x coordinate');
  }
  if (mod2p(y * y) !== rhs) throw new EncodingError('no point on the BN254 curve has this x coordinate');
  if ((y > P - y) !== Boolean(flags & 0x80)) y = P - y;
  return Point.fromAffine({ x, y });
}

export function scalarToHex(k) {
  if (k < 0n || k >= Q) throw new EncodingError('scalar is not below the group order q');
  return k.toString(16).padStart(64, '0');
}

export function scalarFromHex(text) {
  const k = bytesToBigInt(strictHex(text, 32, 'scalar'));
  if (k >= Q) throw new EncodingError('scalar is not below the group order q');
  return k;
}

export function strictHex(text, size, what) {
  if (typeof text !== 'string' || text.length !== 2 * size) {
    throw new EncodingError(`${what} must be a string of ${2 * size} hex digits`);
  }
  if (!HEX.test(text)) throw new EncodingError(`${what} must be lowercase hex`);
  return hexToBytes(text);
}
