// Time the browser record verifier under node on a record file: node bench/record.mjs RECORD.json
import { readFileSync } from 'node:fs';
import { verifyRecord } from '../frontend/src/crypto/record.js';

const record = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const phases = {};
let mark = performance.now();
let phase = 'manifest';
const start = mark;
const report = await verifyRecord(record, {
  onProgress: (p) => {
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - mark);
    [mark, phase] = [now, p.phase];
  },
});
const seconds = (performance.now() - start) / 1000;
if (!report.ok) throw new Error(JSON.stringify(report.checks.filter((c) => c.status !== 'pass').slice(0, 5)));
const cast = record.ballots.length;
const split = Object.entries(phases)
  .filter(([, ms]) => ms > 50)
  .map(([p, ms]) => `${p} ${(ms / 1000).toFixed(1)} s`)
  .join(', ');
console.log(`JS verifyRecord (node ${process.version}): ${seconds.toFixed(1)} s (${(cast / seconds).toFixed(0)} ballots/s), all checks pass [${split}]`);
