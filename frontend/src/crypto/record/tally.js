// Checks 32-38 of spec §5: the encrypted tally, the partial decryptions and the result.
// Mirrors voting/record/checks_tally.py; equations as docs/spec/ballot.md §9.

import { G, IDENTITY, Q, mod, mulPublic, pointFromHex, pointToBytes, pointToHex, scalarFromHex, u32 } from '../group.js';
import { TAG_DECRYPTION, hashToScalar } from '../hash.js';
import { lagrangeAtZero, publicKeyShare } from '../tally.js';
import { counted } from './ballots.js';
import { weights } from './batch.js';
import { CheckFailed, exactKeys, integer, isObject, listing } from './format.js';
import { msm } from './msm.js';

const slotNames = (s) => s.contests.flatMap((c) => c.selections.map((sid) => [c.id, sid]));

export function tallyFormat(s) {
  const tally = exactKeys(s.record.tally, ['ballots', 'max_weight', 'contests'], 'tally');
  integer(tally.ballots, 'tally.ballots');
  integer(tally.max_weight, 'tally.max_weight', 1);
  const slots = [];
  listing(tally.contests, 'tally.contests').forEach((c, ci) => {
    exactKeys(c, ['id', 'selections'], `tally.contests[${ci}]`);
    listing(c.selections, `tally.contests[${ci}].selections`).forEach((sel, si) => {
      exactKeys(sel, ['id', 'alpha', 'beta'], `tally.contests[${ci}].selections[${si}]`);
      slots.push({ cid: c.id, sid: sel.id, alpha: sel.alpha, beta: sel.beta });
    });
  });
  const want = slotNames(s);
  if (slots.length !== want.length || slots.some((x, k) => x.cid !== want[k][0] || x.sid !== want[k][1])) {
    throw new CheckFailed("tally.contests do not name the manifest's contests and selections");
  }
  s.tally = {
    ballots: tally.ballots,
    maxWeight: tally.max_weight,
    slots: slots.map((x) => ({
      ...x,
      alpha: pointFromHex(x.alpha, { allowIdentity: true }),
      beta: pointFromHex(x.beta, { allowIdentity: true }),
    })),
  };
  return `${slots.length} selection(s), ${tally.ballots} ballot(s)`;
}

export function tallyAggregate(s) {
  const positions = counted(s.record.ballots);
  const weights = positions.map((i) => BigInt(s.roll.get(s.record.ballots[i].alias) ?? 1));
  const weighted = weights.some((w) => w !== 1n);
  const maxWeight = weights.reduce((m, w) => (w > m ? w : m), 1n);
  if (s.tally.ballots !== positions.length || BigInt(s.tally.maxWeight) !== maxWeight) {
    throw new CheckFailed(
      `tally: tally claims ${s.tally.ballots} ballot(s) (max weight ${s.tally.maxWeight}); ` +
        `the record has ${positions.length} (max weight ${maxWeight})`,
    );
  }
  let k = 0;
  s.contests.forEach((contest, ci) => {
    contest.selections.forEach((sid, si) => {
      const alphas = positions.map((i) => s.ballots[i].contests[ci].selections[si].alpha);
      const betas = positions.map((i) => s.ballots[i].contests[ci].selections[si].beta);
      const sum = (pts) => (weighted ? msm(pts, weights) : pts.reduce((acc, p) => acc.add(p), IDENTITY));
      const slot = s.tally.slots[k++];
      if (!sum(alphas).equals(slot.alpha) || !sum(betas).equals(slot.beta)) {
        throw new CheckFailed(`tally: contest '${contest.id}' selection '${sid}': tally ciphertext is not the sum of the ballots`);
      }
    });
  });
  return `the sum of ${positions.length} counted ballot(s)`;
}

export function decryptionFormat(s) {
  const partials = listing(s.record.decryptions, 'decryptions');
  const slots = slotNames(s).length;
  let previous = 0;
  const decoded = partials.map((p, i) => {
    const where = `decryptions[${i}]`;
    exactKeys(p, ['trustee', 'shares'], where);
    const index = integer(p.trustee, `${where}.trustee`, 1, s.trustees.length);
    if (index <= previous) throw new CheckFailed(`${where}.trustee is repeated or out of order`);
    previous = index;
    const shares = listing(p.shares, `${where}.shares`);
    if (shares.length !== slots) throw new CheckFailed(`${where} must have one share per tally selection (${slots})`);
    return {
      trustee: index,
      shares: shares.map((share, j) => {
        exactKeys(share, ['m', 'proof'], `${where}.shares[${j}]`);
        const proof = exactKeys(share.proof, ['a', 'b', 'v'], `${where}.shares[${j}].proof`);
        return {
          m: pointFromHex(share.m, { allowIdentity: true }),
          a: pointFromHex(proof.a),
          b: pointFromHex(proof.b, { allowIdentity: true }), // identity when the slot is empty
          v: scalarFromHex(proof.v),
        };
      }),
    };
  });
  if (decoded.length < s.threshold) {
    throw new CheckFailed(`${decoded.length} trustee(s) decrypted; the threshold is ${s.threshold}`);
  }
  s.partials = decoded;
  return 'trustees ' + decoded.map((p) => p.trustee).join(', ');
}

