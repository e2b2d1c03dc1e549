from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request: Request) -> Response:
    """Where to start: the schema, the docs, and each area of the API."""
    return Response(
        {
            "schema": reverse("schema", request=request),
            "docs": reverse("api-docs", request=request),
            "health": request.build_absolute_uri("/healthz"),
            "areas": {
                "ledger": request.build_absolute_uri("/api/ledger/"),
                "elections": request.build_absolute_uri("/api/elections/"),
                "identity": request.build_absolute_uri("/api/identity/"),
                "governance": request.build_absolute_uri("/api/governance/"),
            },
        }
    )
