"""The entry leaf encoding and the canonical JSON its payload digest is computed over."""

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.leaf import Entry, EntryError, canonical_json, format_time, payload_digest
from ledger.merkle import hash_leaf

WHEN = datetime(2025, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)


def test_leaf_bytes_are_exactly_the_documented_four_lines():
    entry = Entry.create("ballot.cast", {"tracker": "abc"}, WHEN)
    digest = hashlib.sha256(b'{"tracker":"abc"}').hexdigest()
    expected = (
        "polity.ledger.entry/v1\n"
        "kind ballot.cast\n"
        "time 2025-03-01T09:30:00.123456Z\n"
        f"payload-sha256 {digest}\n"
    ).encode()
    assert entry.encode() == expected
    assert entry.leaf_hash() == hashlib.sha256(b"\x00" + expected).digest() == hash_leaf(expected)
    assert Entry.decode(expected) == entry


def test_time_is_normalised_to_utc_and_naive_times_are_refused():
    plus_two = WHEN.astimezone(timezone(timedelta(hours=2)))
    assert format_time(plus_two) == "2025-03-01T09:30:00.123456Z"
    with pytest.raises(EntryError, match="timezone-aware"):
        format_time(datetime(2025, 3, 1))


def test_canonical_json_sorts_keys_by_utf16_and_escapes_like_jcs():
    value = {"b": [1, True, None], "a": 'é\n"\\\x01', "\ue000": 0, "\U0001f600": -5}
    # U+1F600 is the surrogate pair D83D DE00, which sorts before U+E000 in UTF-16.
    expected = '{"a":"é\\n\\"\\\\\\u0001","b":[1,true,null],"\U0001f600":-5,"\ue000":0}'
    assert canonical_json(value) == expected.encode()


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**53) + 1, 2**53 - 1)
        | st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_canonical_json_is_json_that_parses_back_to_the_same_value(value):
    encoded = canonical_json(value)
    assert json.loads(encoded) == value
    assert canonical_json(json.loads(encoded)) == encoded  # idempotent
    if all(ord(c) < 0xD800 for c in json.dumps(value, ensure_ascii=False)):
        # Where code point order equals UTF-16 order, the standard library agrees byte for byte.
        reference = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
        assert encoded == reference.encode()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1.5, "floats"),
        (2**53, "2\\*\\*53"),
        ({1: 2}, "keys"),
        ("\ud800", "surrogate"),
        (b"x", "bytes"),
    ],
)
def test_non_canonical_payloads_are_refused(value, reason):
    with pytest.raises(EntryError, match=reason):
        payload_digest({"v": value})


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b.replace(b"/v1", b"/v2"), "four lines"),
        (lambda b: b.replace(b"kind ballot.cast", b"kind Ballot"), "kind"),
        (lambda b: b.replace(b"kind ", b"type "), "should start with 'kind'"),
        (lambda b: b.replace(b".123456Z", b".123Z"), "time"),
        (lambda b: b.replace(b"2025-03-01", b"2025-02-30"), "real date"),
        (lambda b: b[:-1], "four lines"),
        (lambda b: b + b"extra\n", "four lines"),
        (lambda b: b.replace(b"payload-sha256 ", b"payload-sha256 A"), "hex"),
        (lambda b: b.replace(b"kind ", b"kind \xc3\xa9"), "ASCII"),
    ],
)
def test_malformed_leaf_bytes_are_refused(mutate, reason):
    good = Entry.create("ballot.cast", {"x": 1}, WHEN).encode()
    with pytest.raises(EntryError, match=reason):
        Entry.decode(mutate(good))


def test_the_worked_example_in_the_spec_holds():
    """docs/spec/ledger.md §2.3 quotes these bytes; an independent verifier will test against them."""
    payload = {"tracker": "trk-00042", "election": "city-2025", "choices": 2}
    json_text = b'{"choices":2,"election":"city-2025","tracker":"trk-00042"}'
    assert canonical_json(payload) == json_text
    entry = Entry.create("ballot.cast", payload, datetime(2025, 3, 1, 9, 30, 0, 123456, tzinfo=UTC))
    digest = "5c4a3beebdf3664064317196bfb5c93ff395f67a62ce61b6028fd5187d1b5281"
    assert hashlib.sha256(json_text).hexdigest() == digest
    leaf = (
        "polity.ledger.entry/v1\nkind ballot.cast\ntime 2025-03-01T09:30:00.123456Z\n"
        f"payload-sha256 {digest}\n"
    ).encode()
    assert entry.encode() == leaf and len(leaf) == 142 + len("ballot.cast")
    spec = "3bd32462aef3b335a9300de14fd7b699361353fb9041638a00700e8eabcb45e1"
    assert entry.leaf_hash().hex() == hashlib.sha256(b"\x00" + leaf).hexdigest() == spec


def test_a_nul_character_is_refused_with_its_place():
    with pytest.raises(EntryError, match=r"payload\.note: string contains a NUL character"):
        canonical_json({"note": "a\x00b"})
