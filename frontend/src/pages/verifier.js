// The verifier page (/id/verifier/): a fresh nonce on request, QR scanning (photo or camera),
// and, after the server's verdict, an independent check of the same presentation in the browser
// (DID document, BBS proof, signed status lists).
import jsQR from 'jsqr';
import { verifyPresentationDocument } from '../wallet/credential.js';
import { base64urlEncode } from '../wallet/multibase.js';
import { statusBitFetcher } from '../wallet/statuscheck.js';

const root = document.getElementById('verifier');
const messages = root.dataset;
const form = document.getElementById('verify-form');
const presentationInput = document.getElementById('presentation-input');
const scanStatus = document.getElementById('scan-status');

async function fetchJson(url) {
  // 'no-cache': a verifier wants today's status list, not the one the browser cached earlier.
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

const newNonce = document.getElementById('new-nonce');
newNonce.hidden = false;
newNonce.addEventListener('click', () => {
  form.elements.nonce.value = base64urlEncode(crypto.getRandomValues(new Uint8Array(16)));
});

function scanPixels(source, width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  return jsQR(context.getImageData(0, 0, width, height).data, width, height);
}

function found(code) {
  presentationInput.value = code.data;
  scanStatus.textContent = '';
}

document.getElementById('scan-field').hidden = false;
document.getElementById('qr-image').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const bitmap = await createImageBitmap(file);
  const code = scanPixels(bitmap, bitmap.width, bitmap.height);
  if (code) found(code);
  else scanStatus.textContent = messages.msgScanNone;
});

document.getElementById('scan-camera').addEventListener('click', async () => {
  const video = document.getElementById('camera');
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch {
    scanStatus.textContent = messages.msgCameraOff;
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  const tick = () => {
    const code = video.videoWidth ? scanPixels(video, video.videoWidth, video.videoHeight) : null;
    if (code) {
      found(code);
      stream.getTracks().forEach((track) => track.stop());
      video.hidden = true;
    } else {
      requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
});

async function checkInBrowser(target) {
  const didDocument = await fetchJson(messages.didUrl);
  const requireStatus = form.elements.require_status.checked ? ['revocation', 'suspension'] : [];
  const required = [...form.querySelectorAll('input[name=required]:checked')].map((box) => box.value);
  const report = await verifyPresentationDocument({
    presentation: JSON.parse(presentationInput.value),
    nonce: form.elements.nonce.value,
    didDocument,
    statusBit: statusBitFetcher(didDocument, fetchJson),
    required,
    requireStatus,
  });
  target.textContent = report.verified ? messages.msgBrowserOk : `${messages.msgBrowserBad} ${report.reason}`;
  target.dataset.verified = String(report.verified);
}

const browserCheck = document.getElementById('browser-check');
if (browserCheck) {
  checkInBrowser(browserCheck).catch((error) => {
    browserCheck.textContent = `${messages.msgBrowserBad} ${error.message}`;
    browserCheck.dataset.verified = 'false';
  });
}
