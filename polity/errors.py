"""Error pages: HTML for people, JSON (same shape as the API's) for API and machine clients."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
