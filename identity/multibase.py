"""Multibase text encodings used by the credential formats: base58btc (``z``) and base64url (``u``).

Pure functions, no Django. Decoding is strict: a wrong prefix, a character outside the alphabet,
padding in base64url or a non-canonical encoding raises ``ValueError`` with the reason.
"""

import base64
import binascii

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: value for value, char in enumerate(BASE58_ALPHABET)}


def base58btc_encode(data: bytes) -> str:
    """Bitcoin base58: leading zero bytes become ``1``, the rest is the big-endian number."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, digit = divmod(number, 58)
        digits.append(BASE58_ALPHABET[digit])
    return "1" * zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for position, char in enumerate(text):
        if char not in _BASE58_INDEX:
            raise ValueError(f"base58btc: character {char!r} at position {position} is not allowed")
        number = number * 58 + _BASE58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def base64url_encode(data: bytes) -> str:
    """RFC 4648 base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def base64url_decode(text: str) -> bytes:
    if "=" in text:
        raise ValueError("base64url: padding is not allowed")
    if len(text) % 4 == 1:
        raise ValueError("base64url: impossible length")
    if any(not (c.isascii() and (c.isalnum() or c in "-_")) for c in text):
        raise ValueError("base64url: only A-Z, a-z, 0-9, '-' and '_' are allowed")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError(f"base64url: {exc}") from exc
    if base64url_encode(data) != text:
        raise ValueError("base64url: non-canonical encoding (stray bits in the last character)")
    return data


def encode(data: bytes, base: str) -> str:
    """Multibase text: ``z`` + base58btc, or ``u`` + base64url without padding."""
    if base == "base58btc":
        return "z" + base58btc_encode(data)
    if base == "base64url":
        return "u" + base64url_encode(data)
    raise ValueError(f"unsupported multibase encoding {base!r}")


def decode(text: str, base: str) -> bytes:
    """Decode multibase text that must use ``base``; the prefix is checked, not guessed."""
    if not isinstance(text, str) or not text:
        raise ValueError("multibase: expected a non-empty string")
    prefix = {"base58btc": "z", "base64url": "u"}.get(base)
    if prefix is None:
        raise ValueError(f"unsupported multibase encoding {base!r}")
    if text[0] != prefix:
        raise ValueError(f"multibase: expected prefix {prefix!r} ({base}), got {text[0]!r}")
    body = text[1:]
    return base58btc_decode(body) if base == "base58btc" else base64url_decode(body)
