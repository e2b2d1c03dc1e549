"""Polity's ballot cryptography on BN254 G1: pure Python, no Django, shared by server and verifier.

The public API is re-exported here; docs/spec/ballot.md describes formats and equations.

    ctx = ElectionContext(fingerprint, public_key, contests)        # once per election
    ballot, secrets = encrypt_ballot(ctx, voter, {"mayor": {"bob": 1}})
    verify_ballot(ctx, EncryptedBallot.from_json(payload), voter)   # raises VerificationError
    batch_verify(ctx, ballots)                                      # raises BatchVerificationError
    tally = aggregate(ctx, ballots)                                 # or add_tallies(ctx, chunks)
    partial = partial_decrypt(ctx, tally, trustee_index, key_share)
    counts = decrypt_tally(ctx, tally, partials, trustee_publics, threshold)
    verify_tally(ctx, tally, partials, trustee_publics, threshold, counts)
"""

from voting.crypto.backend import FAST, REFERENCE, Backend
from voting.crypto.ballot import EncryptedBallot, EncryptedContest, EncryptedSelection
from voting.crypto.booth import BallotSecrets, check_choices, encrypt_ballot, verify_audited_ballot
from voting.crypto.canonical import canonical_json
from voting.crypto.decode import DiscreteLog
from voting.crypto.election import Contest, ElectionContext, election_fingerprint
from voting.crypto.elgamal import Ciphertext, encrypt
from voting.crypto.errors import (
    BatchVerificationError,
    CryptoError,
    DecryptionError,
    EncodingError,
    ShareError,
    VerificationError,
)
from voting.crypto.group import IDENTITY, G, Point, Scalar
from voting.crypto.hashing import expand_message_xmd, hash_to_field, hash_to_scalar
from voting.crypto.sharebox import EncryptedShare
from voting.crypto.tally import (
    EncryptedTally,
    PartialDecryption,
    add_tallies,
    aggregate,
    combine,
    decrypt_tally,
    partial_decrypt,
    verify_aggregate,
    verify_partial_decryption,
    verify_tally,
)
from voting.crypto.threshold import (
    TrusteePublic,
    TrusteeSecret,
    check_share,
    combine_key_share,
    deal_shares,
    generate_trustee,
    joint_public_key,
    lagrange_at_zero,
    public_key_share,
    receive_share,
    verify_trustee_public,
)
from voting.crypto.verify import batch_verify, find_invalid_ballots, verify_ballot

__all__ = [
    "FAST",
    "IDENTITY",
    "REFERENCE",
    "Backend",
    "BallotSecrets",
    "BatchVerificationError",
    "Ciphertext",
    "Contest",
    "CryptoError",
    "DecryptionError",
    "DiscreteLog",
    "ElectionContext",
    "EncodingError",
    "EncryptedBallot",
    "EncryptedContest",
    "EncryptedSelection",
    "EncryptedShare",
    "EncryptedTally",
    "G",
    "PartialDecryption",
    "Point",
    "Scalar",
    "ShareError",
    "TrusteePublic",
    "TrusteeSecret",
    "VerificationError",
    "add_tallies",
    "aggregate",
    "batch_verify",
    "canonical_json",
    "check_choices",
    "check_share",
    "combine",
    "combine_key_share",
    "deal_shares",
    "decrypt_tally",
    "election_fingerprint",
    "encrypt",
    "encrypt_ballot",
    "expand_message_xmd",
    "find_invalid_ballots",
    "generate_trustee",
    "hash_to_field",
    "hash_to_scalar",
    "joint_public_key",
    "lagrange_at_zero",
    "partial_decrypt",
    "public_key_share",
    "receive_share",
    "verify_aggregate",
    "verify_audited_ballot",
    "verify_ballot",
    "verify_partial_decryption",
    "verify_tally",
    "verify_trustee_public",
]
