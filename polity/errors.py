"""Error pages: HTML for people, JSON (same shape as the API's) for API and machine clients."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from polity.api import json_error


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def error_response(request: HttpRequest, status: int, code: str, reason: str) -> HttpResponse:
    """The error as JSON for API and machine clients, as the error page for people."""
    if _wants_json(request):
        return json_error(status, code, reason)
    return render(request, "error.html", {"status": status, "reason": reason}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400, "bad_request", _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403, "forbidden", _("You do not have permission to do this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404, "not_found", _("There is nothing at this address."))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, "server_error", _("Something went wrong on our side."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(
        request,
        403,
        "csrf_failed",
        _("The form expired or was sent from elsewhere (CSRF check failed). Reload and try again."),
    )


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class BareErrorMiddleware:
    """A reason in the body of the method and format refusals Django and DRF send without one.

    Django's 405 (``require_http_methods``, a class-based view without the method) has an empty
    body, and a DRF page that only renders HTML (``/api/docs/``) answers a JSON client's
    ``Accept`` with a plain-text 406. Both get the usual error: JSON for API and JSON clients,
    the error page for people. The refused response's headers (``Allow``, caching) are kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming:
            return response
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            reason = _("This address does not accept %(method)s requests (only %(allowed)s).") % {
                "method": request.method,
                "allowed": response.get("Allow", ""),
            }
            return _with_headers_of(
                response, error_response(request, 405, "method_not_allowed", reason)
            )
        if response.status_code == 406 and not _is_json(response) and _wants_json(request):
            reason = _("This address cannot answer in any format the Accept header allows.")
            return _with_headers_of(
                response, error_response(request, 406, "not_acceptable", reason)
            )
        return response


def _with_headers_of(refused: HttpResponse, replacement: HttpResponse) -> HttpResponse:
    for name, value in refused.items():
        if name.lower() not in {"content-type", "content-length"}:
            replacement.headers.setdefault(name, value)
    patch_vary_headers(replacement, ["Accept"])  # JSON or the page, by the Accept header
    return replacement
