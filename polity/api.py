"""API conventions shared by every app: errors are JSON with a human-readable reason.

Every error body has the same shape, so clients and auditors need one parser::

    {"error": {"status": 400, "code": "invalid", "reason": "size: must be at most 12", "fields": {...}}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from polity.refusals import Refusal


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        prefix = "" if key == "non_field_errors" else f"{key}: "
        return prefix + _first_message(value)
    return str(detail)


def error_body(status_code: int, code: str, reason: str, fields: Any = None) -> dict:
    error: dict[str, Any] = {"status": status_code, "code": code, "reason": reason}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Refusal):
        set_rollback()
        return Response(error_body(exc.status, exc.code, exc.reason), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", response.data)
    fields = detail if isinstance(detail, dict) else None
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = codes if isinstance(codes, str) else "invalid"
    response.data = error_body(response.status_code, code, _first_message(detail), fields)
    return response


def json_error(status_code: int, code: str, reason: str) -> JsonResponse:
    return JsonResponse(error_body(status_code, code, reason), status=status_code)


class ServiceError(exceptions.APIException):
    """Raised by API views when a service refuses an action; carries the service's reason."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"
