// The admin's election page: a progress bar of the count, fed by the small status endpoint
// (/api/elections/<id>/status), refreshed until the result is published.
import { fmt, pageData, requestJson, gettext } from './election-common.js';

const data = pageData('status-data');
const bar = document.getElementById('count-progress');
const line = document.getElementById('count-status');

function describe(s) {
  if (s.state === 'closed') return gettext('Voting is closed; the count is starting…');
  if (s.state === 'tallying') {
    if (s.job === 'failed') return fmt(gettext('The count stopped: %(reason)s'), { reason: s.failure });
    return fmt(gettext('Verifying and summing ballots: %(done)s of %(total)s (%(chunks)s of %(all)s chunks).'), {
      done: s.ballots_done,
      total: s.ballots,
      chunks: s.chunks_done,
      all: s.chunks,
    });
  }
  if (s.state === 'decrypting') {
    return fmt(gettext('Counted %(total)s ballots. Waiting for the trustees: %(have)s of %(need)s decryptions.'), {
      total: s.ballots,
      have: s.decryptions,
      need: s.threshold,
    });
  }
  if (s.state === 'published') {
    return s.record ? gettext('The result and the election record are published.') : gettext('The result is published; the record is being prepared.');
  }
  return s.state;
}

async function refresh() {
  const result = await requestJson(data.status_url);
  if (!result.ok) return;
  const s = result.body;
  const steps = s.chunks + s.threshold;
  const done = s.state === 'published' ? steps : s.chunks_done + (s.state === 'decrypting' ? s.decryptions : 0);
  bar.max = Math.max(steps, 1);
  bar.value = Math.min(done, bar.max);
  line.textContent = describe(s);
  if (!(s.state === 'published' && s.record)) setTimeout(refresh, 1500);
}

if (data && bar) refresh();
