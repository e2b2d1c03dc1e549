// A trustee's cryptography in the browser: k-of-n key generation with Feldman VSS, encrypted
// shares, the key share, and partial decryption with a Chaum-Pedersen proof
// (docs/spec/ballot.md §8-9). The same formats as voting/crypto/threshold.py and tally.py, so a
// ceremony can mix trustees in browsers and on the command line. Secrets never leave this code
// except through writeTrusteeFile (./trusteefile.js).

import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { VerificationError } from './errors.js';
import {
  G,
  IDENTITY,
  Q,
  mod,
  mulPublic,
  mulSecret,
  pointFromHex,
  pointToBytes,
  pointToHex,
  randomNonzeroScalar,
  randomScalar,
  scalarToHex,
  u32,
} from './group.js';
import { TAG_COEFFICIENT, TAG_DECRYPTION, hashToScalar } from './hash.js';
import { newBoxKey, openShare, sealShare } from './sharebox.js';

/** A trustee's share or record does not verify; names the trustee (like Python's ShareError). */
export class ShareError extends VerificationError {
  constructor(trustee, trusteeName, reason) {
    super(`trustee ${trustee} (${trusteeName}): ${reason}`);
    this.name = 'ShareError';
    this.trustee = trustee;
    this.trusteeName = trusteeName;
  }
}

const asBytes = (ceremony) => (typeof ceremony === 'string' ? hexToBytes(ceremony) : ceremony);

function coefficientChallenge(ceremony, index, j, commitment, h) {
  return hashToScalar(TAG_COEFFICIENT, [ceremony, u32(index), u32(j), pointToBytes(commitment), pointToBytes(h)]);
}

/**
 * A trustee's polynomial, commitments with Schnorr proofs, and share-box key pair.
 * Returns {secret: {index, name, coefficients, boxSecret}, public: TrusteePublic JSON}.
 */
export function generateTrustee(ceremony, index, name, threshold) {
  if (!Number.isSafeInteger(index) || index < 1 || !Number.isSafeInteger(threshold) || threshold < 1) {
    throw new RangeError('trustee indexes start at 1 and the threshold is at least 1');
  }
  const cer = asBytes(ceremony);
  const coefficients = Array.from({ length: threshold }, randomNonzeroScalar);
  const commitments = [];
  const proofs = [];
  coefficients.forEach((a, j) => {
    const K = mulSecret(G, a);
    const u = randomScalar();
    const h = mulSecret(G, u);
    const c = coefficientChallenge(cer, index, j, K, h);
    commitments.push(pointToHex(K));
    proofs.push({ h: pointToHex(h), v: scalarToHex(mod(u + c * a)) });
  });
  const box = newBoxKey();
  return {
    secret: { index, name, coefficients, boxSecret: box.secret },
    public: { index, name, commitments, proofs, box_key: bytesToHex(box.public) },
  };
}

/** f(x) for the trustee's polynomial, by Horner's rule. */
export function evaluate(coefficients, x) {
  let acc = 0n;
  for (let j = coefficients.length - 1; j >= 0; j--) acc = mod(acc * BigInt(x) + coefficients[j]);
  return acc;
}

/** One sealed share f_i(l) for every other trustee l (box JSON, relayed by the server). */
export function dealShares(ceremony, secret, publics) {
  const cer = asBytes(ceremony);
  return publics
    .filter((r) => r.index !== secret.index)
    .map((r) => sealShare(cer, secret.index, r.index, hexToBytes(r.box_key), evaluate(secret.coefficients, r.index)));
}

/** sum_j x^j * K_j: the public image f(x) * G of a committed polynomial. */
function committedValue(commitments, x) {
  let acc = IDENTITY;
  let power = 1n;
  for (const hex of commitments) {
    acc = acc.add(mulPublic(pointFromHex(hex), power));
    power = (power * BigInt(x)) % Q;
  }
  return acc;
}

/** Throw ShareError naming the sender unless value * G matches its published commitments. */
export function checkShare(sender, recipient, value) {
  if (!mulPublic(G, value).equals(committedValue(sender.commitments, recipient))) {
    throw new ShareError(sender.index, sender.name, `share for trustee ${recipient} does not match the published commitments`);
  }
}

/** Open a box addressed to `secret`'s trustee and check it against the sender's record. */
export function receiveShare(ceremony, secret, sender, box) {
  if (box.sender !== sender.index || box.recipient !== secret.index) {
    throw new ShareError(sender.index, sender.name, 'share is addressed to someone else');
  }
  let value;
  try {
    value = openShare(asBytes(ceremony), secret.boxSecret, box);
  } catch (e) {
    throw new ShareError(sender.index, sender.name, e.message);
  }
  checkShare(sender, secret.index, value);
  return value;
}

/** s_l = f_l(l) + the verified shares received from the others (Map or object index -> bigint). */
export function combineKeyShare(secret, received) {
  const values = received instanceof Map ? [...received.values()] : Object.values(received);
  return mod(values.reduce((acc, v) => acc + v, evaluate(secret.coefficients, secret.index)));
}

/**
 * Trustee `index`'s partial decryption of a tally (JSON, B§9): M = s*A and a Chaum-Pedersen
 * proof for every selection, in tally order. `ctx` from makeContext.
 */
export function partialDecrypt(ctx, tally, index, keyShare) {
  const S = mulSecret(G, keyShare);
  const shares = tally.contests.flatMap((contest) =>
    contest.selections.map((sel) => {
      const A = pointFromHex(sel.alpha, { allowIdentity: true });
      const M = mulSecret(A, keyShare);
      const u = randomScalar();
      const a = mulSecret(G, u);
      const b = mulSecret(A, u);
      const c = hashToScalar(TAG_DECRYPTION, [
        ctx.fingerprint,
        u32(index),
        pointToBytes(S),
        pointToBytes(A),
        pointToBytes(M),
        pointToBytes(a),
        pointToBytes(b),
      ]);
      return { m: pointToHex(M), proof: { a: pointToHex(a), b: pointToHex(b), v: scalarToHex(mod(u + c * keyShare)) } };
    }),
  );
  return { trustee: index, shares };
}
