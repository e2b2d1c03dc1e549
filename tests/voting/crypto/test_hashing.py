"""RFC 9380 expand_message_xmd / hash_to_field against published vectors, and domain separation."""

import json
from pathlib import Path

import pytest

from voting.crypto.curve import Q
from voting.crypto.hashing import (
    TAG_CONTEST,
    TAG_SELECTION,
    encode_parts,
    expand_message_xmd,
    hash_to_field,
    hash_to_scalar,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "rfc9380.json").read_text())


@pytest.mark.parametrize("suite", VECTORS["expand_message_xmd"], ids=["short-dst", "long-dst"])
def test_expand_message_xmd_sha256_vectors(suite):
    dst = suite["DST"].encode()
    assert len(suite["tests"]) == 10
    for case in suite["tests"]:
        got = expand_message_xmd(case["msg"].encode(), dst, case["len_in_bytes"])
        assert got.hex() == case["uniform_bytes"], (case["msg"][:10], case["len_in_bytes"])


def test_hash_to_field_vectors():
    suite = VECTORS["hash_to_field"]
    p = int(suite["p"], 16)
    for case in suite["tests"]:
        got = hash_to_field(
            case["msg"].encode(), suite["DST"].encode(), suite["count"], p, suite["L"]
        )
        assert got == [int(u, 16) for u in case["u"]]


def test_hash_to_scalar_is_below_q_and_deterministic():
    a = hash_to_scalar(TAG_SELECTION, b"x", b"y")
    assert 0 <= a < Q
    assert a == hash_to_scalar(TAG_SELECTION, b"x", b"y")


def test_tags_and_part_boundaries_separate_domains():
    base = hash_to_scalar(TAG_SELECTION, b"ab", b"c")
    assert base != hash_to_scalar(TAG_CONTEST, b"ab", b"c")
    assert base != hash_to_scalar(TAG_SELECTION, b"a", b"bc")
    assert base != hash_to_scalar(TAG_SELECTION, b"abc")
    assert encode_parts(b"ab", b"c") == b"\0\0\0\x02ab\0\0\0\x01c"


def test_expand_message_refuses_oversized_output():
    with pytest.raises(ValueError, match="too long"):
        expand_message_xmd(b"", b"DST", 256 * 32)
