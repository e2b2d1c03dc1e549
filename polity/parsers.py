"""The API's request parsers: DRF's, with JSON read through ``polity.inputs.loads``.

A JSON body nested too deeply, naming a key twice or holding a number no float can hold is a
400 with the reason (see ``polity.inputs`` for why the nesting bound keeps the process alive).
Form and multipart values that are JSON texts (DRF's ``JSONField`` parses them) are measured
the same way before any serializer sees them.
"""

import codecs

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from polity.inputs import UntrustedJSONError, check_json_depth, loads


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> object:
        encoding = parsers.get_encoding(parser_context or {})
        try:
            return loads(codecs.getreader(encoding)(stream).read())
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


def _check_values(data: object) -> None:
    for values in data.lists() if hasattr(data, "lists") else ():
        for value in values[1]:
            if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
                try:
                    check_json_depth(value)
                except UntrustedJSONError as exc:
                    raise ParseError(f"{values[0]}: {exc}") from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None) -> object:
        data = super().parse(stream, media_type, parser_context)
        _check_values(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None) -> parsers.DataAndFiles:
        parsed = super().parse(stream, media_type, parser_context)
        _check_values(parsed.data)
        return parsed
