"""The voter's side: my place on the roll, casting, and auditing (Benaloh)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from voting import selectors, services
from voting.api.common import error, get_election
from voting.models import Election


class MeView(APIView):
    """My alias on this election's roll and the tracker of my counted ballot, if any."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        entry = selectors.roll_entry(election, request.user)
        if entry is None:
            return error(403, "forbidden", "you are not on the voter roll of this election")
        ballot = selectors.counted_ballot(entry)
        return Response(
            {
                "alias": entry.alias,
                "weight": entry.weight,
                "state": election.state,
                "tracker": ballot.tracker if ballot else None,
            }
        )


class CastInput(serializers.Serializer):
    ballot = serializers.JSONField(help_text="the encrypted ballot (docs/spec/ballot.md §7)")


class CastOutput(serializers.Serializer):
    tracker = serializers.CharField()
    cast_at = serializers.DateTimeField()
    receipt_url = serializers.CharField()


def cast(request: Request, pk: int) -> Response:
    """Cast: the body is ``{"ballot": {...}}`` or the ballot itself.

    Refusals: 400 malformed, 403 not on the roll, 409 not open / replay / audited ballot,
    422 a proof does not hold or the ballot is for another election or voter. The service
    reads the election together with the voter's roll entry (one query on the hot path).
    """
    data = request.data
    payload = data.get("ballot", data) if isinstance(data, dict) else data
    try:
        ballot = services.cast_ballot(election=Election(pk=pk), user=request.user, payload=payload)
    except Election.DoesNotExist as exc:
        raise Http404 from exc
    url = reverse("voting-api:receipt", args=[pk, ballot.tracker])
    out = {"tracker": ballot.tracker, "cast_at": ballot.cast_at, "receipt_url": url}
    return Response(CastOutput(out).data, status=201)


class AuditInput(serializers.Serializer):
    ballot = serializers.JSONField()
    secrets = serializers.JSONField(help_text="BallotSecrets: tracker and every vote and nonce")


class AuditView(APIView):
    """Audit (spoil) a ballot: the server re-encrypts it from the revealed secrets, publishes
    it with its choices, and refuses ever to cast it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AuditInput, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        body = AuditInput(data=request.data)
        body.is_valid(raise_exception=True)
        audited = services.audit_ballot(
            election=election,
            user=request.user,
            payload=body.validated_data["ballot"],
            secrets=body.validated_data["secrets"],
        )
        return Response(
            {
                "tracker": audited.tracker,
                "choices": audited.choices,
                "url": reverse("voting:audited-ballot", args=[election.pk, audited.tracker]),
            },
            status=201,
        )
