"""Standard base64 (RFC 4648 §4) as the C2SP formats use it, decoded strictly.

Strict means canonical: padding present, no whitespace, no stray bits in the last character. Every
byte string then has exactly one accepted text form, so two verifiers never disagree about
whether a line parses.
"""

import base64
import binascii


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, what: str = "value") -> bytes:
    """Decode canonical standard base64 or raise ValueError naming `what`."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError(f"{what} is not valid base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise ValueError(f"{what} is not canonical base64")
    return data
