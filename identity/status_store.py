"""Status lists in the database: index assignment, flipping bits, and the served list credential.

Each credential gets one random index in an open revocation list and one in an open suspension
list; an index is never given out twice (database constraint). A list is closed to new entries
once half full, which keeps random picks cheap and the anonymity set large. The served status
list credential is cached and the cache entry is dropped when a bit changes.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

from identity import status_list
from identity.credential import format_datetime
from identity.issuer import city_did, city_url, signing_key
from identity.models import Credential, StatusEntry, StatusList

LIST_SIZE = status_list.MINIMUM_ENTRIES
FILL_LIMIT = LIST_SIZE // 2
CACHE_SECONDS = 3600


# Written into every credential, so it must never move: a fixed path, not a routing decision
# (a test checks that the API serves it here).
LIST_PATH = "/api/identity/status-lists/{purpose}/{number}"


def list_path(purpose: str, number: int) -> str:
    return LIST_PATH.format(purpose=purpose, number=number)


def list_url(purpose: str, number: int) -> str:
    return city_url(list_path(purpose, number))


def _version_key(purpose: str, number: int) -> str:
    return f"identity:status-list-version:{purpose}:{number}"


def _cache_key(purpose: str, number: int) -> str:
    """Where the list credential is cached. The key carries a version token that changes after
    every committed bit flip, so a reader that raced a flip can only fill an abandoned key."""
    version_key = _version_key(purpose, number)
    cache.add(version_key, secrets.token_hex(8), timeout=None)
    return f"identity:status-list:{purpose}:{number}:{cache.get(version_key)}"


def _invalidate(purpose: str, number: int) -> None:
    cache.set(_version_key(purpose, number), secrets.token_hex(8), timeout=None)


def _open_list(purpose: str) -> StatusList:
    current = (
        StatusList.objects.select_for_update().filter(purpose=purpose).order_by("-number").first()
    )
    if current is not None and current.entries.count() < FILL_LIMIT:
        return current
    number = current.number + 1 if current else 1
    return StatusList.objects.create(
        purpose=purpose, number=number, size=LIST_SIZE, bits=status_list.empty_bitstring(LIST_SIZE)
    )


def allocate_entry(purpose: str) -> tuple[StatusList, int]:
    """A fresh random index in an open list of ``purpose``; call inside the issuing transaction."""
    status = _open_list(purpose)
    while True:  # at most half full, so each try succeeds with probability >= 1/2
        index = secrets.randbelow(status.size)
        if not status.entries.filter(index=index).exists():
            return status, index


def set_status(credential: Credential, purpose: str, value: bool) -> None:
    """Set or clear the credential's bit in its ``purpose`` list (inside the caller's
    transaction); the cached list credential is invalidated after commit."""
    entry = StatusEntry.objects.get(credential=credential, status_list__purpose=purpose)
    status = StatusList.objects.select_for_update().get(pk=entry.status_list_id)
    status.bits = status_list.set_bit(bytes(status.bits), entry.index, value)
    status.save(update_fields=["bits", "updated_at"])
    purpose, number = status.purpose, status.number
    transaction.on_commit(lambda: _invalidate(purpose, number))


def status_bit(purpose: str, url: str, index: int) -> bool:
    """The bit behind a status entry, for the city's own lists; ``LookupError`` otherwise."""
    for status in StatusList.objects.filter(purpose=purpose).only("purpose", "number", "size"):
        if list_url(status.purpose, status.number) == url:
            if not 0 <= index < status.size:
                raise LookupError(f"status index {index} is outside {url}")
            bits = StatusList.objects.values_list("bits", flat=True).get(pk=status.pk)
            return status_list.get_bit(bytes(bits), index)
    raise LookupError(f"{url} is not one of the city's {purpose} status lists")


def status_list_document(purpose: str, number: int) -> dict | None:
    """The signed ``BitstringStatusListCredential`` for one list (cached), or None."""
    key = _cache_key(purpose, number)
    document = cache.get(key)
    if document is not None:
        return document
    status = StatusList.objects.filter(purpose=purpose, number=number).first()
    if status is None:
        return None
    url = list_url(purpose, number)
    unsigned = status_list.status_list_credential(
        list_url=url,
        issuer=city_did(),
        purpose=purpose,
        bitstring=bytes(status.bits),
        valid_from=format_datetime(status.updated_at),
    )
    key_pair = signing_key()
    document = status_list.sign_status_list(
        unsigned,
        secret_key=key_pair.secret_key,
        public_key=key_pair.public_key,
        verification_method=key_pair.verification_method,
    )
    cache.set(key, document, timeout=CACHE_SECONDS)
    return document
