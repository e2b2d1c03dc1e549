// Polity ballot cryptography in the browser: the same formats and proofs as voting/crypto.
// docs/spec/ballot.md is the specification.

export { EncodingError, VerificationError } from './errors.js';
export {
  G,
  IDENTITY,
  P,
  Point,
  Q,
  mulPublic,
  mulSecret,
  pointFromBytes,
  pointFromCompressed,
  pointFromHex,
  pointToBytes,
  pointToCompressed,
  pointToHex,
  randomScalar,
  scalarFromHex,
  scalarToHex,
} from './group.js';
export { encodeParts, expandMessageXmd, hashToField, hashToScalar } from './hash.js';
export { canonicalJson } from './canonical.js';
export { electionFingerprint, makeContext, normalizeContest } from './election.js';
export { proveRange, verifyRange } from './proofs.js';
export { ballotTracker, checkChoices, encryptBallot, verifyAuditedBallot, verifyBallot } from './ballot.js';
export { jointPublicKey, lagrangeAtZero, publicKeyShare, verifyTally, verifyTrusteePublic } from './tally.js';
export { RecordError, ceremonyId, digest, parseRecord, verifyRecord } from './record.js';
export { ShareError, checkShare, combineKeyShare, dealShares, generateTrustee, partialDecrypt, receiveShare } from './trustee.js';
export { newBoxKey, openShare, sealShare } from './sharebox.js';
export { TrusteeFileError, readTrusteeFile, writeTrusteeFile } from './trusteefile.js';
