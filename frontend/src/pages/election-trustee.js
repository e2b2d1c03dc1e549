// The trustee's page (templates/voting/trustee.html): the key ceremony and the partial
// decryption, in this browser, with frontend/src/crypto/trustee.js. The secret is generated
// here, saved by the trustee as a (passphrase-sealed) file, and never sent: only the public
// record, the sealed shares, the verdict and the partial decryption with its proofs are. A
// complaint alone reveals the box secret, so that anyone can open the accused's box and judge it.
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  ShareError,
  combineKeyShare,
  dealShares,
  generateTrustee,
  makeContext,
  partialDecrypt,
  readTrusteeFile,
  receiveShare,
  writeTrusteeFile,
} from '../crypto/index.js';
import { download, fmt, nextFrame, pageData, reasonOf, requestJson, gettext } from './election-common.js';

const data = pageData('trustee-data');
const status = document.getElementById('trustee-status');
const steps = ['generate', 'file', 'shares', 'decrypt'].reduce((acc, name) => {
  acc[name] = document.getElementById(`step-${name}`);
  return acc;
}, {});
let file = null; // {election, ceremony, threshold, secret, keyShare}: only ever in memory
let state = null;
let pollTimer = null;

function say(text) {
  status.textContent = text;
}

function showSteps(...names) {
  for (const [name, node] of Object.entries(steps)) node.hidden = !names.includes(name);
}

function renderTable(trustees) {
  const body = document.querySelector('#trustee-table tbody');
  const mark = (yes) => (yes ? '✔' : '–');
  body.replaceChildren(
    ...trustees.map((tr) => {
      const row = document.createElement('tr');
      const verdict = tr.verdict === 'ok' ? '✔' : tr.verdict === 'complaint' ? fmt(gettext('upheld complaint: trustee %(n)s sent a bad share'), { n: tr.complaint_against }) : '–';
      for (const cell of [tr.index, tr.name, mark(tr.public), mark(tr.shares_sent), verdict, mark(tr.decrypted)]) {
        const td = document.createElement('td');
        td.textContent = String(cell);
        row.append(td);
      }
      return row;
    }),
  );
}

function poll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(refresh, 3000);
}

async function loadFile() {
  if (file) return file;
  const chosen = document.getElementById('secret-file').files?.[0];
  if (!chosen) throw new Error(gettext('Choose your key file first.'));
  const passphrase = document.getElementById('file-passphrase').value;
  const loaded = await readTrusteeFile(await chosen.text(), { passphrase: passphrase || undefined });
  if (loaded.election !== data.election || loaded.ceremony !== state.ceremony) {
    throw new Error(gettext('This key file belongs to another election or key ceremony.'));
  }
  if (loaded.secret.index !== data.index) {
    throw new Error(fmt(gettext('This key file is trustee %(n)s’s, not yours.'), { n: loaded.secret.index }));
  }
  file = loaded;
  return file;
}

async function refresh() {
  const result = await requestJson(data.ceremony_url);
  if (!result.ok) {
    say(reasonOf(result));
    return;
  }
  state = result.body;
  renderTable(state.trustees);
  const me = state.trustees.find((tr) => tr.index === data.index);
  const others = state.trustees.filter((tr) => tr.index !== data.index);
  if (state.state === 'key_ceremony') {
    if (!me.public) {
      showSteps('generate');
      say(gettext('Step 1: make your key.'));
    } else if (!me.shares_sent) {
      const waiting = others.filter((tr) => !tr.public).length;
      showSteps(...(file ? [] : ['file']), 'shares');
      document.getElementById('send-shares').disabled = waiting > 0;
      document.getElementById('check-shares').disabled = true;
      say(waiting ? fmt(gettext('Waiting for %(n)s trustee(s) to make their key…'), { n: waiting }) : gettext('Step 2: send your shares.'));
      if (waiting) poll();
    } else if (!me.verdict) {
      const waiting = others.filter((tr) => !tr.shares_sent).length;
      showSteps(...(file ? [] : ['file']), 'shares');
      document.getElementById('send-shares').disabled = true;
      document.getElementById('check-shares').disabled = waiting > 0;
      say(waiting ? fmt(gettext('Waiting for %(n)s trustee(s) to send you their share…'), { n: waiting }) : gettext('Step 2: check the shares you received.'));
      if (waiting) poll();
    } else {
      showSteps();
      say(me.verdict === 'ok' ? gettext('Your part of the key ceremony is done. Keep your key file until the result is published.') : fmt(gettext('Your complaint is upheld: trustee %(n)s sent you a bad share. The council must restart the ceremony or replace that trustee.'), { n: me.complaint_against }));
      poll();
    }
  } else if (state.state === 'decrypting' && !me.decrypted) {
    showSteps(...(file ? [] : ['file']), 'decrypt');
    say(gettext('Step 3: decrypt your part of the tally.'));
  } else if (state.state === 'decrypting' || state.state === 'tallying' || state.state === 'closed') {
    showSteps();
    say(me.decrypted ? gettext('Your partial decryption is in. Thank you.') : gettext('The ballots are being counted; come back when the tally is ready to decrypt.'));
    poll();
  } else if (state.state === 'published') {
    showSteps();
    say(gettext('The result is published. Your part is done.'));
  } else {
    showSteps();
    say(gettext('Nothing to do now.'));
  }
}

