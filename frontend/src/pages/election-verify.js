// The public verification page (templates/voting/verify.html): downloads the election record
// and re-runs every check of docs/spec/election-record.md in this browser with
// frontend/src/crypto/record.js, showing progress and listing each check with its verdict.
import { parseRecord, verifyRecord } from '../crypto/record.js';
import { fmt, nextFrame, gettext } from './election-common.js';

const form = document.getElementById('verify-form');
const box = document.getElementById('verify-progress-box');
const bar = document.getElementById('verify-progress');
const phase = document.getElementById('verify-phase');
const summary = document.getElementById('verify-summary');
const list = document.getElementById('verify-checks');
const start = document.getElementById('verify-start');

const PHASES = {
  manifest: gettext('the manifest'),
  ceremony: gettext('the key ceremony'),
  roll: gettext('the voter roll'),
  ledger: gettext('the ledger receipts'),
  ballots: gettext('the ballots'),
  audited: gettext('the audited ballots'),
  tally: gettext('the encrypted tally'),
  decryption: gettext('the decryptions'),
  result: gettext('the result'),
};
const VERDICTS = { pass: gettext('passed'), fail: gettext('FAILED'), skip: gettext('skipped') };

function render(checks) {
  list.replaceChildren(
    ...checks.map((check) => {
      const item = document.createElement('li');
      item.className = check.status;
      item.dataset.check = check.name;
      const name = document.createElement('strong');
      name.textContent = check.name;
      const verdict = document.createElement('span');
      verdict.className = `badge ${check.status === 'pass' ? 'ok' : check.status === 'fail' ? 'bad' : 'warn'}`;
      verdict.textContent = VERDICTS[check.status] ?? check.status;
      item.append(name, ' ', verdict);
      if (check.detail) item.append(` — ${check.detail}`);
      return item;
    }),
  );
}

form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  start.disabled = true;
  list.replaceChildren();
  box.hidden = false;
  bar.value = 0;
  summary.textContent = gettext('Downloading the election record…');
  try {
    const response = await fetch(form.dataset.recordUrl, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(fmt(gettext('the record is not available (%(status)s)'), { status: response.status }));
    const record = parseRecord(await response.text());
    summary.textContent = gettext('Verifying…');
    await nextFrame();
    const logKey = document.getElementById('log-key').value.trim() || undefined;
    const { ok, checks } = await verifyRecord(record, {
      logKey,
      onProgress: ({ done, total, phase: name }) => {
        bar.max = total;
        bar.value = done;
        phase.textContent = fmt(gettext('Checking %(what)s: %(done)s of %(total)s checks'), {
          what: PHASES[name] ?? name,
          done,
          total,
        });
      },
    });
    bar.value = bar.max;
    render(checks);
    const failed = checks.filter((c) => c.status !== 'pass').length;
    summary.textContent = ok
      ? fmt(gettext('Every check passed (%(count)s checks). This result is the correct count of the ballots on the board.'), { count: checks.length })
      : fmt(gettext('%(failed)s of %(count)s checks did not pass. Do not trust this result.'), { failed, count: checks.length });
    summary.className = ok ? 'verdict ok' : 'verdict bad';
  } catch (problem) {
    summary.textContent = fmt(gettext('Could not verify: %(reason)s'), { reason: problem.message });
    summary.className = 'verdict bad';
  } finally {
    start.disabled = false;
  }
});
