"""Receipts: C2SP tlog-proof files (c2sp.org/tlog-proof, ``.tlog-proof``).

::

    c2sp.org/tlog-proof@v1\\n
    extra <base64 of the entry's leaf bytes>\\n       (Polity always includes it)
    index <leaf index, ASCII decimal>\\n
    <base64 inclusion proof hash>\\n ...            (RFC 9162 order, leaf sibling first)
    \\n
    <the signed checkpoint note, verbatim, with its cosignatures>

The spec makes `extra` opaque application data. Polity puts the entry's leaf bytes there
(:class:`ledger.leaf.Entry`), so a receipt is self-contained: the verifier hashes `extra` into
the leaf hash and checks that hash's inclusion, which is what authenticates it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ledger.b64 import b64decode, b64encode
from ledger.merkle import HASH_SIZE

HEADER = "c2sp.org/tlog-proof@v1"
MAX_PROOF_HASHES = 63
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")


class ReceiptError(ValueError):
    """A receipt is not a well-formed tlog-proof; the message says where."""


@dataclass(frozen=True)
class Receipt:
    index: int
    proof: tuple[bytes, ...]
    checkpoint_note: str
    extra: bytes | None = None

    def format(self) -> str:
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {b64encode(self.extra)}")
        lines.append(f"index {self.index}")
        lines.extend(b64encode(h) for h in self.proof)
        return "".join(line + "\n" for line in lines) + "\n" + self.checkpoint_note


def build_receipt(
    index: int, proof: Sequence[bytes], checkpoint_note: str, leaf: bytes | None
) -> str:
    """The tlog-proof text for leaf `index`, given its inclusion proof in the checkpoint's tree."""
    receipt = Receipt(index, tuple(proof), checkpoint_note, leaf)
    text = receipt.format()
    parse_receipt(text)  # refuse to hand out what we would not accept
    return text


def parse_receipt(text: str | bytes) -> Receipt:
    """Parse a tlog-proof strictly. The checkpoint note is returned verbatim, unverified."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ReceiptError("receipt is not UTF-8 text") from None
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise ReceiptError("receipt has no empty line before the checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise ReceiptError(f"receipt must start with the line {HEADER!r}")
    lines = lines[1:]
    extra = None
    if lines and lines[0].startswith("extra "):
        extra = _b64(lines.pop(0)[len("extra ") :], "extra data")
    if not lines or not lines[0].startswith("index "):
        raise ReceiptError("receipt needs an 'index <n>' line after the header")
    index = lines.pop(0)[len("index ") :]
    if not _DECIMAL.fullmatch(index):
        raise ReceiptError(f"receipt index {index[:30]!r} is not a decimal without leading zeroes")
    if len(lines) > MAX_PROOF_HASHES:
        raise ReceiptError(f"inclusion proof has more than {MAX_PROOF_HASHES} hashes")
    proof = tuple(_b64(line, f"inclusion proof hash {i}") for i, line in enumerate(lines))
    if any(len(h) != HASH_SIZE for h in proof):
        raise ReceiptError("every inclusion proof hash must be 32 bytes")
    if not note:
        raise ReceiptError("receipt has no checkpoint after the empty line")
    return Receipt(int(index), proof, note, extra)


def _b64(text: str, what: str) -> bytes:
    try:
        return b64decode(text, what)
    except ValueError as exc:
        raise ReceiptError(str(exc)) from None


def format_proof_lines(proof: Sequence[bytes]) -> str:
    """A bare list of hashes, one base64 line each (how Polity serves consistency proofs)."""
    return "".join(b64encode(h) + "\n" for h in proof)


def parse_proof_lines(text: str) -> list[bytes]:
    """Parse base64 hash lines (the format of :func:`format_proof_lines`); blank lines ignored."""
    hashes = []
    for i, line in enumerate(line for line in text.splitlines() if line.strip()):
        digest = _b64(line.strip(), f"proof hash {i}")
        if len(digest) != HASH_SIZE:
            raise ReceiptError(f"proof hash {i} is {len(digest)} bytes, not 32")
        hashes.append(digest)
    return hashes
