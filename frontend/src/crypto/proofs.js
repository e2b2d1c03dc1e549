// Disjunctive Chaum-Pedersen range proofs in commitment form (docs/spec/ballot.md section 6).

import { EncodingError, VerificationError } from './errors.js';
import {
  G,
  mod,
  mulPublic,
  mulSecret,
  pointFromHex,
  pointToBytes,
  pointToHex,
  randomScalar,
  scalarFromHex,
  scalarToHex,
} from './group.js';
import { hashToScalar } from './hash.js';

/**
 * Prove that Enc(value; nonce) under ctx.publicKey encrypts a value in lo..hi.
 * statement: the hash parts (Uint8Arrays) before the commitments. Returns the JSON branch list.
 */
export function proveRange(ctx, { tag, statement, value, nonce, lo, hi }) {
  if (value < lo || value > hi) throw new RangeError(`value ${value} is outside the range ${lo}..${hi}`);
  const K = ctx.publicKey;
  const u = randomScalar();
  const branches = [];
  for (let j = lo; j <= hi; j++) {
    if (j === value) {
      branches.push({ a: mulSecret(G, u), b: mulSecret(K, u) });
      continue;
    }
    const c = randomScalar();
    const v = randomScalar();
    const t = mod(v - c * nonce);
    const a = mulSecret(G, t);
    const b = mulSecret(K, t).add(mulSecret(G, mod(-c * BigInt(value - j))));
    branches.push({ a, b, c, v });
  }
  const parts = [...statement];
  for (const br of branches) parts.push(pointToBytes(br.a), pointToBytes(br.b));
  const challenge = hashToScalar(tag, parts);
  const others = branches.reduce((s, br) => (br.c === undefined ? s : s + br.c), 0n);
  const cReal = mod(challenge - others);
  return branches.map((br) => {
    const c = br.c ?? cReal;
    const v = br.v ?? mod(u + cReal * nonce);
    return { a: pointToHex(br.a), b: pointToHex(br.b), c: scalarToHex(c), v: scalarToHex(v) };
  });
}

export function decodeBranches(proof) {
  if (!Array.isArray(proof) || proof.length === 0) {
    throw new EncodingError('range proof must be a non-empty list of branches');
  }
  return proof.map((br) => {
    const keys = br && typeof br === 'object' ? Object.keys(br).sort().join(',') : '';
    if (keys !== 'a,b,c,v') throw new EncodingError('proof branch must be an object with exactly a, b, c, v');
    return { a: pointFromHex(br.a), b: pointFromHex(br.b), c: scalarFromHex(br.c), v: scalarFromHex(br.v) };
  });
}

/** Check a decoded range proof; throws VerificationError prefixed with `where`. */
export function verifyRange(ctx, branches, { tag, statement, lo, hi, alpha, beta, where }) {
  if (branches.length !== hi - lo + 1) {
    throw new VerificationError(`${where}: range proof has ${branches.length} branches, expected ${hi - lo + 1}`);
  }
  const parts = [...statement];
  for (const br of branches) parts.push(pointToBytes(br.a), pointToBytes(br.b));
  const challenge = hashToScalar(tag, parts);
  if (mod(branches.reduce((s, br) => s + br.c, 0n)) !== challenge) {
    throw new VerificationError(`${where}: range proof challenge mismatch`);
  }
  const K = ctx.publicKey;
  branches.forEach((br, idx) => {
    const j = lo + idx;
    if (!mulPublic(G, br.v).equals(br.a.add(mulPublic(alpha, br.c)))) {
      throw new VerificationError(`${where}: range proof equation for value ${j} fails (alpha)`);
    }
    const shifted = beta.subtract(mulPublic(G, BigInt(j)));
    if (!mulPublic(K, br.v).equals(br.b.add(mulPublic(shifted, br.c)))) {
      throw new VerificationError(`${where}: range proof equation for value ${j} fails (beta)`);
    }
  });
}
