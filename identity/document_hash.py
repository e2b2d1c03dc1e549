"""Document numbers are stored only as a keyed hash: HMAC-SHA-256 under the census key.

The census key comes from ``POLITY_CENSUS_KEY`` (hex) or, in development, from
``DATA_DIR/keys/census-hmac.key``. Without the key, a stolen database does not let anyone test
guesses of document numbers. Numbers are normalised first (upper case, no spaces, dots or
hyphens) so that "12.345.678-z" and "12345678Z" are the same document.
"""

import hashlib
import hmac
import os
import re
from functools import lru_cache

from django.conf import settings

from identity.keys import secret_material

CENSUS_KEY_ENV = "POLITY_CENSUS_KEY"
CENSUS_KEY_FILE = "census-hmac.key"
_SEPARATORS = re.compile(r"[\s.\-/]")
_DOCUMENT = re.compile(r"^[A-Z0-9]{4,32}$")


def normalise_document_number(raw: str) -> str:
    """The canonical form of a document number; ``ValueError`` says why one is refused."""
    if not isinstance(raw, str):
        raise ValueError("a document number is text")
    number = _SEPARATORS.sub("", raw).upper()
    if not _DOCUMENT.match(number):
        raise ValueError("a document number has 4 to 32 letters and digits")
    return number


def document_hash(raw: str) -> str:
    """Hex HMAC-SHA-256 of the normalised number under the census key."""
    key = _census_key(
        os.environ.get(CENSUS_KEY_ENV, ""), str(settings.DATA_DIR), settings.PRODUCTION
    )
    number = normalise_document_number(raw)
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _census_key(from_env: str, data_dir: str, production: bool) -> bytes:
    """Read once per process (a census import hashes every row); keyed by where it comes from."""
    return secret_material(CENSUS_KEY_ENV, CENSUS_KEY_FILE)
