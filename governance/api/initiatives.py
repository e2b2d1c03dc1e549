"""Citizen initiatives over HTTP: list, draft, read, support, withdraw, the council's answer."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from governance.api.base import (
    TAGS,
    EventOutput,
    GovernanceApi,
    GovernanceListApi,
    errors,
    paginated,
)
from governance.models import Initiative
from governance.selectors.timeline import initiative_timeline
from governance.services import initiatives as services
from identity.models import District


class InitiativeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    state = serializers.CharField()
    author = serializers.CharField(source="author.public_alias")
    district = serializers.IntegerField(source="district.number", allow_null=True, default=None)
    supports = serializers.SerializerMethodField()
    debate_threshold = serializers.IntegerField()
    response_threshold = serializers.IntegerField()
    response_days = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    debate_at = serializers.DateTimeField(allow_null=True)
    response_due = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    response = serializers.CharField()

    def get_supports(self, initiative: Initiative) -> int:
        return services.standing_supports(initiative)


class InitiativeDetailOutput(InitiativeOutput):
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(EventOutput(many=True))
    def get_timeline(self, initiative: Initiative) -> list:
        return EventOutput(initiative_timeline(initiative), many=True, context=self.context).data


class SupportOutput(serializers.Serializer):
    initiative = serializers.IntegerField(source="initiative_id")
    commitment = serializers.CharField(help_text="what the ledger records of this support")
    salt = serializers.CharField(help_text="keep it: with your alias it opens the commitment")
    created_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class InitiativeListApi(GovernanceListApi):
    class InitiativeDraftInput(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        text = serializers.CharField(max_length=20_000)
        district = serializers.SlugRelatedField(
            slug_field="number", queryset=District.objects.all(), required=False, allow_null=True
        )

    @extend_schema(tags=TAGS, responses=InitiativeOutput(many=True), summary="Citizen initiatives")
    def get(self, request: Request) -> Response:
        found = Initiative.objects.select_related("author", "district").order_by("-created_at")
        return paginated(request, found, InitiativeOutput, self)

    @extend_schema(
        tags=TAGS,
        request=InitiativeDraftInput,
        responses={201: InitiativeDetailOutput, **errors(400, 403, 409)},
        summary="Draft an initiative (verified residents)",
    )
    def post(self, request: Request) -> Response:
        given = self.InitiativeDraftInput(data=request.data)
        given.is_valid(raise_exception=True)
        initiative = services.create_initiative(author=request.user, **given.validated_data)
        output = InitiativeDetailOutput(initiative, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class InitiativeDetailApi(GovernanceApi):
    @extend_schema(tags=TAGS, responses={200: InitiativeDetailOutput, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        initiative = get_object_or_404(Initiative, pk=pk)
        return Response(InitiativeDetailOutput(initiative, context={"request": request}).data)


class InitiativeSupportApi(GovernanceApi):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={201: SupportOutput, **errors(403, 404, 409)},
        summary="Support an initiative (one standing support per resident)",
    )
    def post(self, request: Request, pk: int) -> Response:
        initiative = get_object_or_404(Initiative, pk=pk)
        support = services.support_initiative(initiative=initiative, user=request.user)
        return Response(SupportOutput(support).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: SupportOutput, **errors(403, 404, 409)},
        summary="Withdraw your support (only before the first threshold is reached)",
    )
    def delete(self, request: Request, pk: int) -> Response:
        initiative = get_object_or_404(Initiative, pk=pk)
        support = services.withdraw_support(initiative=initiative, user=request.user)
        return Response(SupportOutput(support).data)


class InitiativeRespondApi(GovernanceApi):
    class InitiativeResponseInput(serializers.Serializer):
        response = serializers.CharField(max_length=20_000)

    @extend_schema(
        tags=TAGS,
        request=InitiativeResponseInput,
        responses={200: InitiativeOutput, **errors(400, 403, 404, 409)},
        summary="The council's public answer",
    )
    def post(self, request: Request, pk: int) -> Response:
        given = self.InitiativeResponseInput(data=request.data)
        given.is_valid(raise_exception=True)
        initiative = services.respond_to_initiative(
            initiative=get_object_or_404(Initiative, pk=pk),
            by=request.user,
            response=given.validated_data["response"],
        )
        return Response(InitiativeOutput(initiative).data)
