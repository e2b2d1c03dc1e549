"""Attempt counting for forms people can hammer (log-in, sign-up, password reset).

Counters live in the shared cache (Redis in production, a file cache in development) so every web
process sees the same count. A key is throttled after ``AUTH_THROTTLE_ATTEMPTS`` attempts (or the
``limit`` a caller passes) inside ``AUTH_THROTTLE_WINDOW_SECONDS``.

Counters are keyed by the client's address, which behind a reverse proxy only the proxy knows:
``client_address`` reads it from ``X-Forwarded-For`` when, and only when,
``POLITY_TRUSTED_PROXIES`` says how many proxies of ours stand in front of Django.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client, as the outermost of our ``POLITY_TRUSTED_PROXIES`` saw it.

    Each proxy appends the address it was reached from to ``X-Forwarded-For``, so with N trusted
    proxies the N-th entry from the right is the client (the rightmost hop none of ours wrote);
    anything left of it is whatever the client chose to send. With no trusted proxy (the default)
    the header is ignored: anyone can send it. A hop that is not an IP address means the proxies
    are set up differently from what the setting says; then the peer address is used, so that a
    misconfiguration throttles too much rather than letting a client pick its own counter.
    """
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.POLITY_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",")]
    # Fewer hops than proxies: the request skipped the outer ones; the leftmost hop is the
    # address the first of ours saw.
    hop = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return peer


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def is_throttled(scope: str, *values: str, limit: int | None = None) -> bool:
    """Whether any of ``values`` reached ``limit`` attempts (``AUTH_THROTTLE_ATTEMPTS`` if none)."""
    limit = settings.AUTH_THROTTLE_ATTEMPTS if limit is None else limit
    return any((cache.get(_key(scope, value)) or 0) >= limit for value in values if value)


def record_attempt(scope: str, *values: str) -> None:
    window = settings.AUTH_THROTTLE_WINDOW_SECONDS
    for value in values:
        if not value:
            continue
        key = _key(scope, value)
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def clear_attempts(scope: str, *values: str) -> None:
    cache.delete_many([_key(scope, value) for value in values if value])
