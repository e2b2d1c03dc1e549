// Read a credential's status bit the way an offline verifier would: fetch the city's status list
// credential, check the city's BBS signature on it, decode the bitstring, read the bit.
import { verifySignature } from './bbs.js';
import { canonicalJson } from './credential.js';
import { didWebHost, resolveAssertionKey } from './did.js';
import { multibaseDecode } from './multibase.js';
import { decodeEncodedList, getBit } from './statuslist.js';

const HEADER = new TextEncoder().encode('polity-bbs-status-list/v1');

export async function checkStatusListSignature(document, didDocument) {
  const { proof, ...unsigned } = document;
  const publicKey = proof ? resolveAssertionKey(didDocument, proof.verificationMethod) : null;
  if (!publicKey || document.issuer !== didDocument.id) return { verified: false, reason: 'status list not signed by the city' };
  return verifySignature({
    publicKey,
    signature: multibaseDecode(proof.proofValue, 'base64url'),
    messages: [new TextEncoder().encode(canonicalJson(unsigned))],
    header: HEADER,
  });
}

// statusBit(purpose, url, index) for verifyPresentationDocument. The city's URLs are fetched
// from this page's own origin (the page is served by the city); other hosts are refused.
export function statusBitFetcher(didDocument, fetchJson) {
  const cityHost = didWebHost(didDocument.id);
  return async (purpose, url, index) => {
    const parsed = new URL(url);
    if (parsed.host !== cityHost) throw new Error(`${url} is not one of the city's status lists`);
    const document = await fetchJson(parsed.pathname);
    const signature = await checkStatusListSignature(document, didDocument);
    if (!signature.verified) throw new Error(`status list ${url}: ${signature.reason}`);
    if (document.credentialSubject?.statusPurpose !== purpose) throw new Error(`${url} is not a ${purpose} list`);
    return getBit(await decodeEncodedList(document.credentialSubject.encodedList), index);
  };
}
