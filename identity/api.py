"""The identity API for citizens and officials: verification, census import, credentials.

Thin: each view validates input, calls one service or selector, and shapes the answer. Errors
follow polity/api.py (``{"error": {"status", "code", "reason", "fields"?}}``).
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from identity import selectors, services, verification
from identity.census import CensusImportError, import_census
from identity.models import Credential, VerificationRequest
from polity.api import ServiceError
from polity.parsers import FormParser, JSONParser, MultiPartParser

VERIFY_PERMISSION = "identity.verify_residents"


class CanVerifyResidents(BasePermission):
    message = "Only the city's verification officials may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm(VERIFY_PERMISSION))


class TooManyRequests(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"


def refusal(exc: services.IdentityRefusal) -> exceptions.APIException:
    if isinstance(exc, services.TooManyAttempts):
        return TooManyRequests(str(exc))
    return ServiceError(str(exc))


class ResidencyOutput(serializers.Serializer):
    district = serializers.IntegerField(source="district.number")
    method = serializers.CharField()
    verified_at = serializers.DateTimeField()


class RequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    district = serializers.IntegerField(source="district.number")
    created_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField()
    has_document = serializers.SerializerMethodField()

    def get_has_document(self, request: VerificationRequest) -> bool:
        return bool(request.document)


class CredentialSummary(serializers.Serializer):
    credential_id = serializers.UUIDField()
    state = serializers.SerializerMethodField()
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()

    def get_state(self, credential: Credential) -> str:
        return selectors.credential_state(credential)


def form_data(data: object) -> object:
    """`data` as a Django form reads it: a JSON body's values become text (a form's fields call
    ``str.strip``), and a JSON array or object where one value belongs is a 400."""
    if hasattr(data, "getlist"):  # a form or multipart body is text already
        return data
    if not isinstance(data, dict):
        raise exceptions.ValidationError(_("The details must be a JSON object."))
    nested = [name for name, value in data.items() if isinstance(value, dict | list)]
    if nested:
        raise exceptions.ValidationError({name: [_("Give a single value.")] for name in nested})
    return {name: "" if value is None else str(value) for name, value in data.items()}


def state_of(user: object) -> dict:
    residency = selectors.active_residency(user)
    request = selectors.latest_request(user)
    credential = selectors.current_credential(user)
    return {
        "verified": residency is not None,
        "residency": ResidencyOutput(residency).data if residency else None,
        "latest_request": RequestOutput(request).data if request else None,
        "credential": CredentialSummary(credential).data if credential else None,
        "handlers": [
            {"name": h.name, "label": str(h.label), "description": str(h.description)}
            for h in verification.handlers()
        ],
    }


STATE_SCHEMA = inline_serializer(
    "VerificationState",
    {
        "verified": serializers.BooleanField(),
        "residency": ResidencyOutput(allow_null=True),
        "latest_request": RequestOutput(allow_null=True),
        "credential": CredentialSummary(allow_null=True),
        "handlers": serializers.ListField(child=serializers.DictField()),
    },
)


class VerificationStateApi(APIView):
    """The signed-in citizen's verification state and the available ways to get verified."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=STATE_SCHEMA)
    def get(self, request: Request) -> Response:
        return Response(state_of(request.user))


