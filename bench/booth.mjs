// Browser booth speed in node: encrypt+prove of a 1-of-5 ballot with frontend/src/crypto
// (@noble/curves bn254). Run: node bench/booth.mjs [rounds]
// Prints the first call (cold: JIT warm-up and the public-key table) and the median of the rest.

import * as c from '../frontend/src/crypto/index.js';

const rounds = Number(process.argv[2] ?? 20);
const contests = [{ id: 'mayor', selections: ['a', 'b', 'c', 'd', 'e'] }];
const key = c.mulSecret(c.G, c.randomScalar());
const fingerprint = Buffer.from(c.electionFingerprint('bench', contests, key)).toString('hex');

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

let ctx;
const setup = time(() => {
  ctx = c.makeContext({ fingerprint, public_key: c.pointToHex(key), contests });
});
let ballot;
const cold = time(() => {
  ({ ballot } = c.encryptBallot(ctx, 'voter', { mayor: { d: 1 } }));
});
const enc = [];
const ver = [];
for (let i = 0; i < rounds; i++) {
  enc.push(time(() => c.encryptBallot(ctx, 'voter', { mayor: { d: 1 } })));
  ver.push(time(() => c.verifyBallot(ctx, ballot)));
}
console.log(`node ${process.version}, @noble/curves bn254, 1-of-5 ballot, ${rounds} rounds`);
console.log(`context (public-key table): ${setup.toFixed(1)} ms`);
console.log(`encrypt+prove, first call:  ${cold.toFixed(1)} ms`);
console.log(`encrypt+prove, median:      ${median(enc).toFixed(1)} ms`);
console.log(`verify (in-browser), median: ${median(ver).toFixed(1)} ms`);
