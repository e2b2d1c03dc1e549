"""The city as issuer: its BBS key pair, its ``did:web`` identifier and the published DID document.

The secret key is derived with BBS KeyGen from key material in ``POLITY_ISSUER_KEY`` (production)
or ``DATA_DIR/keys/issuer-bbs.key`` (development, created on first use). Whenever the material
changes, the new public key is registered as the current ``IssuerKey`` (and anchored on the
ledger) and the previous ones are retired but stay published. ``rotate_issuer_key`` does this in development; in production the
operator sets new material in the environment. Secret keys never enter the database.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from identity import bbs, did
from identity.keys import secret_material, write_key_file
from identity.models import IssuerKey
from ledger import services as ledger_services

ISSUER_KEY_ENV = "POLITY_ISSUER_KEY"
ISSUER_KEY_FILE = "issuer-bbs.key"
KEY_INFO = b"polity city issuer"
DID_DOCUMENT_CACHE_KEY = "identity:did-document"


@dataclass(frozen=True)
class SigningKey:
    record: IssuerKey
    secret_key: bytes
    public_key: bytes
    verification_method: str


def city_did() -> str:
    return did.did_web(settings.POLITY_DOMAIN)


def city_url(path: str) -> str:
    """An absolute URL on the city's domain, as written into signed documents."""
    return f"https://{settings.POLITY_DOMAIN}{path}"


def verification_method(key_id: str) -> str:
    return f"{city_did()}#{key_id}"


@lru_cache(maxsize=8)
def _key_pair(material: bytes) -> tuple[bytes, bytes]:
    secret_key = bbs.keygen(material, KEY_INFO)
    return secret_key, bbs.sk_to_pk(secret_key)


def signing_key() -> SigningKey:
    """The current key pair; registers its public key (retiring older ones) on first sight."""
    secret_key, public_key = _key_pair(secret_material(ISSUER_KEY_ENV, ISSUER_KEY_FILE))
    key_id = did.key_id(public_key)
    record = IssuerKey.objects.filter(key_id=key_id).first()
    if record is None or record.retired_at is not None:
        record = _register(key_id, public_key)
    return SigningKey(record, secret_key, public_key, verification_method(key_id))


@transaction.atomic
def _register(key_id: str, public_key: bytes) -> IssuerKey:
    now = timezone.now()
    IssuerKey.objects.exclude(key_id=key_id).filter(retired_at__isnull=True).update(retired_at=now)
    record, created = IssuerKey.objects.get_or_create(
        key_id=key_id, defaults={"public_key": public_key.hex(), "created_at": now}
    )
    if created:
        ledger_services.append(
            "identity.issuer-key",
            {
                "did": city_did(),
                "key_id": key_id,
                "public_key_multibase": did.public_key_multibase(public_key),
            },
        )
    elif record.retired_at is not None:
        record.retired_at = None
        record.save(update_fields=["retired_at"])
    transaction.on_commit(lambda: cache.delete(DID_DOCUMENT_CACHE_KEY))
    return record


def rotate_signing_key() -> SigningKey:
    """Development: new key material, a new current key; the old public key stays published."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            f"In production the issuer key comes from {ISSUER_KEY_ENV}: set new key material "
            "there and restart; the new key is registered and the old one kept on first use."
        )
    import secrets

    write_key_file(ISSUER_KEY_FILE, secrets.token_bytes(32))
    return signing_key()


def did_document() -> dict:
    """The DID document served at /.well-known/did.json (cached, cleared on key changes)."""
    document = cache.get(DID_DOCUMENT_CACHE_KEY)
    if document is None:
        signing_key()
        keys = [bytes.fromhex(key.public_key) for key in IssuerKey.objects.all()]
        document = did.did_document(city_did(), keys)
        cache.set(DID_DOCUMENT_CACHE_KEY, document, timeout=3600)
    return document


def resolve_key(verification_method_id: str) -> bytes | None:
    """The public key for a verification method, looked up in the city's own DID document."""
    return did.resolve_assertion_key(did_document(), verification_method_id)
