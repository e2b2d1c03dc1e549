"""The trustees' side: the key ceremony (publish, send shares, fetch mine, report) and the
partial decryption. Secrets stay on the trustee's device; these only move public data."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from voting import selectors, services
from voting.api.common import error, get_election
from voting.services.ceremony import boxes_for


def _trustee_summary(t, complaints: dict[int, dict]) -> dict:
    return {
        "index": t.index,
        "name": t.user.public_alias,
        "public": t.public,
        "shares_sent": t.shares_posted_at is not None,
        "verdict": t.verdict,
        "complaint_against": t.complaint_against,
        "complaint": complaints.get(t.index),
        "decrypted": hasattr(t, "decryption"),
    }


class CeremonyView(APIView):
    """Everything public about the key ceremony, and the encrypted tally once counted.

    ``complaints`` lists every upheld complaint of every attempt, with its evidence (the
    complainer's box secret, the accused's box and record); a trustee's ``complaint`` is its
    upheld complaint in the running attempt.
    """

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        me = selectors.trustee_of(election, request.user)
        job = getattr(election, "tally_job", None)
        complaints = [c.to_json() for c in election.complaints.all()]
        current = {c["trustee"]: c for c in complaints if c["attempt"] == election.ceremony_attempt}
        return Response(
            {
                "election": election.public_id,
                "state": election.state,
                "ceremony": election.ceremony_id,
                "threshold": election.threshold,
                "me": me.index if me else None,
                "trustees": [
                    _trustee_summary(t, current)
                    for t in election.trustees.select_related("user", "decryption").order_by(
                        "index"
                    )
                ],
                "complaints": complaints,
                "context": (
                    {
                        "fingerprint": election.fingerprint,
                        "public_key": election.public_key,
                        "contests": election.manifest["contests"],
                    }
                    if election.is_frozen
                    else None
                ),
                "tally": job.encrypted_tally if job else None,
            }
        )


class PublicInput(serializers.Serializer):
    public = serializers.JSONField(help_text="TrusteePublic JSON (docs/spec/ballot.md §8)")


class TrusteePublicView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PublicInput, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        body = PublicInput(data=request.data)
        body.is_valid(raise_exception=True)
        trustee = services.post_trustee_public(
            election=get_election(request, pk),
            user=request.user,
            public=body.validated_data["public"],
        )
        return Response({"index": trustee.index, "public": trustee.public}, status=201)


class BoxesInput(serializers.Serializer):
    boxes = serializers.ListField(child=serializers.JSONField())


class ShareBoxesView(APIView):
    """POST my sealed shares for the others; GET the sealed shares addressed to me."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        election = get_election(request, pk)
        me = selectors.trustee_of(election, request.user)
        if me is None:
            return error(403, "forbidden", "you are not a trustee of this election")
        return Response({"boxes": [b.box for b in boxes_for(election, me)]})

    @extend_schema(request=BoxesInput, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        body = BoxesInput(data=request.data)
        body.is_valid(raise_exception=True)
        stored = services.post_share_boxes(
            election=get_election(request, pk),
            user=request.user,
            boxes=body.validated_data["boxes"],
        )
        return Response({"sent": len(stored)}, status=201)


class VerdictInput(serializers.Serializer):
    ok = serializers.BooleanField()
    against = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="complaint: the accused sender"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    box_secret = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        allow_null=True,
        help_text=(
            "complaint only: your X25519 box secret for this ceremony (64 lowercase hex digits), "
            "the secret of the box_key you published, so anyone can open the accused's box "
            "and judge the complaint (docs/spec/ballot.md §8, Complaints)"
        ),
        error_messages={"invalid": "box_secret must be 64 lowercase hex digits"},
    )


class VerdictView(APIView):
    """Report on the shares I received: ``{"ok": true}`` or a complaint naming the sender.

    A complaint reveals the complainer's box secret; the server opens the accused's box with
    it: a bad share upholds the complaint (stored and anchored with the evidence, shown on the
    ceremony), a good one refuses it (422) and nothing is stored.
    """

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=VerdictInput,
        responses={201: dict, 400: dict, 403: dict, 409: dict, 422: dict},
    )
    def post(self, request: Request, pk: int) -> Response:
        body = VerdictInput(data=request.data)
        body.is_valid(raise_exception=True)
        trustee = services.post_share_verdict(
            election=get_election(request, pk), user=request.user, **body.validated_data
        )
        return Response({"index": trustee.index, "verdict": trustee.verdict}, status=201)


class DecryptionInput(serializers.Serializer):
    partial = serializers.JSONField(help_text="PartialDecryption JSON (docs/spec/ballot.md §9)")


class DecryptionView(APIView):
    """Post my partial decryption of the encrypted tally; every proof is checked on arrival."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=DecryptionInput, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        body = DecryptionInput(data=request.data)
        body.is_valid(raise_exception=True)
        stored = services.post_decryption(
            election=get_election(request, pk),
            user=request.user,
            payload=body.validated_data["partial"],
        )
        election = stored.election
        return Response(
            {
                "trustee": stored.trustee.index,
                "decryptions": election.decryptions.count(),
                "threshold": election.threshold,
            },
            status=201,
        )
