// The "verify a receipt" page (templates/ledger/verify.html): runs the same checks as
// `python -m ledger.verify` in the browser, with frontend/src/ledger/. Nothing is sent anywhere;
// the only request is loading a receipt from this log when the page was opened for an entry.
import { receiptVerified, verifyReceipt } from '../ledger/index.js';

const form = document.getElementById('verify-form');
const receipt = document.getElementById('receipt-text');
const file = document.getElementById('receipt-file');
const result = document.getElementById('verify-result');
const summary = document.getElementById('verify-summary');
const list = document.getElementById('verify-checks');
const messages = document.getElementById('verify-messages').dataset;

function show(text, checks = []) {
  summary.textContent = text;
  list.replaceChildren(
    ...checks.map((c) => {
      const item = document.createElement('li');
      item.className = c.ok ? 'pass' : c.required ? 'fail' : 'miss';
      const name = document.createElement('strong');
      name.textContent = c.required ? c.name : `${c.name} (${messages.optional})`;
      item.append(name, `: ${c.detail}`);
      return item;
    }),
  );
  result.hidden = false;
}

function keyLines(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

file.addEventListener('change', async () => {
  const chosen = file.files?.[0];
  if (chosen) receipt.value = await chosen.text();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  let text = receipt.value.replace(/\r\n/g, '\n');
  if (!text.trim()) {
    show(messages.empty);
    return;
  }
  // A pasted file often loses its final newline; signature lines end with one.
  if (!text.endsWith('\n')) text += '\n';
  const minimum = Number.parseInt(document.getElementById('min-witnesses').value, 10);
  const checks = verifyReceipt(text, {
    logKey: document.getElementById('log-key').value.trim(),
    witnessKeys: keyLines(document.getElementById('witness-keys').value),
    minWitnesses: Number.isNaN(minimum) ? undefined : minimum,
  });
  show(receiptVerified(checks) ? messages.passed : messages.failed, checks);
});

if (form.dataset.receiptUrl) {
  fetch(form.dataset.receiptUrl, { credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    })
    .then((text) => {
      receipt.value = text;
      show(messages.loaded);
      form.dataset.loaded = 'true';
    })
    .catch(() => show(messages.loadFailed));
}
