// RFC 6962 hashing and RFC 9162 proof checking, the browser twin of ledger/merkle.py and
// ledger/proof_verify.py. Sizes and indexes are BigInts so trees beyond 2^32 leaves are exact.
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, hex } from './encoding.js';

export const EMPTY_ROOT = sha256(new Uint8Array(0));
export const hashLeaf = (data) => sha256(concat(Uint8Array.of(0), data));
export const hashChildren = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

export class ProofError extends Error {}

/** The root implied by an inclusion proof (RFC 9162 §2.1.3.2); throws ProofError. */
export function rootFromInclusion(index, size, leafHash, proof) {
  index = BigInt(index);
  size = BigInt(size);
  if (index < 0n || index >= size) throw new ProofError(`leaf index ${index} is outside a tree of size ${size}`);
  if (leafHash.length !== 32) throw new ProofError(`leaf hash must be 32 bytes, got ${leafHash.length}`);
  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  proof.forEach((p, position) => {
    if (p.length !== 32) throw new ProofError(`proof hash ${position} is ${p.length} bytes, not 32`);
    if (sn === 0n) throw new ProofError(`inclusion proof is too long: ${proof.length} hashes, ${position} needed`);
    if (fn & 1n || fn === sn) {
      r = hashChildren(p, r);
      while (!(fn & 1n) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  });
  if (sn !== 0n) throw new ProofError(`inclusion proof is too short: ${proof.length} hashes for tree size ${size}`);
  return r;
}

export function verifyInclusion(index, size, leafHash, proof, root) {
  const found = rootFromInclusion(index, size, leafHash, proof);
  if (!equalBytes(found, root)) {
    throw new ProofError(
      `inclusion proof for leaf ${index} leads to root ${hex(found)}, not the expected ${hex(root)} of tree size ${size}`,
    );
  }
}

/** Check that tree (size2, root2) extends tree (size1, root1) (RFC 9162 §2.1.4.2). */
export function verifyConsistency(size1, size2, proof, root1, root2) {
  size1 = BigInt(size1);
  size2 = BigInt(size2);
  if (size1 > size2) throw new ProofError(`tree shrank: size ${size1} cannot be followed by size ${size2}`);
  if (size1 === size2) {
    if (proof.length) throw new ProofError('trees of the same size need an empty consistency proof');
    if (size1 === 0n && !(equalBytes(root1, EMPTY_ROOT) && equalBytes(root2, EMPTY_ROOT))) {
      throw new ProofError("the empty tree's root must be SHA-256 of the empty string");
    }
    if (!equalBytes(root1, root2)) {
      throw new ProofError(`two different roots for tree size ${size1}: ${hex(root1)} and ${hex(root2)} (the log forked)`);
    }
    return;
  }
  if (size1 === 0n) throw new ProofError('a consistency proof from the empty tree is meaningless');
  if (!proof.length) throw new ProofError(`missing consistency proof from size ${size1} to ${size2}`);
  if (proof.some((p) => p.length !== 32)) throw new ProofError('every consistency proof hash must be 32 bytes');
  const path = (size1 & (size1 - 1n)) === 0n ? [root1, ...proof] : [...proof];
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while (fn & 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new ProofError(`consistency proof is too long: ${proof.length} hashes`);
    if (fn & 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!(fn & 1n) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new ProofError(`consistency proof is too short: ${proof.length} hashes`);
  if (!equalBytes(fr, root1)) throw new ProofError(`consistency proof does not reproduce the old root of size ${size1}`);
  if (!equalBytes(sr, root2)) throw new ProofError(`consistency proof does not reproduce the new root of size ${size2}`);
}
