// Verifying a published tally: trustee records, partial decryptions, counts (spec sections 8-9).

import { hexToBytes } from '@noble/hashes/utils.js';
import { VerificationError } from './errors.js';
import { G, IDENTITY, Q, mod, mulPublic, pointFromHex, pointToBytes, scalarFromHex, u32 } from './group.js';
import { TAG_COEFFICIENT, TAG_DECRYPTION, hashToScalar } from './hash.js';

function powMod(base, exp) {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % Q;
    b = (b * b) % Q;
    e >>= 1n;
  }
  return result;
}

function invMod(a) {
  return powMod(a, Q - 2n);
}

/** Decode a trustee record {index, name, commitments, proofs, box_key}. */
export function decodeTrustee(pub) {
  return {
    index: pub.index,
    name: pub.name,
    commitments: pub.commitments.map((h) => pointFromHex(h)),
    proofs: pub.proofs.map((p) => ({ h: pointFromHex(p.h), v: scalarFromHex(p.v) })),
    boxKey: hexToBytes(pub.box_key),
  };
}

/** Check a trustee's Schnorr proofs for every coefficient commitment. */
export function verifyTrusteePublic(ceremony, pub, threshold) {
  const t = decodeTrustee(pub);
  const who = `trustee ${t.index} (${t.name})`;
  if (t.commitments.length !== threshold || t.proofs.length !== threshold) {
    throw new VerificationError(`${who}: must publish ${threshold} commitments`);
  }
  t.commitments.forEach((K, j) => {
    const { h, v } = t.proofs[j];
    const c = hashToScalar(TAG_COEFFICIENT, [ceremony, u32(t.index), u32(j), pointToBytes(K), pointToBytes(h)]);
    if (!mulPublic(G, v).equals(h.add(mulPublic(K, c)))) {
      throw new VerificationError(`${who}: Schnorr proof for coefficient ${j} does not verify`);
    }
  });
}

export function jointPublicKey(publics) {
  return publics.map(decodeTrustee).reduce((acc, t) => acc.add(t.commitments[0]), IDENTITY);
}

/** S_l = sum_i sum_j l^j K_ij from the published commitments. */
export function publicKeyShare(publics, index) {
  let acc = IDENTITY;
  for (const t of publics.map(decodeTrustee)) {
    t.commitments.forEach((K, j) => {
      acc = acc.add(mulPublic(K, powMod(BigInt(index), BigInt(j))));
    });
  }
  return acc;
}

export function lagrangeAtZero(indexes) {
  const out = new Map();
  for (const i of indexes) {
    let num = 1n;
    let den = 1n;
    for (const j of indexes) {
      if (j === i) continue;
      num = (num * BigInt(j)) % Q;
      den = mod(den * BigInt(j - i));
    }
    out.set(i, (num * invMod(den)) % Q);
  }
  return out;
}

function slots(tally) {
  return tally.contests.flatMap((c) =>
    c.selections.map((s) => ({
      cid: c.id,
      sid: s.id,
      alpha: pointFromHex(s.alpha, { allowIdentity: true }),
      beta: pointFromHex(s.beta, { allowIdentity: true }),
    })),
  );
}

/**
 * Re-check a published result from the record: every partial decryption proof, at least
 * `threshold` trustees, and count*G == B - sum(lambda_l M_l) for every selection.
 */
export function verifyTally(ctx, tally, partials, publics, threshold, counts) {
  const all = slots(tally);
  const indexes = [...new Set(partials.map((p) => p.trustee))];
  if (indexes.length < threshold) {
    throw new VerificationError(`${indexes.length} trustee(s) decrypted; at least ${threshold} are needed`);
  }
  const decoded = new Map();
  for (const partial of partials) {
    if (!publics.some((p) => p.index === partial.trustee)) {
      throw new VerificationError(`partial decryption from unknown trustee ${partial.trustee}`);
    }
    if (partial.shares.length !== all.length) {
      throw new VerificationError(`trustee ${partial.trustee}: partial decryption has wrong length`);
    }
    const S = publicKeyShare(publics, partial.trustee);
    const ms = all.map((slot, k) => {
      const share = partial.shares[k];
      const M = pointFromHex(share.m, { allowIdentity: true });
      const a = pointFromHex(share.proof.a);
      // b = u*A is the identity exactly when A is (an empty tally slot).
      const b = pointFromHex(share.proof.b, { allowIdentity: true });
      const v = scalarFromHex(share.proof.v);
      const c = hashToScalar(TAG_DECRYPTION, [
        ctx.fingerprint,
        u32(partial.trustee),
        pointToBytes(S),
        pointToBytes(slot.alpha),
        pointToBytes(M),
        pointToBytes(a),
        pointToBytes(b),
      ]);
      const okG = mulPublic(G, v).equals(a.add(mulPublic(S, c)));
      const okA = mulPublic(slot.alpha, v).equals(b.add(mulPublic(M, c)));
      if (!okG || !okA) {
        throw new VerificationError(
          `trustee ${partial.trustee}: decryption proof for contest '${slot.cid}' selection '${slot.sid}' does not verify`,
        );
      }
      return M;
    });
    decoded.set(partial.trustee, ms);
  }
  const chosen = [...decoded.keys()].sort((x, y) => x - y);
  const weights = lagrangeAtZero(chosen);
  all.forEach((slot, k) => {
    const mask = chosen.reduce((acc, i) => acc.add(mulPublic(decoded.get(i)[k], weights.get(i))), IDENTITY);
    const claimed = counts?.[slot.cid]?.[slot.sid];
    if (!Number.isSafeInteger(claimed) || claimed < 0) {
      throw new VerificationError(`contest '${slot.cid}' selection '${slot.sid}': no count published`);
    }
    if (!mulPublic(G, BigInt(claimed)).equals(slot.beta.subtract(mask))) {
      throw new VerificationError(
        `contest '${slot.cid}' selection '${slot.sid}': published count ${claimed} does not match the decryption`,
      );
    }
  });
}
