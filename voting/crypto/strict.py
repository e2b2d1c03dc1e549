"""Strict decoding of the plain JSON fields (hex, integers, strings) of every crypto record.

The spec (docs/spec/ballot.md section 2) promises one encoding per value, as the browser decoder
enforces: hex is lowercase and an even number of digits with nothing else (``bytes.fromhex``
would skip spaces and accept upper case), and an integer is a JSON integer (``int()`` would turn
1.9 into 1, "3" into 3 and true into 1). Each failure names the field.
"""

import re

from voting.crypto.errors import EncodingError

_HEX = re.compile(r"(?:[0-9a-f]{2})+")
U32_MAX = 2**32 - 1


def require(obj: object, keys: tuple[str, ...], what: str) -> dict:
    """``obj`` if it is an object holding every key of ``keys`` (other keys are ignored)."""
    if not isinstance(obj, dict):
        raise EncodingError(f"{what} must be an object")
    missing = [k for k in keys if k not in obj]
    if missing:
        raise EncodingError(f"{what} is missing {', '.join(missing)}")
    return obj


def hex_field(value: object, what: str, size: int | None = None) -> bytes:
    """Bytes from lowercase hex: exactly ``size`` bytes when given, else one or more."""
    if size is not None:
        if not isinstance(value, str) or len(value) != 2 * size or not _HEX.fullmatch(value):
            raise EncodingError(f"{what} must be {2 * size} lowercase hex digits")
    elif not isinstance(value, str) or not _HEX.fullmatch(value):
        raise EncodingError(f"{what} must be lowercase hex, an even number of digits")
    return bytes.fromhex(value)


def int_field(value: object, what: str, lo: int = 0, hi: int = 2**53 - 1) -> int:
    """A JSON integer (not a float, string or boolean) in lo..hi; the default hi is the JS limit."""
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise EncodingError(f"{what} must be an integer {lo}..{hi}")
    return value


def list_field(value: object, what: str) -> list:
    if not isinstance(value, list):
        raise EncodingError(f"{what} must be a list")
    return value


def str_field(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise EncodingError(f"{what} must be a string")
    return value
