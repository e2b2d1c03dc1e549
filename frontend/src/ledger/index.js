// Public surface of the in-browser ledger verifier (see receipt.js for verifyReceipt's options).
export { parseProofLines, parseReceipt, receiptVerified, verifyReceipt, decodeEntry } from './receipt.js';
export { verifyConsistency, verifyInclusion, hashLeaf, ProofError } from './merkle.js';
export { openNote, openCheckpoint, parseVerifierKey, parseCheckpoint, NoteError } from './note.js';
