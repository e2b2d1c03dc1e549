"""Malformed and malicious requests get a 4xx in the API's error shape, with a reason.

Found by fuzzing the API from its OpenAPI schema (schemathesis) and by hand: bodies nested deeply
enough to crash the process, duplicate keys, oversized bodies, malformed paging parameters, NUL
characters in addresses, POSTs to unknown API addresses.
"""

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polity.inputs import MAX_JSON_DEPTH, UntrustedJSONError, json_depth, loads, parse_id
from tests.conftest import ROOT


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["reason"]
    return error


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- polity.inputs ------------------------------------------------------------------------------


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,:'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text('[]{}"\\a'), inner),
    max_leaves=30,
)


@given(json_values)
def test_json_depth_is_the_nesting_a_parser_reaches(value):
    assert json_depth(json.dumps(value)) == depth_of(value)


def test_json_nested_up_to_the_bound_is_parsed_and_deeper_is_refused_with_the_reason():
    assert loads(nested(MAX_JSON_DEPTH)) is not None
    with pytest.raises(UntrustedJSONError, match=f"nested more than {MAX_JSON_DEPTH} levels"):
        loads(nested(MAX_JSON_DEPTH + 1))
    with pytest.raises(UntrustedJSONError, match="nested more than"):
        loads('{"a":' * 70 + "1" + "}" * 70)


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"a": "[" * 500, "b": '\\"[[[[', "c": ["}" * 500]})
    assert json_depth(text) == 2
    assert loads(text)["a"] == "[" * 500


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": 1, "a": 2}', 'duplicate key "a"'),
        ('{"ballot": {"x": 1}, "ballot": []}', 'duplicate key "ballot"'),
        ("[1e999]", "out of range"),
        ("[NaN]", "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
    ],
)
def test_duplicate_keys_and_non_finite_numbers_are_refused(text, reason):
    with pytest.raises(UntrustedJSONError, match=reason):
        loads(text)


def test_a_body_nested_a_hundred_thousand_levels_is_refused_and_the_process_lives(settings):
    # py-ecc raises the recursion limit to 100,000, so json.loads on this text overflowed the C
    # stack (a segmentation fault that took the web process down with it).
    program = (
        "import django, py_ecc\n"
        "django.setup()\n"
        "from polity.inputs import loads\n"
        "try:\n"
        "    loads('[' * 100_000 + ']' * 100_000)\n"
        "except ValueError as exc:\n"
        "    print('refused:', exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "polity.settings",
            "POLITY_DATA_DIR": str(settings.DATA_DIR),
            "PATH": "",
        },
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "refused: JSON nested more than" in done.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("42", 42),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("9" * 30, None),
        ("²", None),  # str.isdigit() says yes; int() says no
        ("\u0661\u0662", None),  # Arabic-Indic digits
        ("-1", None),
        (" 1", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id_takes_ascii_digits_within_64_bits(text, expected):
    assert parse_id(text) == expected


# --- over HTTP ----------------------------------------------------------------------------------

VERIFY = "/api/identity/presentations/verify"  # public, takes a JSON object field


@pytest.mark.django_db
def test_a_deeply_nested_json_body_is_a_400_with_the_reason(client):
    response = client.post(VERIFY, nested(100_000), content_type="application/json")
    assert "nested more than" in error_of(response, 400)["reason"]


@pytest.mark.django_db
def test_a_duplicate_key_in_the_body_is_a_400_with_the_reason(client):
    body = '{"nonce": "abc", "nonce": "def", "presentation": {}}'
    response = client.post(VERIFY, body, content_type="application/json")
    assert 'duplicate key "nonce"' in error_of(response, 400)["reason"]


@pytest.mark.django_db
def test_a_deeply_nested_json_text_in_a_form_field_is_a_400(client):
    response = client.post(VERIFY, {"nonce": "abc", "presentation": nested(5000)})
    assert error_of(response, 400)["reason"].startswith("presentation: JSON nested more than")


@pytest.mark.django_db
def test_an_oversized_body_is_a_413_that_names_the_limit(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"nonce": "a" * 2000, "presentation": {}})
    error = error_of(client.post(VERIFY, body, content_type="application/json"), 413)
    assert error["code"] == "too_large" and "1000 bytes" in error["reason"]


@pytest.mark.django_db
def test_too_many_form_fields_is_a_400_with_a_reason(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"field{i}": "x" for i in range(10)}
    assert error_of(client.post(VERIFY, fields), 400)["code"] == "too_many_fields"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        (f"limit={10**40}", "limit"),  # was passed on to the database: a 500
        ("offset=-1", "offset"),
        ("offset=null&offset=null", "offset"),
        (f"offset={2**63}", "offset"),
    ],
)
def test_malformed_paging_parameters_are_a_400_naming_the_parameter(client, query, field):
    error = error_of(client.get(f"/api/elections/?{query}"), 400)
    assert error["reason"].startswith(f"{field}: ")
    assert isinstance(error["fields"][field], list)


@pytest.mark.django_db
def test_good_paging_parameters_still_page(client):
    body = client.get("/api/elections/?limit=1000&offset=0").json()
    assert body["count"] == 0 and body["results"] == []


def test_the_schema_bounds_the_paging_parameters(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/elections/"]["get"]["parameters"]
    }
    assert parameters["limit"]["minimum"] == 1 and parameters["limit"]["maximum"] == 1000
    assert parameters["offset"]["minimum"] == 0


@pytest.mark.django_db
def test_every_field_error_is_a_list_of_messages(client):
    # The ledger raises {"end": "must be at most …"}; clients get one shape for every field.
    error = error_of(client.get("/api/ledger/entries?end=5"), 400)
    assert error["fields"] == {"end": ["must be at most 0, the log's size"]}


@pytest.mark.django_db
def test_a_post_to_an_unknown_api_address_is_a_404_not_a_csrf_failure(client):
    error = error_of(client.post("/api/elections/x/no-such-thing", {}), 404)
    assert error["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    ["/api/elections/1/ballots/%00", "/api/elections/1/ballots?tracker=ab%00", "/api/?%00=1"],
)
def test_a_nul_character_in_an_api_address_is_a_400_with_a_reason(client, address):
    assert "NUL" in error_of(client.get(address), 400)["reason"]


@pytest.mark.django_db
def test_a_nul_character_in_a_page_address_is_a_400_page(client):
    response = client.get("/proposals/?q=%00")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
