// The public page of one audited ballot: re-checks in this browser that the revealed votes and
// nonces re-encrypt exactly to the published encrypted ballot (Benaloh audit).
import { makeContext, verifyAuditedBallot } from '../crypto/index.js';
import { fmt, pageData, gettext } from './election-common.js';

const audit = pageData('audit-data');
const line = document.getElementById('audit-check');
try {
  verifyAuditedBallot(makeContext(pageData('audit-context')), audit.ballot, audit.secrets);
  line.innerHTML = '';
  const badge = document.createElement('span');
  badge.className = 'badge ok';
  badge.textContent = gettext('Re-encrypts exactly to the ballot');
  line.append(badge);
} catch (problem) {
  line.textContent = fmt(gettext('Does not check out: %(reason)s'), { reason: problem.message });
}
