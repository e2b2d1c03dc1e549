"""Canonical JSON: the byte string that trackers and fingerprints hash.

Rules (docs/spec/ballot.md "Canonical JSON"): objects with keys sorted by code point, no
whitespace, UTF-8, strings escaped as JSON requires and nothing more, integers only (no floats,
no booleans in crypto records). For the values used here (ASCII keys, strings, ints, lists,
objects) this coincides with RFC 8785 (JCS) and with ``JSON.stringify`` over sorted keys.
"""

import json

from voting.crypto.errors import EncodingError


def canonical_json(value: object) -> bytes:
    _check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _check(value: object) -> None:
    if isinstance(value, bool | float):
        raise EncodingError("canonical JSON allows no floats or booleans")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise EncodingError("canonical JSON object keys must be ASCII strings")
            _check(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check(item)
    elif not isinstance(value, str | int) and value is not None:
        raise EncodingError(f"canonical JSON cannot hold {type(value).__name__}")
