// The "verify a receipt" page (templates/ledger/verify.html): runs the same checks as
// `python -m ledger.verify` in the browser, with frontend/src/ledger/. Nothing you paste is sent
// anywhere; the only requests are loading a receipt from this log when the page was opened for
// an entry, and asking it for a consistency proof between two sizes when you give an earlier
// checkpoint and no proof.
import { canonicalJson } from '../governance/canonical.js';
import { parseCheckpoint, parseProofLines, parseReceipt, receiptVerified, verifyReceipt } from '../ledger/index.js';

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

/** Pasted text as a note: Unix newlines and the final newline a signature line ends with. */
function noteText(value) {
  const text = value.replace(/\r\n/g, '\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The tree size a signed checkpoint names (unverified: verifyReceipt checks the signature). */
function sizeOf(note) {
  return parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).size;
}

/** The consistency proof between the earlier checkpoint and the receipt's: pasted, or asked
 * of this log. Returns {proof} or {problem} (a failed check to show). */
async function consistencyProof(receiptText, earlier) {
  const pasted = document.getElementById('consistency-proof').value;
  try {
    if (pasted.trim()) return { proof: parseProofLines(pasted) };
    const sizes = [sizeOf(earlier), sizeOf(parseReceipt(receiptText).checkpointNote)];
    const [size1, size2] = sizes[0] <= sizes[1] ? sizes : [sizes[1], sizes[0]];
    if (size1 === size2 || size1 === 0n) return { proof: [] };
    const url = `${form.dataset.consistencyUrl}?size1=${size1}&size2=${size2}&format=json`;
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error?.reason ?? `HTTP ${response.status}`);
    return { proof: parseProofLines(body.hashes.join('\n')) };
  } catch (e) {
    return { problem: { name: 'consistency proof', ok: false, required: true, detail: e.message } };
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!receipt.value.trim()) {
    show(messages.empty);
    return;
  }
  const text = noteText(receipt.value);
  const minimum = Number.parseInt(document.getElementById('min-witnesses').value, 10);
  const options = {
    logKey: document.getElementById('log-key').value.trim(),
    witnessKeys: keyLines(document.getElementById('witness-keys').value),
    minWitnesses: Number.isNaN(minimum) ? undefined : minimum,
  };
  const extra = [];
  const payload = document.getElementById('payload-json').value;
  if (payload.trim()) {
    try {
      options.payloadBytes = new TextEncoder().encode(canonicalJson(JSON.parse(payload)));
    } catch (e) {
      extra.push({ name: 'payload', ok: false, required: true, detail: `not canonical JSON: ${e.message}` });
    }
  }
  const earlier = document.getElementById('earlier-checkpoint').value;
  if (earlier.trim()) {
    options.earlierCheckpoint = noteText(earlier);
    const found = await consistencyProof(text, options.earlierCheckpoint);
    if (found.problem) extra.push(found.problem);
    else options.consistencyProof = found.proof;
  }
  const checks = [...verifyReceipt(text, options), ...extra];
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
