"""The ``ElectionContext`` of a frozen election, built once per process and reused.

Building a context precomputes fixed-base tables for G and the joint key (tens of milliseconds);
casting and tallying reuse it. Keyed by the fingerprint, which changes if anything the context
depends on changes, so a stale entry can never be used.
"""

from collections import OrderedDict
from threading import Lock

from voting.crypto import Contest, ElectionContext
from voting.crypto.group import point_from_hex
from voting.models import Election

_CACHE: OrderedDict[str, ElectionContext] = OrderedDict()
_LOCK = Lock()
_SIZE = 16


def crypto_contests(manifest: dict) -> tuple[Contest, ...]:
    """The crypto ``Contest`` of every contest of a frozen manifest, in ballot order."""
    return tuple(
        Contest(
            c["id"],
            tuple(c["selections"]),
            max_votes=c["max_votes"],
            min_votes=c["min_votes"],
            max_per_selection=c["max_per_selection"],
        )
        for c in manifest["contests"]
    )


def election_context(election: Election) -> ElectionContext:
    """The cached context; ``ValueError`` if the election is not frozen yet."""
    if not election.is_frozen:
        raise ValueError("the election has no joint key yet (key ceremony not frozen)")
    key = election.fingerprint
    with _LOCK:
        ctx = _CACHE.get(key)
        if ctx is not None:
            _CACHE.move_to_end(key)
            return ctx
    ctx = ElectionContext(
        bytes.fromhex(election.fingerprint),
        point_from_hex(election.public_key),
        crypto_contests(election.manifest),
    )
    with _LOCK:
        _CACHE[key] = ctx
        while len(_CACHE) > _SIZE:
            _CACHE.popitem(last=False)
    return ctx
