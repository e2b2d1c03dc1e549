// BBS presentations for the browser wallet and the verifier page.
//
// A thin layer over @digitalbazaar/bbs-signatures (an independent implementation of
// draft-irtf-cfrg-bbs-signatures, ciphersuite BLS12-381-SHA-256, the same one Polity's Python
// `identity.bbs` implements). The wallet derives a presentation (ProofGen) on the citizen's
// device; the verifier checks it (ProofVerify). All byte strings are Uint8Array; messages are
// ordered, and a presentation discloses messages by their 0-based index. Encodings are in
// docs/spec/bbs.md.
import * as bbs from '@digitalbazaar/bbs-signatures';

export const CIPHERSUITE = 'BLS12-381-SHA-256';
export const PUBLIC_KEY_LENGTH = 96;
export const SIGNATURE_LENGTH = 80;

const EMPTY = new Uint8Array(0);

function requireBytes(value, name, length) {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

function requireMessages(messages, name) {
  if (!Array.isArray(messages)) {
    throw new TypeError(`${name} must be an array of Uint8Array`);
  }
  messages.forEach((m, i) => requireBytes(m, `${name}[${i}]`));
  return messages;
}

// Indexes must be whole numbers, strictly ascending and below `total` (when known).
function requireIndexes(indexes, total) {
  if (!Array.isArray(indexes)) {
    throw new TypeError('disclosedIndexes must be an array of integers');
  }
  indexes.forEach((index, i) => {
    if (!Number.isInteger(index) || index < 0) {
      throw new RangeError(`disclosedIndexes[${i}] is not a non-negative integer`);
    }
    if (total !== undefined && index >= total) {
      throw new RangeError(`disclosed index ${index} is outside 0..${total - 1}`);
    }
    if (i > 0 && index <= indexes[i - 1]) {
      throw new RangeError('disclosedIndexes must be strictly ascending');
    }
  });
  return indexes;
}

/**
 * Check a credential's full signature (the wallet does this once, on receipt).
 * Returns {verified: boolean, reason: string|null}.
 */
export async function verifySignature({ publicKey, signature, messages, header = EMPTY }) {
  requireBytes(publicKey, 'publicKey', PUBLIC_KEY_LENGTH);
  requireBytes(signature, 'signature', SIGNATURE_LENGTH);
  requireMessages(messages, 'messages');
  requireBytes(header, 'header');
  try {
    const verified = await bbs.verifySignature({
      publicKey, signature, header, messages, ciphersuite: CIPHERSUITE,
    });
    return { verified, reason: verified ? null : 'signature does not verify for these messages, header and key' };
  } catch (error) {
    return { verified: false, reason: `malformed signature or key: ${error.message}` };
  }
}

/**
 * Derive an unlinkable presentation disclosing `messages[i]` for i in `disclosedIndexes`,
 * bound to the verifier's `presentationHeader` (its nonce). Returns the proof bytes.
 */
export async function derivePresentation({
  publicKey, signature, messages, disclosedIndexes, header = EMPTY, presentationHeader = EMPTY,
}) {
  requireBytes(publicKey, 'publicKey', PUBLIC_KEY_LENGTH);
  requireBytes(signature, 'signature', SIGNATURE_LENGTH);
  requireMessages(messages, 'messages');
  requireIndexes(disclosedIndexes, messages.length);
  requireBytes(header, 'header');
  requireBytes(presentationHeader, 'presentationHeader');
  return bbs.deriveProof({
    publicKey, signature, header, messages, presentationHeader,
    disclosedMessageIndexes: disclosedIndexes, ciphersuite: CIPHERSUITE,
  });
}

/**
 * Verify a presentation against the issuer key, the disclosed messages and the nonce.
 * Returns {verified: boolean, reason: string|null}; never throws for a bad proof.
 */
export async function verifyPresentation({
  publicKey, proof, disclosedMessages, disclosedIndexes, header = EMPTY, presentationHeader = EMPTY,
}) {
  try {
    requireBytes(publicKey, 'publicKey', PUBLIC_KEY_LENGTH);
    requireBytes(proof, 'proof');
    requireMessages(disclosedMessages, 'disclosedMessages');
    requireIndexes(disclosedIndexes);
    requireBytes(header, 'header');
    requireBytes(presentationHeader, 'presentationHeader');
    if (disclosedMessages.length !== disclosedIndexes.length) {
      return {
        verified: false,
        reason: `${disclosedMessages.length} disclosed messages but ${disclosedIndexes.length} indexes`,
      };
    }
  } catch (error) {
    return { verified: false, reason: error.message };
  }
  try {
    const verified = await bbs.verifyProof({
      publicKey, proof, header, presentationHeader, disclosedMessages,
      disclosedMessageIndexes: disclosedIndexes, ciphersuite: CIPHERSUITE,
    });
    return {
      verified,
      reason: verified ? null : 'proof does not verify for these disclosures, headers and issuer key',
    };
  } catch (error) {
    return { verified: false, reason: `malformed proof or key: ${error.message}` };
  }
}

export function hexToBytes(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
    throw new TypeError('expected an even-length hex string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) {
    out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(requireBytes(bytes, 'bytes'), (b) => b.toString(16).padStart(2, '0')).join('');
}
