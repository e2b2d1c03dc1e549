// The voting booth (templates/voting/booth.html). The choices are encrypted and proven here,
// in the browser, with frontend/src/crypto; only the encrypted ballot is sent. Before casting,
// the voter may audit (Benaloh): the ballot and its secrets are sent to be opened in public,
// the browser checks the opening itself, and that ballot can never be cast.
import { encryptBallot, makeContext, verifyAuditedBallot } from '../crypto/index.js';
import { download, fmt, nextFrame, pageData, reasonOf, requestJson, gettext } from './election-common.js';

const data = pageData('booth-data');
const ctx = makeContext(data.context);
const form = document.getElementById('booth-form');
const encryptButton = document.getElementById('encrypt');
const error = document.getElementById('booth-error');
const status = document.getElementById('booth-status');
const sections = {
  sealed: document.getElementById('sealed'),
  audited: document.getElementById('audited'),
  confirmation: document.getElementById('confirmation'),
};
let sealed = null;

function say(text) {
  status.textContent = text;
}

function show(name) {
  for (const [key, section] of Object.entries(sections)) section.hidden = key !== name;
  form.hidden = name !== null && name !== 'form';
  const target = name && name !== 'form' ? sections[name] : form.querySelector('input');
  target?.focus();
}

function readPoints(fieldset, contest) {
  const cap = Number(fieldset.dataset.cap);
  const votes = {};
  for (const input of fieldset.querySelectorAll('input[type="number"]')) {
    const value = input.value.trim() === '' ? 0 : Number(input.value);
    if (!Number.isInteger(value) || value < 0 || value > cap) {
      throw new Error(fmt(gettext('“%(contest)s”: give each option a whole number of points from 0 to %(cap)s.'), { contest, cap }));
    }
    if (value) votes[input.dataset.option] = value;
  }
  return votes;
}

function readChoices() {
  const choices = {};
  for (const fieldset of form.querySelectorAll('fieldset.contest')) {
    const contest = fieldset.querySelector('legend').textContent;
    const max = Number(fieldset.dataset.max);
    const votes = fieldset.querySelector('input[type="number"]')
      ? readPoints(fieldset, contest)
      : Object.fromEntries([...fieldset.querySelectorAll('input:checked')].map((input) => [input.value, 1]));
    const total = Object.values(votes).reduce((a, b) => a + b, 0);
    if (total > max) {
      throw new Error(fmt(gettext('“%(contest)s”: at most %(max)s in total, not %(total)s.'), { contest, max, total }));
    }
    choices[fieldset.dataset.contest] = votes;
  }
  return choices;
}

function setBusy(busy) {
  for (const button of document.querySelectorAll('#booth-form button, #sealed button, #audited button')) {
    button.disabled = busy;
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  let choices;
  try {
    choices = readChoices();
  } catch (problem) {
    error.textContent = problem.message;
    return;
  }
  setBusy(true);
  say(gettext('Encrypting your ballot…'));
  await nextFrame();
  try {
    sealed = encryptBallot(ctx, data.voter, choices);
  } catch (problem) {
    error.textContent = problem.message;
    setBusy(false);
    return;
  }
  setBusy(false);
  document.getElementById('sealed-tracker').textContent = sealed.tracker;
  say(gettext('Your ballot is encrypted.'));
  show('sealed');
});

document.getElementById('change').addEventListener('click', () => {
  sealed = null;
  show('form');
});

document.getElementById('again').addEventListener('click', () => {
  sealed = null;
  show('form');
});

function labelOf(contestId, optionId) {
  const input = document.getElementById(`${contestId}-${optionId}`);
  return document.querySelector(`label[for="${input?.id}"]`)?.textContent ?? optionId;
}

function renderChoices(choices) {
  const box = document.getElementById('audited-choices');
  box.replaceChildren();
  for (const fieldset of form.querySelectorAll('fieldset.contest')) {
    const contestId = fieldset.dataset.contest;
    const heading = document.createElement('h3');
    heading.textContent = fieldset.querySelector('legend').textContent;
    const list = document.createElement('ul');
    const points = Number(fieldset.dataset.cap) > 1;
    for (const [optionId, vote] of Object.entries(choices[contestId] ?? {})) {
      const item = document.createElement('li');
      const label = labelOf(contestId, optionId);
      item.textContent = points ? `${label}: ${vote}` : `${vote ? '✔' : '✘'} ${label}`;
      list.append(item);
    }
    box.append(heading, list);
  }
}

document.getElementById('audit').addEventListener('click', async () => {
  if (!sealed) return;
  setBusy(true);
  say(gettext('Sending the ballot to be audited…'));
  const result = await requestJson(data.audit_url, {
    method: 'POST',
    body: { ballot: sealed.ballot, secrets: sealed.secrets },
  });
  setBusy(false);
  if (!result.ok) {
    error.textContent = reasonOf(result);
    show('form');
    return;
  }
  let verdict;
  try {
    const choices = verifyAuditedBallot(ctx, sealed.ballot, sealed.secrets);
    renderChoices(choices);
    verdict = gettext('Checked in your browser: the encrypted ballot holds exactly these choices.');
  } catch (problem) {
    verdict = fmt(gettext('The audit FAILED in your browser: %(reason)s'), { reason: problem.message });
  }
  document.getElementById('audited-verdict').textContent = verdict;
  document.getElementById('audited-link').href = result.body.url;
  sealed = null;
  say(verdict);
  show('audited');
});

async function pollReceipt(tracker) {
  const url = data.receipt_url.replace('TRACKER', tracker);
  const line = document.getElementById('receipt-status');
  for (let attempt = 0; attempt < 90; attempt += 1) {
    const result = await requestJson(url);
    if (result.status === 200) {
      download(document.getElementById('receipt-link'), result.body, `ballot-${tracker.slice(0, 16)}.tlog-proof`);
      line.textContent = gettext('Your ballot is in the public ledger. Keep the receipt: it proves it.');
      return;
    }
    if (result.status !== 202) {
      line.textContent = reasonOf(result);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  line.textContent = gettext('The ledger is slow to confirm; the receipt can be downloaded later from the ballot board.');
}

document.getElementById('cast').addEventListener('click', async () => {
  if (!sealed) return;
  setBusy(true);
  say(gettext('Casting your ballot…'));
  const result = await requestJson(data.cast_url, { method: 'POST', body: { ballot: sealed.ballot } });
  setBusy(false);
  if (!result.ok) {
    error.textContent = reasonOf(result);
    sealed = null;
    show('form');
    return;
  }
  const tracker = result.body.tracker;
  document.getElementById('cast-tracker').textContent = tracker;
  document.getElementById('board-link').href = `${data.board_url}?tracker=${tracker}`;
  sealed = null;
  say(gettext('Your ballot was cast.'));
  show('confirmation');
  pollReceipt(tracker);
});

encryptButton.disabled = false;
