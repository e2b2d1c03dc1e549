"""Security headers Django 5.2 does not set by itself, and addresses no view should see."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from polity.errors import error_response


class ContentSecurityPolicyMiddleware:
    """Send the project's Content-Security-Policy on every response that has none yet.

    Views that need a different policy (the API docs page loads its own bundle) set the header
    themselves; this middleware never overwrites it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), geolocation=(), microphone=()"
        )
        return response


class RefuseNulMiddleware:
    """A 400 with a reason for an address whose path or query holds a NUL character.

    No page or API takes NUL, and PostgreSQL refuses it in any text it compares, so a lookup
    such as ``/api/elections/1/ballots/%00`` would otherwise end in a server error. Form and
    JSON bodies are checked by their fields (DRF and Django refuse NUL in text fields).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in k + "".join(v) for k, v in query):
            reason = _("The address contains a NUL character, which nothing here accepts.")
            return error_response(request, 400, "bad_request", reason)
        return self.get_response(request)
