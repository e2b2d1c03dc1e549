"""Untrusted text to values, defensively: JSON with bounded nesting, and database ids.

Why JSON needs a bound here: py-ecc raises the interpreter's recursion limit to 100,000 when it
is imported, so ``json.loads`` on a text nested a hundred thousand levels deep ("[[[[…]]]]",
200 kB) overflows the C stack and kills the whole web process instead of raising
``RecursionError``. Every JSON text a client sends is therefore measured before it is parsed.
An object naming the same key twice is refused too (RFC 8259 leaves its meaning undefined, and
a signature or hash could then be checked over a value other than the one the sender saw), as
are numbers that do not fit a float and strings holding half a UTF-16 surrogate pair (no
database or UTF-8 response can hold them).

Why ids need care: ``"²".isdigit()`` is true but ``int("²")`` fails, and an id of twenty digits
overflows the database's 64-bit integers; both used to end in a server error.
"""

import json
import math
import operator
import re
from itertools import accumulate, repeat

from django.utils.translation import gettext as _

MAX_JSON_DEPTH = 64
MAX_ID = 2**63 - 1

_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = str.maketrans({"[": "\x02", "{": "\x02", "]": "\x00", "}": "\x00"})
_ID = re.compile(r"[0-9]{1,19}")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class UntrustedJSONError(ValueError):
    """The text is not JSON this project accepts; ``str(error)`` says why."""


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (0 for a scalar), counted without parsing.

    Brackets inside strings are not counted. Linear time; for malformed text the count is an
    upper bound of what a parser would reach, which is what the bound needs.
    """
    # Escapes first, so that every remaining quote opens or closes a string (linear time).
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text)))
    opening = brackets.count("[") + brackets.count("{")
    if opening <= 1:
        return opening
    steps = brackets.translate(_STEP).encode("latin-1")  # 2 for an opening, 0 for a closing
    return max(accumulate(map(operator.sub, steps, repeat(1))))


def check_json_depth(text: str) -> None:
    """``UntrustedJSONError`` if `text` nests arrays and objects more than MAX_JSON_DEPTH deep."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    if json_depth(text) > MAX_JSON_DEPTH:
        raise UntrustedJSONError(
            _("JSON nested more than %(depth)d levels deep") % {"depth": MAX_JSON_DEPTH}
        )


def _object(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise UntrustedJSONError(_('duplicate key "%(key)s" in a JSON object') % {"key": key})
        result[key] = value
    return result


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UntrustedJSONError(_("the number %(number)s is out of range") % {"number": text})
    return value


def _constant(name: str) -> None:
    raise UntrustedJSONError(_("%(name)s is not a JSON number") % {"name": name})


def loads(text: str | bytes) -> object:
    """Parse JSON from a client: bounded depth, unique keys, finite numbers, valid Unicode.

    Raises ``UntrustedJSONError`` (a ``ValueError``) with a reason a person can read; the
    ``json`` module's own errors (also ``ValueError``) pass through unchanged.
    """
    if isinstance(text, bytes):
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    check_json_depth(text)
    value = json.loads(
        text, object_pairs_hook=_object, parse_float=_float, parse_constant=_constant
    )
    if _SURROGATE_ESCAPE.search(text):  # a pair is fine; a lone half cannot be stored or sent
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise UntrustedJSONError(
                _("a string holds a lone surrogate (\\ud800-\\udfff), which is not Unicode")
            ) from None
    return value


def parse_id(text: object) -> int | None:
    """`text` as a database id (ASCII digits, at most 2**63 - 1), or None if it is not one."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None
