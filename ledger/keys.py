"""The log's signing key: from ``LEDGER_SIGNER_KEY`` in production, generated once in development.

The key name is the checkpoint origin (``LEDGER_ORIGIN``), as c2sp.org/tlog-checkpoint asks, so a
verifier that trusts the key also knows which log it names. A generated key is written to
``DATA_DIR/keys/`` with mode 0600, never into the repository; with ``POLITY_ENV=production`` the
log refuses to invent a key (a new key would silently start a new log).
"""

import functools
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ledger.keyfile import signer_key_file
from ledger.note import ED25519, Ed25519Signer, NoteError


def origin() -> str:
    return settings.LEDGER_ORIGIN


def key_path(log_origin: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-." else "_" for c in log_origin)
    return Path(settings.DATA_DIR) / "keys" / f"ledger-{safe}.key"


@functools.cache
def log_signer() -> Ed25519Signer:
    """The log's Ed25519 note signer (cached for the process)."""
    log_origin = origin()
    skey = settings.LEDGER_SIGNER_KEY.strip()
    if not skey:
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "POLITY_ENV=production needs LEDGER_SIGNER_KEY (a C2SP signer key string, "
                "PRIVATE+KEY+...); refusing to generate a new log key."
            )
        skey = signer_key_file(key_path(log_origin), log_origin, ED25519)
    try:
        signer = Ed25519Signer(skey)
    except NoteError as exc:
        raise ImproperlyConfigured(f"the ledger signer key is unusable: {exc}") from None
    if signer.name != log_origin:
        raise ImproperlyConfigured(
            f"the ledger signer key is named {signer.name!r} but LEDGER_ORIGIN is {log_origin!r}"
        )
    return signer


def log_verifier_key() -> str:
    """The C2SP verifier key string auditors use (``<origin>+<key id>+<base64>``)."""
    return log_signer().verifier_key()