class VerificationSubmitApi(APIView):
    """Submit details to a verification handler (``census`` or ``manual``); multipart for an
    uploaded document. 201 with the new state, or 4xx with the reason."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer(
            "VerificationSubmission",
            {
                "document_number": serializers.CharField(),
                "birth_date": serializers.DateField(),
                "district": serializers.IntegerField(),
                "note": serializers.CharField(required=False),
                "document": serializers.FileField(required=False),
            },
        ),
        responses={201: STATE_SCHEMA},
    )
    def post(self, request: Request, handler: str) -> Response:
        chosen = verification.get_handler(handler)
        if chosen is None:
            raise Http404
        form = chosen.form_class(data=form_data(request.data), files=request.FILES)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        try:
            chosen.submit(user=request.user, data=form.cleaned_data)
        except services.IdentityRefusal as exc:
            raise refusal(exc) from exc
        return Response(state_of(request.user), status=status.HTTP_201_CREATED)


class PendingRequestsApi(APIView):
    """Officials: the manual review requests waiting for a decision."""

    permission_classes = [CanVerifyResidents]

    @extend_schema(responses=RequestOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(RequestOutput(selectors.pending_requests(), many=True).data)


class DecisionApi(APIView):
    """Officials: approve or reject a request; a rejection needs a reason."""

    permission_classes = [CanVerifyResidents]

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        reason = serializers.CharField(allow_blank=True, max_length=2000, default="")

        class Meta:
            ref_name = "DecisionInput"

    @extend_schema(request=InputSerializer, responses=RequestOutput)
    def post(self, request: Request, pk: int) -> Response:
        review = get_object_or_404(VerificationRequest, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            decided = services.decide_request(
                request=review, by=request.user, **data.validated_data
            )
        except services.IdentityRefusal as exc:
            raise refusal(exc) from exc
        return Response(RequestOutput(decided).data)


class RequestDocumentApi(APIView):
    """Officials: the document a citizen uploaded with a pending request."""

    permission_classes = [CanVerifyResidents]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="file")}
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        review = get_object_or_404(VerificationRequest, pk=pk)
        if not review.document:
            raise Http404
        return FileResponse(
            review.document.open("rb"), content_type=review.document_type, as_attachment=True
        )


class CensusImportApi(APIView):
    """Officials: import a census CSV (multipart field ``file``). All rows or none are stored."""

    permission_classes = [CanVerifyResidents]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            201: inline_serializer(
                "CensusImportResult",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                    "reverified": serializers.IntegerField(),
                },
            )
        },
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": ["attach the census as a CSV file"]})
        try:
            result = import_census(data=upload.read(), imported_by=request.user)
        except CensusImportError as exc:
            raise exceptions.ValidationError({"file": exc.errors}) from exc
        return Response(vars(result), status=status.HTTP_201_CREATED)


class CredentialApi(APIView):
    """The signed-in citizen's current credential: the signed VC 2.0 document."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        credential = selectors.current_credential(request.user)
        if credential is None:
            raise exceptions.NotFound("You have no credential yet: get verified first.")
        return Response(credential.document)


class CredentialRenewalApi(APIView):
    """A new credential for a verified resident whose credential expired."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: dict})
    def post(self, request: Request) -> Response:
        try:
            credential = services.renew_credential(user=request.user)
        except services.IdentityRefusal as exc:
            raise refusal(exc) from exc
        return Response(credential.document, status=status.HTTP_201_CREATED)


class ResidentOutput(serializers.Serializer):
    alias = serializers.CharField(source="user.public_alias")
    district = serializers.IntegerField(source="district.number")
    method = serializers.CharField()
    verified_at = serializers.DateTimeField()
    credentials = serializers.SerializerMethodField()

    def get_credentials(self, residency: object) -> list:
        return CredentialSummary(residency.credentials.all(), many=True).data


class ResidentsApi(APIView):
    """Officials: the verified residents (by alias) and their credentials."""

    permission_classes = [CanVerifyResidents]

    @extend_schema(responses=ResidentOutput(many=True))
    def get(self, request: Request) -> Response:
        residencies = selectors.active_residencies().prefetch_related("credentials")
        return Response(ResidentOutput(residencies, many=True).data)


class CredentialStatusApi(APIView):
    """Officials: revoke, suspend or reinstate a credential (the status list bit flips)."""

    permission_classes = [CanVerifyResidents]

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["revoke", "suspend", "reinstate"])
        reason = serializers.CharField(allow_blank=True, max_length=200, default="")

        class Meta:
            ref_name = "CredentialStatusInput"

    @extend_schema(request=InputSerializer, responses=CredentialSummary)
    def post(self, request: Request, credential_id: str) -> Response:
        credential = get_object_or_404(Credential, credential_id=credential_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action, reason = data.validated_data["action"], data.validated_data["reason"]
        try:
            if action == "revoke":
                credential = services.revoke_credential(
                    credential=credential, reason=reason, by=request.user
                )
            elif action == "suspend":
                credential = services.suspend_credential(credential=credential, by=request.user)
            else:
                credential = services.reinstate_credential(credential=credential, by=request.user)
        except services.IdentityRefusal as exc:
            raise refusal(exc) from exc
        return Response(CredentialSummary(credential).data)
