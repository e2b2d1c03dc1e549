"""The public identity API: the issuer's DID document, status lists, presentation verification.

No account needed: a partner (transit operator, library) verifies presentations here, and
anyone can fetch what a verifier needs offline (the DID document and the status lists).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from identity import selectors
from identity.credential import STATUS_PURPOSES, SUBJECT_ATTRIBUTES
from identity.issuer import did_document
from identity.presentation import PresentationError
from identity.status_store import status_list_document

DISCLOSABLE = [*SUBJECT_ATTRIBUTES, *STATUS_PURPOSES, "id"]


class DidDocumentApi(APIView):
    """The city's ``did:web`` document: every issuer key, current and retired, as Multikey."""

    renderer_classes = [JSONRenderer]
    authentication_classes: list = []

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        response = Response(did_document())
        response["Cache-Control"] = "public, max-age=300"
        return response


class StatusListApi(APIView):
    """A ``BitstringStatusListCredential`` (revocation or suspension), signed by the city."""

    renderer_classes = [JSONRenderer]
    authentication_classes: list = []

    @extend_schema(responses={200: dict})
    def get(self, request: Request, purpose: str, number: int) -> Response:
        if purpose not in STATUS_PURPOSES:
            raise exceptions.NotFound(_("Status lists are for revocation or suspension."))
        document = status_list_document(purpose, number)
        if document is None:
            raise exceptions.NotFound(_("There is no such status list."))
        response = Response(document)
        response["Cache-Control"] = "public, max-age=60"
        return response


class CheckOutput(serializers.Serializer):
    name = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class PresentationVerifyThrottle(SimpleRateThrottle):
    """Verification costs a few pairings; per client address, a partner's desk never needs
    more than a couple per second."""

    scope = "identity-verify"
    rate = "120/min"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PresentationVerifyApi(APIView):
    """Verify a presentation for your nonce. 200 with ``verified`` true or false and the reason
    and every check; 400 when the request or the presentation is malformed; 429 when a client
    sends too many."""

    throttle_classes = [PresentationVerifyThrottle]

    class InputSerializer(serializers.Serializer):
        presentation = serializers.JSONField()
        nonce = serializers.RegexField(r"^[A-Za-z0-9_-]{8,128}$")
        required = serializers.ListField(
            child=serializers.ChoiceField(choices=DISCLOSABLE), default=list, max_length=16
        )
        require_status = serializers.ListField(
            child=serializers.ChoiceField(choices=list(STATUS_PURPOSES)),
            default=lambda: list(STATUS_PURPOSES),
            max_length=2,
        )

        class Meta:
            ref_name = "PresentationVerifyInput"

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer(
            "PresentationReport",
            {
                "verified": serializers.BooleanField(),
                "reason": serializers.CharField(allow_null=True),
                "checks": CheckOutput(many=True),
                "issuer": serializers.CharField(),
                "verification_method": serializers.CharField(),
                "valid_from": serializers.CharField(),
                "valid_until": serializers.CharField(),
                "disclosed": serializers.DictField(),
                "status": serializers.DictField(child=serializers.CharField()),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = selectors.verify_presentation(
                data.validated_data["presentation"],
                nonce=data.validated_data["nonce"],
                required=data.validated_data["required"],
                require_status=data.validated_data["require_status"],
            )
        except PresentationError as exc:
            raise exceptions.ValidationError({"presentation": [str(exc)]}) from exc
        return Response(report.as_dict())
