// The record verifier's multi-scalar multiplication agrees with one multiplication at a time,
// on random inputs and on the scalars where signed-digit recoding can go wrong.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { G, IDENTITY, Q, mulPublic, randomScalar } from '../src/crypto/group.js';
import { msm } from '../src/crypto/record/msm.js';

const naive = (points, scalars) => points.reduce((acc, p, i) => acc.add(mulPublic(p, scalars[i])), IDENTITY);

test('msm equals the sum of single multiplications for random points and scalars', () => {
  for (const n of [0, 1, 2, 3, 7, 20, 65, 300]) {
    const points = Array.from({ length: n }, () => mulPublic(G, randomScalar()));
    const scalars = points.map((_, i) => (i % 3 ? randomScalar() >> BigInt(120 + i) : randomScalar()));
    assert.ok(msm(points, scalars).equals(naive(points, scalars)), `n = ${n}`);
  }
});

test('msm handles carries at the top, scalars around q/2, negative and oversized scalars', () => {
  const P = mulPublic(G, 987654321n);
  const edge = [0n, 1n, 2n, 3n, Q - 1n, Q >> 1n, (Q >> 1n) + 1n, 2n ** 252n, 2n ** 253n - 1n, -5n, Q + 7n, 3n * Q - 1n];
  for (const k of edge) assert.ok(msm([P], [k]).equals(mulPublic(P, ((k % Q) + Q) % Q)), `k = ${k}`);
  assert.ok(msm([P, P.negate()], [5n, 5n]).is0());
});
