// Verify a Polity ledger receipt (a c2sp.org/tlog-proof file) in the browser. The browser twin
// of `python -m ledger.verify`: same checks, same names, same verdicts (frontend/test checks it
// against receipts made by the Python code). Layout: docs/spec/ledger.md.
import { sha256 } from '@noble/hashes/sha2.js';
import { b64decode, hex, parseDecimal, utf8decode } from './encoding.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.js';
import {
  COSIGNATURE_V1,
  ED25519,
  cosignatureTime,
  openCheckpoint,
  openNote,
  parseVerifierKey,
} from './note.js';

const HEADER = 'c2sp.org/tlog-proof@v1';
const ENTRY_HEADER = 'polity.ledger.entry/v1';
const MAX_PROOF_HASHES = 63;

/** Parse a tlog-proof strictly; the checkpoint note is returned verbatim, unverified. */
export function parseReceipt(text) {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('receipt has no empty line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  const checkpointNote = text.slice(split + 2);
  if (lines.shift() !== HEADER) throw new Error(`receipt must start with the line ${JSON.stringify(HEADER)}`);
  let extra = null;
  if (lines.length && lines[0].startsWith('extra ')) extra = b64decode(lines.shift().slice(6), 'extra data');
  if (!lines.length || !lines[0].startsWith('index ')) throw new Error("receipt needs an 'index <n>' line after the header");
  const index = parseDecimal(lines.shift().slice(6), 'receipt index');
  if (lines.length > MAX_PROOF_HASHES) throw new Error(`inclusion proof has more than ${MAX_PROOF_HASHES} hashes`);
  const proof = lines.map((line, i) => b64decode(line, `inclusion proof hash ${i}`));
  if (proof.some((h) => h.length !== 32)) throw new Error('every inclusion proof hash must be 32 bytes');
  if (!checkpointNote) throw new Error('receipt has no checkpoint after the empty line');
  return { index, proof, checkpointNote, extra };
}

/** Decode the entry leaf bytes (docs/spec/ledger.md §Entries) strictly. */
export function decodeEntry(bytes) {
  if (bytes.some((b) => b > 0x7f)) throw new Error('entry is not ASCII');
  const text = utf8decode(bytes, 'entry');
  const m = /^polity\.ledger\.entry\/v1\nkind ([a-z][a-z0-9._-]{0,63})\ntime (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\npayload-sha256 ([0-9a-f]{64})\n$/.exec(
    text,
  );
  if (!m) throw new Error(`entry must be four lines: ${ENTRY_HEADER}, kind, time, payload-sha256`);
  const [, kind, time, digest] = m;
  const real = new Date(time.slice(0, 23) + 'Z');
  if (Number.isNaN(real.getTime()) || real.toISOString().slice(0, 19) !== time.slice(0, 19)) {
    throw new Error(`entry time ${time} is not a real date and time`);
  }
  return { kind, time, payloadSha256: digest };
}

const check = (name, ok, detail, required = true) => ({ name, ok, detail, required });

/**
 * Run every check on a receipt. Returns [{name, ok, detail, required}], in the order of
 * ledger/verify.py. Options: logKey (verifier key string), witnessKeys (cosignature/v1 verifier
 * key strings), minWitnesses (default: all of them), earlierCheckpoint + consistencyProof
 * (Uint8Array[]) to check the log stayed append-only since a checkpoint you saved,
 * payloadBytes (the payload's canonical JSON, to compare with the entry's digest).
 */
export function verifyReceipt(text, options) {
  const { logKey, witnessKeys = [], minWitnesses, earlierCheckpoint, consistencyProof, payloadBytes } = options;
  const checks = [];
  let receipt;
  try {
    receipt = parseReceipt(text);
  } catch (e) {
    return [check('receipt format', false, e.message)];
  }
  checks.push(check('receipt format', true, `leaf index ${receipt.index}, ${receipt.proof.length} hashes`));
  let log;
  try {
    log = parseVerifierKey(logKey, ED25519);
  } catch (e) {
    return [...checks, check('log key', false, e.message)];
  }
  let cp;
  try {
    cp = openCheckpoint(receipt.checkpointNote, log);
  } catch (e) {
    return [...checks, check('log signature', false, `checkpoint signature: ${e.message}`)];
  }
  checks.push(check('log signature', true, `${cp.origin} signed size ${cp.size}, root ${hex(cp.root)}`));
  checks.push(...witnessChecks(receipt.checkpointNote, witnessKeys, minWitnesses));
  if (receipt.extra === null) {
    checks.push(check('entry', false, 'receipt has no extra line with the entry'));
  } else {
    let entry = null;
    try {
      entry = decodeEntry(receipt.extra);
      checks.push(check('entry', true, `kind ${entry.kind}, time ${entry.time}, payload sha256 ${entry.payloadSha256}`));
    } catch (e) {
      checks.push(check('entry', false, `extra data is not a ledger entry: ${e.message}`));
    }
    if (entry && payloadBytes) {
      const ok = hex(sha256(payloadBytes)) === entry.payloadSha256;
      checks.push(check('payload', ok, ok ? 'matches the entry' : "digest differs from the entry's"));
    }
    try {
      verifyInclusion(receipt.index, cp.size, hashLeaf(receipt.extra), receipt.proof, cp.root);
      checks.push(check('inclusion', true, `leaf ${receipt.index} is in the tree of size ${cp.size}`));
    } catch (e) {
      checks.push(check('inclusion', false, e.message));
    }
  }
  if (earlierCheckpoint != null) checks.push(...historyChecks(cp, log, earlierCheckpoint, consistencyProof ?? []));
  return checks;
}

function witnessChecks(note, keys, minimum) {
  const checks = [];
  let cosigned = 0;
  for (const vkey of keys) {
    let witness;
    try {
      witness = parseVerifierKey(vkey, COSIGNATURE_V1);
    } catch (e) {
      checks.push(check('witness key', false, e.message));
      continue;
    }
    try {
      const sig = openNote(note, [witness]).verified[0];
      cosigned += 1;
      checks.push(check(`witness ${witness.name}`, true, `cosigned at ${cosignatureTime(sig.data)} (unix)`));
    } catch (e) {
      const missing = e.message.startsWith('no signature from a trusted key');
      checks.push(check(`witness ${witness.name}`, false, missing ? 'no cosignature in this checkpoint' : e.message, !missing));
    }
  }
  const needed = minimum ?? keys.length;
  if (needed || keys.length) checks.push(check('witness quorum', cosigned >= needed, `${cosigned} of ${needed} required`));
  return checks;
}

function historyChecks(cp, log, earlierNote, proof) {
  let earlier;
  try {
    earlier = openCheckpoint(earlierNote, log);
  } catch (e) {
    return [check('earlier checkpoint', false, `checkpoint signature: ${e.message}`)];
  }
  const checks = [check('earlier checkpoint', true, `size ${earlier.size}, signed by ${log.name}`)];
  const [oldCp, newCp] = earlier.size <= cp.size ? [earlier, cp] : [cp, earlier];
  if (oldCp.size === 0n) return [...checks, check('append-only', true, 'the earlier tree is empty')];
  try {
    verifyConsistency(oldCp.size, newCp.size, proof, oldCp.root, newCp.root);
  } catch (e) {
    return [...checks, check('append-only', false, e.message)];
  }
  const detail =
    oldCp.size === newCp.size
      ? `same tree at size ${newCp.size}`
      : `size ${newCp.size} extends size ${oldCp.size}: nothing before ${oldCp.size} changed`;
  return [...checks, check('append-only', true, detail)];
}

/** True when every required check passed. */
export const receiptVerified = (checks) => checks.length > 0 && checks.every((c) => c.ok || !c.required);

/** Parse base64 hash lines (how the log serves consistency proofs). */
export const parseProofLines = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const h = b64decode(l, `proof hash ${i}`);
      if (h.length !== 32) throw new Error(`proof hash ${i} is ${h.length} bytes, not 32`);
      return h;
    });

