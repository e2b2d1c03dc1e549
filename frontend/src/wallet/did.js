// The issuer's did:web document: find the public key (Multikey, bls12_381-g2-pub) behind a
// verification method, only if the document lists it as an assertion method.
import { multibaseDecode } from './multibase.js';

const BLS12_381_G2_PUB = [0xeb, 0x01];

export function publicKeyFromMultibase(text) {
  const data = multibaseDecode(text, 'base58btc');
  if (data[0] !== BLS12_381_G2_PUB[0] || data[1] !== BLS12_381_G2_PUB[1]) {
    throw new Error('publicKeyMultibase is not a bls12_381-g2-pub (0xeb01) Multikey');
  }
  const key = data.slice(2);
  if (key.length !== 96) throw new Error(`publicKeyMultibase holds ${key.length} key bytes, not 96`);
  return key;
}

export function resolveAssertionKey(didDocument, verificationMethod) {
  if (!(didDocument.assertionMethod ?? []).includes(verificationMethod)) return null;
  const method = (didDocument.verificationMethod ?? []).find(
    (m) => m.id === verificationMethod && m.type === 'Multikey',
  );
  return method ? publicKeyFromMultibase(method.publicKeyMultibase) : null;
}

// did:web:host (with %3A for a port) -> host, to recognise the city's own URLs.
export function didWebHost(did) {
  if (!did.startsWith('did:web:')) throw new Error('not a did:web identifier');
  return decodeURIComponent(did.slice('did:web:'.length).split(':')[0]);
}
