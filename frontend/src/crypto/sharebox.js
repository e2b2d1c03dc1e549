// Encrypted key-generation shares between trustees (docs/spec/ballot.md §8), interoperable with
// voting/crypto/sharebox.py: X25519, HKDF-SHA256 (no salt) and AES-256-GCM, with the ceremony,
// sender, recipient and both public keys bound into the key and the AEAD data, so a relayed box
// cannot be replayed to another trustee or into another ceremony. The server only relays boxes.

import { gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes } from '@noble/hashes/utils.js';
import { EncodingError, VerificationError } from './errors.js';
import { Q, bigIntTo32, bytesToBigInt, u32 } from './group.js';
import { encodeParts, utf8Bytes } from './hash.js';

const LABEL = utf8Bytes('polity-share-v1');

/** A fresh X25519 key pair: {secret, public}, 32 bytes each. */
export function newBoxKey() {
  const secret = x25519.utils.randomSecretKey();
  return { secret, public: x25519.getPublicKey(secret) };
}

function context(ceremony, sender, recipient, ephemeral, recipientKey) {
  return encodeParts([LABEL, ceremony, u32(sender), u32(recipient), ephemeral, recipientKey]);
}

const boxKey = (shared, info) => hkdf(sha256, shared, undefined, info, 32);

function bytesOf(hex, size, what) {
  if (typeof hex !== 'string' || hex.length !== 2 * size || !/^[0-9a-f]*$/.test(hex)) {
    throw new EncodingError(`encrypted share ${what} must be ${size} bytes of lowercase hex`);
  }
  return hexToBytes(hex);
}

/** Seal f_i(l) for trustee `recipient`; returns the box JSON {sender, recipient, ephemeral, nonce, ciphertext}. */
export function sealShare(ceremony, sender, recipient, recipientKey, value) {
  if (value < 0n || value >= Q) throw new EncodingError('a share must be a scalar below q');
  const eph = newBoxKey();
  const info = context(ceremony, sender, recipient, eph.public, recipientKey);
  const nonce = randomBytes(12);
  const key = boxKey(x25519.getSharedSecret(eph.secret, recipientKey), info);
  const ciphertext = gcm(key, nonce, info).encrypt(bigIntTo32(value));
  return {
    sender,
    recipient,
    ephemeral: bytesToHex(eph.public),
    nonce: bytesToHex(nonce),
    ciphertext: bytesToHex(ciphertext),
  };
}

/** Open a box addressed to the holder of `recipientSecret`; throws VerificationError if tampered. */
export function openShare(ceremony, recipientSecret, share) {
  if (!Number.isSafeInteger(share?.sender) || !Number.isSafeInteger(share?.recipient)) {
    throw new EncodingError('encrypted share must name its sender and recipient');
  }
  const ephemeral = bytesOf(share.ephemeral, 32, 'ephemeral key');
  const nonce = bytesOf(share.nonce, 12, 'nonce');
  const ciphertext = bytesOf(share.ciphertext, 48, 'ciphertext');
  const recipientKey = x25519.getPublicKey(recipientSecret);
  const info = context(ceremony, share.sender, share.recipient, ephemeral, recipientKey);
  let plain;
  try {
    plain = gcm(boxKey(x25519.getSharedSecret(recipientSecret, ephemeral), info), nonce, info).decrypt(ciphertext);
  } catch {
    throw new VerificationError(
      `share from trustee ${share.sender} to trustee ${share.recipient} does not decrypt (wrong recipient, ceremony or tampered box)`,
    );
  }
  const value = bytesToBigInt(plain);
  if (value >= Q) throw new EncodingError('scalar is not below the group order q');
  return value;
}
