"""Public reads: elections, the booth context, the bulletin board, audited ballots, results,
count progress and ballot receipts."""

import json

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ledger.selectors import NotSequenced, receipt_for
from voting import selectors
from voting.api.admin import DraftInput, create_draft, update_draft
from voting.api.common import ReadOnlyOrManages, error, get_election
from voting.api.serializers import ElectionDetailSerializer, ElectionSummarySerializer
from voting.api.voter import CastInput, CastOutput, cast
from voting.services.lifecycle import context_document, roll_document
from voting.services.tally import tally_progress


class ElectionListView(ListAPIView):
    """GET: elections that are not drafts (admins also see drafts). POST (admins): a new draft."""

    serializer_class = ElectionSummarySerializer
    permission_classes = [ReadOnlyOrManages]

    def get_queryset(self):
        return selectors.visible_elections(self.request.user)

    @extend_schema(request=DraftInput, responses={201: ElectionDetailSerializer})
    def post(self, request: Request) -> Response:
        return create_draft(request)


class ElectionDetailView(APIView):
    """GET: one election. PATCH (admins): change a draft's details."""

    permission_classes = [ReadOnlyOrManages]

    @extend_schema(responses=ElectionDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        return Response(
            ElectionDetailSerializer(selectors.all_elections().get(pk=election.pk)).data
        )

    @extend_schema(request=DraftInput, responses=ElectionDetailSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        return update_draft(request, get_election(request, pk))


class ContextView(APIView):
    """What the booth encrypts against: ``{fingerprint, public_key, contests}`` (spec §2.2)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        if not election.is_frozen:
            return error(409, "not_frozen", "the key ceremony is not finished")
        return Response(context_document(election))


class RollView(APIView):
    """The frozen voter roll: aliases and weights (never names) and its digest (spec §2.4)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        if not election.is_frozen:
            return error(409, "not_frozen", "the voter roll is fixed when the election is frozen")
        return Response(roll_document(election))


class BoardEntrySerializer(serializers.Serializer):
    tracker = serializers.CharField()
    cast_at = serializers.DateTimeField()
    superseded = serializers.BooleanField()


class BoardView(ListAPIView):
    """GET: the bulletin board, every cast ballot's tracker (``?tracker=`` finds yours by
    prefix). POST (a voter on the roll): cast a ballot, see ``voter.cast``."""

    serializer_class = BoardEntrySerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(request=CastInput, responses={201: CastOutput})
    def post(self, request: Request, pk: int) -> Response:
        return cast(request, pk)

    @extend_schema(parameters=[OpenApiParameter("tracker", str, description="tracker prefix")])
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        election = get_election(self.request, self.kwargs["pk"])
        return selectors.board(election, self.request.query_params.get("tracker", ""))


class BallotView(APIView):
    """One cast ballot: its JSON, tracker, time, whether a later ballot replaced it."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int, tracker: str) -> Response:
        election = get_election(request, pk)
        ballot = selectors.ballot_by_tracker(election, tracker)
        if ballot is None:
            return error(404, "not_found", "no ballot with this tracker was cast in this election")
        return Response(
            {
                "tracker": ballot.tracker,
                "cast_at": ballot.cast_at,
                "superseded": ballot.superseded,
                "ballot": json.loads(ballot.payload),
            }
        )


class ReceiptView(APIView):
    """The ledger receipt (C2SP tlog-proof) of a cast ballot; 202 until it is sequenced."""

    @extend_schema(responses={200: str, 202: dict})
    def get(self, request: Request, pk: int, tracker: str) -> HttpResponse:
        election = get_election(request, pk)
        ballot = selectors.ballot_by_tracker(election, tracker)
        if ballot is None:
            return error(404, "not_found", "no ballot with this tracker was cast in this election")
        try:
            text = receipt_for(ballot.entry)
        except NotSequenced:
            return Response({"status": "pending", "retry_after": 2}, status=202)
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        name = f"ballot-{ballot.tracker[:16]}.tlog-proof"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class AuditedOutput(serializers.Serializer):
    tracker = serializers.CharField()
    audited_at = serializers.DateTimeField()
    choices = serializers.JSONField()
    ballot = serializers.JSONField()
    secrets = serializers.JSONField()


class AuditedListView(APIView):
    """Audited (spoiled) ballots with their revealed choices and secrets."""

    @extend_schema(responses=AuditedOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        return Response(
            [
                {
                    "tracker": a.tracker,
                    "audited_at": a.audited_at,
                    "choices": a.choices,
                    "ballot": json.loads(a.payload),
                    "secrets": a.secrets,
                }
                for a in selectors.audited(election)[:500]
            ]
        )


class ResultView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        if election.result is None:
            return error(404, "not_published", "the result is not published yet")
        return Response({**election.result, "contests": selectors.result_rows(election)})


class StatusView(APIView):
    """State and count progress (chunks and ballots done), for the admin's progress bar."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        return Response(
            {
                **tally_progress(election),
                "decryptions": election.decryptions.count(),
                "threshold": election.threshold,
                "record": bool(election.record_sha256),
            }
        )
