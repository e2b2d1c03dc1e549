"""Exceptions raised by ``voting.crypto``; each carries a reason a person can read.

Everything derives from ``CryptoError``, so a caller that only wants "valid or not, and why" can
catch that one class and show ``str(error)``.
"""


class CryptoError(Exception):
    """Base class: the message is the human-readable reason."""

    @property
    def reason(self) -> str:
        return str(self)


class EncodingError(CryptoError, ValueError):
    """Bytes, hex or JSON that is not the canonical encoding of a valid value."""


class VerificationError(CryptoError):
    """A proof, ballot, share or decryption that does not verify."""


class ShareError(VerificationError):
    """A trustee's key-generation share or commitment does not verify; names the trustee."""

    def __init__(self, trustee: int, name: str, reason: str) -> None:
        self.trustee = trustee
        self.trustee_name = name
        super().__init__(f"trustee {trustee} ({name}): {reason}")


class BatchVerificationError(VerificationError):
    """Some ballots of a batch are invalid; ``failures`` lists (index, error) for each one."""

    def __init__(self, failures: list[tuple[int, VerificationError]]) -> None:
        self.failures = failures
        lines = "; ".join(f"ballot {i}: {error}" for i, error in failures)
        super().__init__(f"{len(failures)} invalid ballot(s): {lines}")


class DecryptionError(CryptoError):
    """A tally cannot be decrypted or decoded (too few trustees, out-of-range count)."""
