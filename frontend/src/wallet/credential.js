// The resident credential in the browser: the same attribute -> BBS message mapping and header
// as identity/credential.py (docs/spec/credential.md), deriving presentations on the holder's
// device and verifying them on a verifier's.
import { derivePresentation, verifyPresentation, verifySignature } from './bbs.js';
import { resolveAssertionKey } from './did.js';
import { multibaseDecode, multibaseEncode } from './multibase.js';

export const FORMAT = 'polity-bbs-credential/v1';
export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const TYPES = ['VerifiableCredential', 'CityResidentCredential'];
export const SIGNATURE_TYPE = 'PolityBbsSignatureV1';
export const PROOF_TYPE = 'PolityBbsProofV1';
export const MESSAGE_PATHS = [
  'id',
  'credentialSubject.resident',
  'credentialSubject.district',
  'credentialSubject.birthYear',
  'credentialSubject.age_over_16',
  'credentialSubject.age_over_18',
  'credentialStatus.revocation',
  'credentialStatus.suspension',
];
export const SUBJECT_ATTRIBUTES = ['resident', 'district', 'birthYear', 'age_over_16', 'age_over_18'];
export const STATUS_PURPOSES = ['revocation', 'suspension'];
const ENVELOPE = ['@context', 'type', 'issuer', 'validFrom', 'validUntil'];
const CREDENTIAL_FIELDS = new Set([...ENVELOPE, 'id', 'credentialSubject', 'credentialStatus', 'proof']);
const NONCE = /^[A-Za-z0-9_-]{8,128}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const utf8 = new TextEncoder();

// RFC 8785 for the JSON Polity signs (ASCII keys, no floats): sorted keys, no whitespace.
export function canonicalJson(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('only integers within ±(2^53 - 1) are signed');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.some((key) => !/^[\x00-\x7f]*$/.test(key))) throw new Error('object keys must be ASCII');
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  throw new Error(`${typeof value} is not allowed in signed JSON`);
}

export function headerObject(document, verificationMethod) {
  if (canonicalJson(document['@context']) !== canonicalJson([VC_CONTEXT])) throw new Error(`@context must be ["${VC_CONTEXT}"]`);
  if (canonicalJson(document.type) !== canonicalJson(TYPES)) throw new Error(`type must be ${JSON.stringify(TYPES)}`);
  if (typeof document.issuer !== 'string' || !document.issuer.startsWith('did:web:')) throw new Error('issuer must be a did:web identifier');
  if (typeof verificationMethod !== 'string' || !verificationMethod.startsWith(`${document.issuer}#`)) {
    throw new Error("the verification method must be a key of the issuer's DID");
  }
  for (const field of ['validFrom', 'validUntil']) {
    if (typeof document[field] !== 'string' || !DATETIME.test(document[field])) throw new Error(`${field}: expected a date-time like 2026-01-31T00:00:00Z`);
  }
  return {
    format: FORMAT,
    '@context': document['@context'],
    type: document.type,
    issuer: document.issuer,
    validFrom: document.validFrom,
    validUntil: document.validUntil,
    verificationMethod,
    messages: MESSAGE_PATHS,
  };
}

export function headerBytes(document, verificationMethod) {
  return utf8.encode(canonicalJson(headerObject(document, verificationMethod)));
}

// The value at a message path, or undefined when the document does not carry it.
export function attributeValue(document, path) {
  if (path === 'id') return document.id;
  const [section, name] = path.split('.');
  if (section === 'credentialSubject') return document.credentialSubject?.[name];
  const entries = (document.credentialStatus ?? []).filter((entry) => entry?.statusPurpose === name);
  if (entries.length > 1) throw new Error(`credentialStatus has more than one ${name} entry`);
  return entries[0];
}

export function messageBytes(path, value) {
  return utf8.encode(`${path}=${canonicalJson(value)}`);
}

export function credentialMessages(document) {
  return MESSAGE_PATHS.map((path) => {
    const value = attributeValue(document, path);
    if (value === undefined) throw new Error(`the credential has no ${path}`);
    return messageBytes(path, value);
  });
}

function withoutProof(document) {
  const { proof: _proof, ...rest } = document;
  return rest;
}

function readSignature(document) {
  const proof = document.proof;
  if (!proof || proof.type !== SIGNATURE_TYPE) throw new Error(`the credential's proof must be of type ${SIGNATURE_TYPE}`);
  return { verificationMethod: proof.verificationMethod, signature: multibaseDecode(proof.proofValue, 'base64url') };
}

// Short names ('district', 'revocation', ...) to message paths, in message order.
export function disclosablePaths(names) {
  const paths = new Set();
  for (const name of names) {
    if (MESSAGE_PATHS.includes(name)) paths.add(name);
    else if (SUBJECT_ATTRIBUTES.includes(name)) paths.add(`credentialSubject.${name}`);
    else if (STATUS_PURPOSES.includes(name)) paths.add(`credentialStatus.${name}`);
    else throw new Error(`unknown attribute ${JSON.stringify(name)}`);
  }
  return MESSAGE_PATHS.filter((path) => paths.has(path));
}

export async function checkCredentialSignature(document, publicKey) {
  const { verificationMethod, signature } = readSignature(document);
  const unsigned = withoutProof(document);
  return verifySignature({
    publicKey, signature, messages: credentialMessages(unsigned), header: headerBytes(unsigned, verificationMethod),
  });
}

export function checkNonce(nonce) {
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) {
    throw new Error("nonce: 8 to 128 characters from A-Z, a-z, 0-9, '-' and '_'");
  }
  return nonce;
}

