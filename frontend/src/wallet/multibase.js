// Multibase text as Polity uses it (docs/spec/credential.md): base58btc ('z') for public keys,
// base64url without padding ('u') for signatures, proofs and status lists. Decoding is strict.
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base58btcDecode(text) {
  let number = 0n;
  for (const [position, char] of [...text].entries()) {
    const digit = B58.indexOf(char);
    if (digit < 0) throw new Error(`base58btc: character ${JSON.stringify(char)} at ${position} is not allowed`);
    number = number * 58n + BigInt(digit);
  }
  const bytes = [];
  while (number > 0n) {
    bytes.unshift(Number(number & 0xffn));
    number >>= 8n;
  }
  const zeros = text.length - text.replace(/^1+/, '').length;
  return Uint8Array.from([...new Array(zeros).fill(0), ...bytes]);
}

export function base64urlEncode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = [18, 12, 6, 0].map((shift) => B64URL[(n >> shift) & 63]);
    out += chars.slice(0, Math.min(4, bytes.length - i + 1)).join('');
  }
  return out;
}

export function base64urlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new Error('base64url: only A-Z, a-z, 0-9, - and _, no padding');
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text) {
    value = (value << 6) | B64URL.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >> bits) & 0xff;
    }
  }
  if (base64urlEncode(out) !== text) throw new Error('base64url: non-canonical encoding');
  return out;
}

export function multibaseDecode(text, base) {
  const prefix = { base58btc: 'z', base64url: 'u' }[base];
  if (typeof text !== 'string' || text[0] !== prefix) {
    throw new Error(`multibase: expected prefix '${prefix}' (${base})`);
  }
  return base === 'base58btc' ? base58btcDecode(text.slice(1)) : base64urlDecode(text.slice(1));
}

export function multibaseEncode(bytes, base) {
  if (base !== 'base64url') throw new Error(`unsupported multibase encoding ${base}`);
  return `u${base64urlEncode(bytes)}`;
}
