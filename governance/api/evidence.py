"""Evidence endpoints: devices post signed readings; inspectors post signed sign-offs.

Neither uses a session: the Ed25519 signature under a registered key is the authentication
(docs/spec/governance.md §5), so there is no CSRF token either. Every refusal is a 4xx JSON
error naming the field, and nothing is stored.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from governance.api.base import TAGS, GovernanceApi, errors
from governance.models import Milestone
from governance.services import evidence as services
from polity.parsers import JSONParser


class ReadingInput(serializers.Serializer):
    """Documented for the schema; the service parses the body strictly itself."""

    device = serializers.CharField()
    counter = serializers.IntegerField()
    timestamp = serializers.CharField(help_text="UTC, e.g. 2026-03-01T09:30:00Z")
    metrics = serializers.DictField(help_text="names to true/false or integers")
    signature = serializers.CharField(help_text="Ed25519 over the canonical message, 128 hex")


class ReadingOutput(serializers.Serializer):
    device = serializers.CharField(source="device.device_id")
    counter = serializers.IntegerField()
    timestamp = serializers.DateTimeField()
    received_at = serializers.DateTimeField()


class SignedApi(GovernanceApi):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]


class ReadingApi(SignedApi):
    @extend_schema(
        tags=TAGS,
        request=ReadingInput,
        responses={201: ReadingOutput, **errors(400, 409, 422)},
        summary="A registered device posts one signed reading",
    )
    def post(self, request: Request) -> Response:
        reading = services.record_reading(data=request.data)
        return Response(ReadingOutput(reading).data, status=status.HTTP_201_CREATED)


class AttestationApi(SignedApi):
    class SignedAttestationInput(serializers.Serializer):
        statement = serializers.DictField()
        signature = serializers.CharField()

    class AttestationOutput(serializers.Serializer):
        milestone = serializers.IntegerField(source="milestone_id")
        evidence = serializers.CharField()
        inspector = serializers.CharField(source="inspector.key_id")
        leaf_hash = serializers.SerializerMethodField()

        def get_leaf_hash(self, attestation: object) -> str:
            return bytes(attestation.entry.leaf_hash).hex()

    @extend_schema(
        tags=TAGS,
        request=SignedAttestationInput,
        responses={201: AttestationOutput, **errors(400, 404, 409, 422)},
        summary="An inspector posts a signed sign-off of a milestone",
    )
    def post(self, request: Request, pk: int) -> Response:
        given = self.SignedAttestationInput(data=request.data)
        given.is_valid(raise_exception=True)
        attestation = services.attest_by_inspector(
            milestone=get_object_or_404(Milestone, pk=pk),
            statement=request.data["statement"],
            signature=given.validated_data["signature"],
        )
        return Response(self.AttestationOutput(attestation).data, status=status.HTTP_201_CREATED)
