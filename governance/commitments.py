"""Salted commitments: what the ledger records of feedback and supports instead of their content.

A commitment is SHA-256 of the canonical JSON (docs/spec/ledger.md §2.2) of an *opening*: an
object holding a version tag, a random 32-byte salt (hex) and the content. Whoever holds the
opening can show that the ledger committed to it; without the salt the content cannot be guessed
from the commitment. Pure functions; docs/spec/governance.md §6 gives the exact fields.
"""

import hashlib
import hmac
import secrets

from ledger.leaf import canonical_json

FEEDBACK_VERSION = "polity-feedback-v1"
SUPPORT_VERSION = "polity-initiative-support-v1"


def new_salt() -> str:
    return secrets.token_hex(32)


def commit(opening: dict) -> str:
    """Hex SHA-256 of the opening's canonical JSON."""
    return hashlib.sha256(canonical_json(opening)).hexdigest()


def feedback_opening(
    *, salt: str, target: str, author: str, rating: int | None, text: str, created: str
) -> dict:
    """`target` like ``proposal:12``; `author` the public alias; `created` as a ledger time."""
    return {
        "version": FEEDBACK_VERSION,
        "salt": salt,
        "target": target,
        "author": author,
        "rating": rating,
        "text": text,
        "created": created,
    }


def support_opening(*, salt: str, initiative: int, supporter: str) -> dict:
    return {
        "version": SUPPORT_VERSION,
        "salt": salt,
        "initiative": initiative,
        "supporter": supporter,
    }


def matches(opening: dict, commitment: str) -> bool:
    """Whether `opening` is what `commitment` commits to (constant-time comparison)."""
    try:
        digest = commit(opening)
    except ValueError:
        return False
    return hmac.compare_digest(digest, commitment.lower())
