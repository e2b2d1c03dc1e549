"""Attempt counting for forms people can hammer (log-in, sign-up, password reset).

Counters live in the shared cache (Redis in production, a file cache in development) so every web
process sees the same count. A key is throttled after ``AUTH_THROTTLE_ATTEMPTS`` attempts inside
``AUTH_THROTTLE_WINDOW_SECONDS``.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def is_throttled(scope: str, *values: str) -> bool:
    limit = settings.AUTH_THROTTLE_ATTEMPTS
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
