// The wallet page (/id/): check the credential's signature, show it as a QR code, and derive
// presentations ON THIS DEVICE, revealing only what the holder ticks, bound to the verifier's
// nonce. Nothing of the presentation is sent to the server.
import QRCode from 'qrcode';
import { checkCredentialSignature, derivePresentationDocument } from '../wallet/credential.js';
import { resolveAssertionKey } from '../wallet/did.js';

const QR_CAPACITY = 2953; // bytes, version 40 at error correction level L

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function drawQr(canvas, text, tooBig) {
  if (new TextEncoder().encode(text).length > QR_CAPACITY) {
    canvas.hidden = true;
    return tooBig;
  }
  await QRCode.toCanvas(canvas, text, { errorCorrectionLevel: 'L', margin: 2, width: 360 });
  canvas.hidden = false;
  return '';
}

async function copyText(textarea) {
  try {
    await navigator.clipboard.writeText(textarea.value);
  } catch {
    textarea.select();
    document.execCommand('copy');
  }
}

async function main(root) {
  const messages = root.dataset;
  const signatureCheck = document.getElementById('signature-check');
  const [credential, didDocument] = await Promise.all([
    fetchJson(messages.credentialUrl), fetchJson(messages.didUrl),
  ]);
  const publicKey = resolveAssertionKey(didDocument, credential.proof.verificationMethod);
  const checked = publicKey ? await checkCredentialSignature(credential, publicKey) : { verified: false, reason: 'unknown issuer key' };
  signatureCheck.textContent = checked.verified ? messages.msgChecked : `${messages.msgCheckFailed} ${checked.reason}`;

  const qrButton = document.getElementById('show-credential-qr');
  qrButton.hidden = false;
  qrButton.addEventListener('click', async () => {
    signatureCheck.textContent = await drawQr(
      document.getElementById('credential-qr'), JSON.stringify(credential), messages.msgQrTooBig,
    ) || signatureCheck.textContent;
  });

  const form = document.getElementById('presentation-form');
  if (!form) return; // revoked, suspended or expired: nothing to present
  const status = document.getElementById('presentation-status');
  const output = document.getElementById('presentation-output');
  const textarea = document.getElementById('presentation-json');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const nonce = form.elements.nonce.value.trim();
    const disclose = [...form.querySelectorAll('input[name=disclose]:checked')]
      .flatMap((box) => (box.value === 'status' ? ['revocation', 'suspension'] : [box.value]));
    status.textContent = messages.msgWorking;
    try {
      const presentation = await derivePresentationDocument({ credential, publicKey, disclose, nonce });
      const text = JSON.stringify(presentation);
      textarea.value = JSON.stringify(presentation, null, 2);
      output.hidden = false;
      const qrNote = await drawQr(document.getElementById('presentation-qr'), text, messages.msgQrTooBig);
      status.textContent = `${messages.msgDone} ${qrNote}`.trim();
    } catch (error) {
      output.hidden = true;
      status.textContent = `${messages.msgFailed} ${error.message}`;
    }
  });
  document.getElementById('copy-presentation').addEventListener('click', async () => {
    await copyText(textarea);
    status.textContent = messages.msgCopied;
  });
}

const root = document.getElementById('credential');
if (root) {
  main(root).catch((error) => {
    document.getElementById('signature-check').textContent = `${root.dataset.msgCheckFailed} ${error.message}`;
  });
}
