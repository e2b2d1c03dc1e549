// Strict text encodings shared by the ledger verifier: canonical standard base64 (RFC 4648 §4)
// and UTF-8. Strict means one accepted text form per byte string, exactly like ledger/b64.py.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export function b64encode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return out;
}

/** Decode canonical base64 or throw an Error naming `what`. */
export function b64decode(text, what = 'value') {
  if (typeof text !== 'string' || text.length % 4 !== 0) throw new Error(`${what} is not valid base64`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text[i + j];
      const last = i + 4 === text.length;
      if (c === '=' && last && j >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = VALUE.get(c);
      if (v === undefined) throw new Error(`${what} is not valid base64`);
      n = (n << 6) | v;
    }
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (n >> shift) & 255;
  }
  if (b64encode(out) !== text) throw new Error(`${what} is not canonical base64`);
  return out;
}

export const utf8 = (text) => new TextEncoder().encode(text);

export function utf8decode(bytes, what = 'text') {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not valid UTF-8`);
  }
}

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Parse an ASCII decimal with no leading zeroes (as C2SP formats write sizes) into a BigInt. */
export function parseDecimal(text, what) {
  if (!/^(0|[1-9][0-9]{0,18})$/.test(text) || BigInt(text) > 2n ** 63n - 1n) {
    throw new Error(`${what} ${JSON.stringify(text.slice(0, 30))} is not a decimal without leading zeroes`);
  }
  return BigInt(text);
}
