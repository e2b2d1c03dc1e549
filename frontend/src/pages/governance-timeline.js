// Governance timelines (templates/governance/_timeline.html): for each anchored step, fetch its
// ledger receipt and check it here with frontend/src/ledger/ — the log's signature on the
// checkpoint, the inclusion proof, and that the entry commits to the payload shown (its
// canonical JSON, docs/spec/ledger.md §2.2). Nothing is sent anywhere but the receipt requests.
import { canonicalJson } from '../governance/canonical.js';
import { receiptVerified, verifyReceipt } from '../ledger/index.js';

const section = document.getElementById('timeline');

async function check(item, logKey, messages) {
  const status = item.querySelector('.receipt-status');
  status.textContent = messages.checking;
  try {
    const response = await fetch(item.dataset.receiptUrl, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const payloadBytes = new TextEncoder().encode(canonicalJson(JSON.parse(item.dataset.payload)));
    const checks = verifyReceipt(await response.text(), { logKey, payloadBytes });
    if (receiptVerified(checks)) {
      status.textContent = messages.verified;
      status.className = 'receipt-status pass';
      item.dataset.verified = 'true';
    } else {
      const failed = checks.filter((c) => !c.ok && c.required).map((c) => `${c.name}: ${c.detail}`);
      status.textContent = `${messages.failed} ${failed.join('; ')}`;
      status.className = 'receipt-status fail';
      item.dataset.verified = 'false';
    }
  } catch (error) {
    status.textContent = `${messages.unavailable} (${error.message})`;
    status.className = 'receipt-status fail';
    item.dataset.verified = 'false';
  }
}

if (section) {
  const logKey = section.dataset.logKey;
  const messages = section.dataset;
  for (const item of section.querySelectorAll('.timeline-item[data-receipt-url]')) {
    check(item, logKey, messages);
  }
}
