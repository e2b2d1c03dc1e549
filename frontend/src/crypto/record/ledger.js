// The record's view of the ledger: trusted keys, the one checkpoint, the receipt rule (spec §4).
// Mirrors voting/record/ledger_view.py. The checkpoint's signatures are checked once; each
// receipt then costs a parse, a payload digest and an inclusion proof.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { hashLeaf, verifyInclusion } from '../../ledger/merkle.js';
import { COSIGNATURE_V1, ED25519, openCheckpoint, openNote, parseVerifierKey } from '../../ledger/note.js';
import { decodeEntry, parseReceipt } from '../../ledger/receipt.js';
import { CheckFailed, canonicalJcs, exactKeys, listing, string } from './format.js';

const utf8 = new TextEncoder();

export class LedgerView {
  constructor(ledger, pinnedLogKey, pinnedWitnesses) {
    this.ledger = ledger;
    this.pinnedLogKey = pinnedLogKey;
    this.pinnedWitnesses = pinnedWitnesses;
    this.log = null;
    this.witnesses = [];
    this.note = '';
    this.tree = null;
  }

  /** ledger.keys: the keys parse, and pinned keys agree with the record. */
  checkKeys() {
    const led = exactKeys(this.ledger, ['log_key', 'witness_keys', 'checkpoint'], 'ledger');
    const recordKey = string(led.log_key, 'ledger.log_key');
    const recordWitnesses = listing(led.witness_keys, 'ledger.witness_keys').map((w, i) =>
      string(w, `ledger.witness_keys[${i}]`),
    );
    this.note = string(led.checkpoint, 'ledger.checkpoint');
    try {
      this.log = parseVerifierKey(recordKey, ED25519);
      const trusted = this.pinnedWitnesses ?? recordWitnesses;
      this.witnesses = trusted.map((w) => parseVerifierKey(w, COSIGNATURE_V1));
    } catch (e) {
      throw new CheckFailed(`ledger key: ${e.message}`);
    }
    if (this.pinnedLogKey != null && this.pinnedLogKey.trim() !== recordKey.trim()) {
      throw new CheckFailed('ledger.log_key is not the log key you pinned');
    }
    const pinned = this.pinnedLogKey != null ? 'pinned by you' : 'taken from the record';
    return `log ${this.log.name} (${pinned}), ${this.witnesses.length} witness key(s)`;
  }

  /** ledger.checkpoint: log signature, origin, and a cosignature from every trusted witness. */
  checkCheckpoint() {
    try {
      this.tree = openCheckpoint(this.note, this.log);
    } catch (e) {
      throw new CheckFailed(`ledger.checkpoint: ${e.message}`);
    }
    for (const witness of this.witnesses) {
      try {
        openNote(this.note, [witness]);
      } catch (e) {
        throw new CheckFailed(`ledger.checkpoint: witness ${witness.name}: ${e.message}`);
      }
    }
    return `${this.tree.origin} size ${this.tree.size}, cosigned by ${this.witnesses.length}`;
  }

  /** The receipt rule: `receipt` proves an entry of `kind` committing to `payload`. */
  prove(receipt, kind, payload, where) {
    const parsed = parse(receipt, where);
    if (parsed.checkpointNote !== this.note) throw new CheckFailed(`${where}: the receipt's checkpoint is not ledger.checkpoint`);
    if (parsed.extra === null) throw new CheckFailed(`${where}: the receipt carries no entry (extra line)`);
    let entry;
    try {
      entry = decodeEntry(parsed.extra);
    } catch (e) {
      throw new CheckFailed(`${where}: the receipt's entry is malformed: ${e.message}`);
    }
    if (entry.kind !== kind) throw new CheckFailed(`${where}: the ledger entry is a '${entry.kind}', not '${kind}'`);
    if (bytesToHex(sha256(utf8.encode(canonicalJcs(payload)))) !== entry.payloadSha256) {
      throw new CheckFailed(`${where}: the payload's digest is not the one the ledger holds`);
    }
    try {
      verifyInclusion(parsed.index, this.tree.size, hashLeaf(parsed.extra), parsed.proof, this.tree.root);
    } catch (e) {
      throw new CheckFailed(`${where}: ${e.message}`);
    }
    return { index: parsed.index, entry };
  }
}

function parse(receipt, where) {
  if (typeof receipt !== 'string') throw new CheckFailed(`${where} must be the text of a receipt`);
  try {
    return parseReceipt(receipt);
  } catch (e) {
    throw new CheckFailed(`${where}: ${e.message}`);
  }
}

/** The leaf index a receipt claims, if it parses at all (for ledger.order); a BigInt or null. */
export function leafIndex(receipt) {
  try {
    return parse(receipt, 'receipt').index;
  } catch {
    return null;
  }
}