/** Chaum-Pedersen: v*G == a + c*S_l and v*A == b + c*M_l for every selection (folded, then
 * explained equation by equation only if the fold fails). */
export function decryptionPartial(s, partial) {
  const S = publicKeyShare(s.trustees, partial.trustee);
  const challenges = s.tally.slots.map((slot, k) => {
    const { m, a, b } = partial.shares[k];
    const parts = [s.ctx.fingerprint, u32(partial.trustee), pointToBytes(S), pointToBytes(slot.alpha)];
    return hashToScalar(TAG_DECRYPTION, [...parts, pointToBytes(m), pointToBytes(a), pointToBytes(b)]);
  });
  const w = weights(2 * challenges.length);
  const points = [S];
  const scalars = [0n];
  let g = 0n;
  s.tally.slots.forEach((slot, k) => {
    const { m, a, b, v } = partial.shares[k];
    const [w1, w2, c] = [w[2 * k], w[2 * k + 1], challenges[k]];
    g += w1 * v;
    scalars[0] -= w1 * c;
    points.push(a, slot.alpha, b, m);
    scalars.push(-w1, w2 * v, -w2, -w2 * c);
  });
  if (msm(points, scalars).add(mulPublic(G, mod(g))).is0()) return `${partial.shares.length} proof(s) verify`;
  s.tally.slots.forEach((slot, k) => {
    const { m, a, b, v } = partial.shares[k];
    const c = challenges[k];
    if (!mulPublic(G, v).equals(a.add(mulPublic(S, c))) || !mulPublic(slot.alpha, v).equals(b.add(mulPublic(m, c)))) {
      throw new CheckFailed(
        `decryptions: trustee ${partial.trustee}: decryption proof for contest '${slot.cid}' selection '${slot.sid}' does not verify`,
      );
    }
  });
  throw new CheckFailed(`decryptions: trustee ${partial.trustee}: decryption proofs do not verify`);
}

export function resultFormat(s) {
  const result = exactKeys(s.record.result, ['ballots', 'counts'], 'result');
  integer(result.ballots, 'result.ballots');
  const counts = result.counts;
  const ids = s.contests.map((c) => c.id);
  if (!isObject(counts) || !sameSet(Object.keys(counts), ids)) {
    throw new CheckFailed("result.counts must name exactly the manifest's contests");
  }
  for (const contest of s.contests) {
    const sels = counts[contest.id];
    if (!isObject(sels) || !sameSet(Object.keys(sels), contest.selections)) {
      throw new CheckFailed(`result.counts.${contest.id} must name exactly its selections`);
    }
    for (const sid of contest.selections) integer(sels[sid], `result.counts.${contest.id}.${sid}`);
  }
  s.counts = counts;
  return 'counts for every selection';
}

const sameSet = (a, b) => a.length === b.length && new Set(a).size === a.length && b.every((x) => a.includes(x));

export function resultBallots(s) {
  const n = counted(s.record.ballots).length;
  if (s.record.result.ballots !== n) throw new CheckFailed(`result.ballots is not the number of counted ballots (${n})`);
  return `${n} counted ballot(s)`;
}

/** count*G == B - sum(lambda_l M_l) with the partial decryptions whose proofs hold. */
export function resultCounts(s, valid) {
  if (valid.length < s.threshold) {
    throw new CheckFailed(`only ${valid.length} partial decryption(s) verify; the threshold is ${s.threshold}`);
  }
  const indexes = valid.map((p) => p.trustee);
  const lambdas = lagrangeAtZero(indexes);
  const bound = BigInt(s.tally.ballots) * BigInt(s.tally.maxWeight) * BigInt(Math.max(...s.contests.map((c) => c.max_per_selection)));
  s.tally.slots.forEach((slot, k) => {
    const mask = msm(
      valid.map((p) => p.shares[k].m),
      indexes.map((i) => lambdas.get(i)),
    );
    const claimed = BigInt(s.counts[slot.cid][slot.sid]);
    if (claimed > bound) throw new CheckFailed(`result.counts.${slot.cid}.${slot.sid} exceeds the largest possible ${bound}`);
    if (pointToHex(mulPublic(G, claimed % Q)) !== pointToHex(slot.beta.subtract(mask))) {
      throw new CheckFailed(`result.counts.${slot.cid}.${slot.sid} = ${claimed} is not the decryption of the tally`);
    }
  });
  return 'every count is the decryption of the tally by trustees ' + indexes.join(', ');
}