// The holder's side: a VerifiablePresentation revealing `disclose` only, bound to `nonce`.
export async function derivePresentationDocument({ credential, publicKey, disclose, nonce }) {
  checkNonce(nonce);
  const { verificationMethod, signature } = readSignature(credential);
  const unsigned = withoutProof(credential);
  const paths = disclosablePaths(disclose);
  const proof = await derivePresentation({
    publicKey,
    signature,
    messages: credentialMessages(unsigned),
    disclosedIndexes: paths.map((path) => MESSAGE_PATHS.indexOf(path)),
    header: headerBytes(unsigned, verificationMethod),
    presentationHeader: utf8.encode(nonce),
  });
  const derived = Object.fromEntries(ENVELOPE.map((key) => [key, unsigned[key]]));
  if (paths.includes('id')) derived.id = unsigned.id;
  derived.credentialSubject = Object.fromEntries(
    SUBJECT_ATTRIBUTES.filter((name) => paths.includes(`credentialSubject.${name}`))
      .map((name) => [name, unsigned.credentialSubject[name]]),
  );
  const entries = STATUS_PURPOSES.filter((purpose) => paths.includes(`credentialStatus.${purpose}`))
    .map((purpose) => attributeValue(unsigned, `credentialStatus.${purpose}`));
  if (entries.length) derived.credentialStatus = entries;
  derived.proof = {
    type: PROOF_TYPE,
    verificationMethod,
    proofPurpose: 'assertionMethod',
    nonce,
    proofValue: multibaseEncode(proof, 'base64url'),
  };
  return { '@context': [VC_CONTEXT], type: ['VerifiablePresentation'], verifiableCredential: [derived] };
}

// The verifier's side, mirroring identity/presentation.py: returns {verified, reason, checks,
// disclosed, status}. `statusBit(purpose, url, index)` resolves to a boolean or throws.
export async function verifyPresentationDocument({
  presentation, nonce, didDocument, statusBit, now = new Date(), required = [], requireStatus = STATUS_PURPOSES,
}) {
  const checks = [];
  const add = (name, passed, detail) => { checks.push({ name, passed, detail }); return passed; };
  const credential = presentation?.verifiableCredential?.[0];
  if (presentation?.type?.[0] !== 'VerifiablePresentation' || !credential || presentation.verifiableCredential.length !== 1) {
    throw new Error('expected a VerifiablePresentation holding one credential');
  }
  const extra = Object.keys(credential).filter((key) => !CREDENTIAL_FIELDS.has(key));
  if (extra.length) throw new Error(`credential field '${extra[0]}' is not covered by the proof`);
  const unknown = Object.keys(credential.credentialSubject ?? {}).filter((k) => !SUBJECT_ATTRIBUTES.includes(k));
  if (unknown.length) throw new Error(`credentialSubject.${unknown[0]} is not an attribute`);
  const proof = credential.proof ?? {};
  if (proof.type !== PROOF_TYPE) throw new Error(`proof type must be ${PROOF_TYPE}`);
  const header = headerBytes(credential, proof.verificationMethod);
  const disclosed = {};
  for (const path of MESSAGE_PATHS) {
    const value = attributeValue(credential, path);
    if (value !== undefined) disclosed[path] = value;
  }
  add('issuer', credential.issuer === didDocument.id, `issued by ${credential.issuer}`);
  const publicKey = credential.issuer === didDocument.id ? resolveAssertionKey(didDocument, proof.verificationMethod) : null;
  add('issuer key', publicKey !== null, `${proof.verificationMethod}`);
  add('nonce', proof.nonce === nonce, proof.nonce === nonce ? 'bound to your nonce' : `bound to nonce '${proof.nonce}'`);
  if (publicKey) {
    const result = await verifyPresentation({
      publicKey,
      proof: multibaseDecode(proof.proofValue, 'base64url'),
      disclosedMessages: Object.entries(disclosed).map(([path, value]) => messageBytes(path, value)),
      disclosedIndexes: Object.keys(disclosed).map((path) => MESSAGE_PATHS.indexOf(path)),
      header,
      presentationHeader: utf8.encode(checkNonce(proof.nonce)),
    });
    add('proof', result.verified, result.verified ? 'BBS proof verifies' : result.reason);
  } else {
    add('proof', false, 'not checked: the issuer key is unknown');
  }
  const from = new Date(credential.validFrom);
  const until = new Date(credential.validUntil);
  add('validity', from <= now && now < until, `valid from ${credential.validFrom} until ${credential.validUntil}`);
  const missing = disclosablePaths(required).filter((path) => !(path in disclosed));
  add('requested attributes', missing.length === 0, missing.length ? `not disclosed: ${missing.join(', ')}` : 'all disclosed');
  const status = {};
  for (const purpose of STATUS_PURPOSES) {
    const entry = disclosed[`credentialStatus.${purpose}`];
    if (!entry) {
      status[purpose] = 'not disclosed';
      if (requireStatus.includes(purpose)) add(`${purpose} status`, false, `the holder did not disclose the ${purpose} status entry`);
      continue;
    }
    try {
      const isSet = await statusBit(purpose, entry.statusListCredential, Number(entry.statusListIndex));
      const state = purpose === 'revocation' ? 'revoked' : 'suspended';
      status[purpose] = isSet ? state : 'active';
      add(`${purpose} status`, !isSet, isSet ? `the credential is ${state}` : `not ${state}`);
    } catch (error) {
      status[purpose] = 'unknown';
      add(`${purpose} status`, false, error.message);
    }
  }
  const failed = checks.find((check) => !check.passed);
  return { verified: !failed, reason: failed ? `${failed.name}: ${failed.detail}` : null, checks, disclosed, status };
}