async function guarded(button, work) {
  button.disabled = true;
  try {
    await nextFrame();
    await work();
  } catch (problem) {
    say(problem.message);
  } finally {
    button.disabled = false;
  }
  await refresh();
}

async function saveFile(linkId, message) {
  const passphrase = document.getElementById('passphrase').value || document.getElementById('file-passphrase').value;
  const text = await writeTrusteeFile(file, { passphrase: passphrase || undefined });
  const link = document.getElementById(linkId);
  download(link, text, `trustee-${data.index}-election-${data.election}.json`, 'application/json');
  link.click();
  say(message);
}

document.getElementById('generate').addEventListener('click', (event) =>
  guarded(event.currentTarget, async () => {
    const passphrase = document.getElementById('passphrase').value;
    if (passphrase.length < 10) throw new Error(gettext('Choose a passphrase of at least 10 characters.'));
    say(gettext('Generating your key…'));
    const made = generateTrustee(state.ceremony, data.index, data.name, state.threshold);
    file = { election: data.election, ceremony: state.ceremony, threshold: state.threshold, secret: made.secret, keyShare: null };
    await saveFile('secret-link', gettext('Your key file is saved. Publishing your public key…'));
    const result = await requestJson(data.public_url, { method: 'POST', body: { public: made.public } });
    if (!result.ok) throw new Error(reasonOf(result));
  }),
);

document.getElementById('send-shares').addEventListener('click', (event) =>
  guarded(event.currentTarget, async () => {
    await loadFile();
    const boxes = dealShares(state.ceremony, file.secret, state.trustees.map((tr) => tr.public));
    const result = await requestJson(data.boxes_url, { method: 'POST', body: { boxes } });
    if (!result.ok) throw new Error(reasonOf(result));
  }),
);

async function receivedKeyShare() {
  const result = await requestJson(data.boxes_url);
  if (!result.ok) throw new Error(reasonOf(result));
  const received = new Map();
  for (const box of result.body.boxes) {
    const sender = state.trustees.find((tr) => tr.index === box.sender).public;
    received.set(box.sender, receiveShare(state.ceremony, file.secret, sender, box));
  }
  return combineKeyShare(file.secret, received);
}

document.getElementById('check-shares').addEventListener('click', (event) =>
  guarded(event.currentTarget, async () => {
    await loadFile();
    let keyShare;
    try {
      keyShare = await receivedKeyShare();
    } catch (problem) {
      if (!(problem instanceof ShareError)) throw problem;
      const result = await requestJson(data.verdict_url, {
        method: 'POST',
        body: { ok: false, against: problem.trustee, reason: problem.message.slice(0, 500), box_secret: bytesToHex(file.secret.boxSecret) },
      });
      throw new Error(result.ok ? fmt(gettext('Complaint upheld: %(reason)s'), { reason: problem.message }) : reasonOf(result));
    }
    file = { ...file, keyShare };
    await saveFile('share-file-link', gettext('Every share checks out. Save your completed key file.'));
    const result = await requestJson(data.verdict_url, { method: 'POST', body: { ok: true } });
    if (!result.ok) throw new Error(reasonOf(result));
  }),
);

document.getElementById('decrypt').addEventListener('click', (event) =>
  guarded(event.currentTarget, async () => {
    await loadFile();
    const keyShare = file.keyShare ?? (await receivedKeyShare());
    say(gettext('Computing your partial decryption…'));
    await nextFrame();
    const partial = partialDecrypt(makeContext(state.context), state.tally, data.index, keyShare);
    const result = await requestJson(data.decryptions_url, { method: 'POST', body: { partial } });
    if (!result.ok) throw new Error(reasonOf(result));
    say(fmt(gettext('Partial decryption accepted (%(have)s of %(need)s needed).'), { have: result.body.decryptions, need: result.body.threshold }));
  }),
);

refresh();
