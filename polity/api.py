"""API conventions shared by every app: errors are JSON with a human-readable reason.

Every error body has the same shape, so clients and auditors need one parser::

    {"error": {"status": 400, "code": "invalid", "reason": "size: must be at most 12", "fields": {...}}}

``fields`` maps each refused field to a list of messages (nested for nested input).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
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


def _as_lists(fields: dict) -> dict:
    """Each field's messages as a list, also where a view raised a bare string."""
    shaped = {}
    for key, value in fields.items():
        if isinstance(value, dict):
            shaped[key] = _as_lists(value)
        else:
            shaped[key] = value if isinstance(value, list) else [value]
    return shaped


def _too_large(exc: Exception) -> Response | None:
    """Django refuses bodies over its limits while DRF reads them; say which limit, as JSON."""
    if isinstance(exc, RequestDataTooBig):
        reason = _("The request body is larger than %(size)d bytes.") % {
            "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        }
        return Response(error_body(413, "too_large", reason), status=413)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        reason = _("The request has too many form fields or files.")
        return Response(error_body(400, "too_many_fields", reason), status=400)
    return None


def error_body(status_code: int, code: str, reason: str, fields: Any = None) -> dict:
    error: dict[str, Any] = {"status": status_code, "code": code, "reason": reason}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Refusal):
        set_rollback()
        return Response(error_body(exc.status, exc.code, exc.reason), status=exc.status)
    too_large = _too_large(exc)
    if too_large is not None:
        return too_large
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", response.data)
    fields = _as_lists(detail) if isinstance(detail, dict) else None
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


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` pages, read strictly: a malformed, negative or too large value is a
    400 naming the parameter (DRF would silently use the default, and pass a huge limit on to
    the database)."""

    max_limit = 1000
    max_offset = 2**63 - 1

    def paginate_queryset(self, queryset, request, view=None) -> list | None:
        fields = {
            self.limit_query_param: serializers.IntegerField(
                min_value=1, max_value=self.max_limit, required=False
            ),
            self.offset_query_param: serializers.IntegerField(
                min_value=0, max_value=self.max_offset, required=False
            ),
        }
        page = type("PageInput", (serializers.Serializer,), fields)(data=request.query_params)
        page.is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: object) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": self.max_offset},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
