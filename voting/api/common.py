"""What every elections API view shares: finding the election, permissions, refusals."""

from django.http import Http404
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response

from polity.api import error_body
from voting import selectors
from voting.models import Election


def error(status: int, code: str, reason: str) -> Response:
    return Response(error_body(status, code, reason), status=status)


def get_election(request: Request, pk: int) -> Election:
    election = selectors.election_for(request.user, pk)
    if election is None:
        raise Http404
    return election


class ManagesElections(permissions.BasePermission):
    message = "You need the permission to manage elections."

    def has_permission(self, request: Request, view: object) -> bool:
        return selectors.can_manage(request.user)


class ReadOnlyOrManages(ManagesElections):
    """Anyone may read; writing needs the permission to manage elections."""

    def has_permission(self, request: Request, view: object) -> bool:
        return request.method in permissions.SAFE_METHODS or super().has_permission(request, view)
