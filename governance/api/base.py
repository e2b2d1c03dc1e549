"""Shared pieces of the governance API: refusals become JSON errors with the service's reason.

Every view subclasses ``GovernanceApi``; a ``Refusal`` raised by a service turns into the
project's error shape (``polity.api``) with the refusal's status (400, 403, 409, 422) and code.
"""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.selectors.timeline import Event
from polity.api import Pagination

TAGS = ["governance"]


class GovernanceApi(APIView):
    """Base of every governance API view; service refusals become JSON errors in ``polity.api``."""


class GovernanceListApi(GovernanceApi):
    """A view whose GET answers pages (``paginated``); the schema documents the page shape."""

    pagination_class = Pagination


ERROR = inline_serializer(
    "GovernanceError",
    {
        "error": inline_serializer(
            "GovernanceErrorBody",
            {
                "status": serializers.IntegerField(),
                "code": serializers.CharField(),
                "reason": serializers.CharField(),
                "fields": serializers.DictField(required=False),
            },
        )
    },
)


def errors(*statuses: int) -> dict:
    return {
        status: OpenApiResponse(ERROR, description="refused, with the reason")
        for status in statuses
    }


class EventOutput(serializers.Serializer):
    """One anchored fact: the ledger entry, its index once sequenced, its receipt URL."""

    kind = serializers.CharField()
    at = serializers.DateTimeField()
    payload = serializers.JSONField()
    leaf_hash = serializers.CharField(help_text="RFC 6962 leaf hash, hex")
    index = serializers.IntegerField(allow_null=True, help_text="null until sequenced")
    receipt = serializers.SerializerMethodField(help_text="receipt URL once sequenced")

    def get_receipt(self, event: Event) -> str | None:
        if event.index is None:
            return None
        from django.urls import reverse

        url = reverse("ledger-api:receipt", args=[event.index])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def paginated(request, queryset, serializer_class: type, view: GovernanceListApi) -> Response:
    """``?limit=&offset=`` pages of `queryset` (the project's default page size)."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(
        serializer_class(page, many=True, context={"request": request}).data
    )
