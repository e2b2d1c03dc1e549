"""Proposals over HTTP: list and search, publish (council), read with the timeline, cancel,
execute. Rules live in ``governance.services.proposals`` and ``lifecycle``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from governance import voting_bridge
from governance.api.base import (
    TAGS,
    EventOutput,
    GovernanceApi,
    GovernanceListApi,
    errors,
    paginated,
)
from governance.models import (
    Initiative,
    Milestone,
    Project,
    Proposal,
    ProposalAction,
    ProposalType,
)
from governance.models.proposals import VoteType
from governance.selectors import proposals as selectors
from governance.selectors.timeline import proposal_timeline
from governance.services import proposals as services
from identity.models import District


class ProposalTypeOutput(serializers.ModelSerializer):
    class Meta:
        model = ProposalType
        fields = [
            "key",
            "name",
            "description",
            "voting_delay",
            "voting_period",
            "quorum_bps",
            "threshold",
            "timelock",
            "grace_period",
        ]


class OptionOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    project = serializers.IntegerField(source="project_id", allow_null=True)
    amount_cents = serializers.IntegerField(allow_null=True)


class ActionOutput(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    project = serializers.IntegerField(source="project_id", allow_null=True)
    milestone = serializers.IntegerField(source="milestone_id", allow_null=True)
    amount_cents = serializers.IntegerField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    type = serializers.CharField(source="proposal_type.key")
    vote_type = serializers.CharField()
    state = serializers.CharField()
    district = serializers.IntegerField(source="scope", allow_null=True)
    proposer = serializers.CharField(source="proposer.public_alias")
    initiative = serializers.IntegerField(source="initiative_id", allow_null=True)
    parameters = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    vote_start = serializers.DateTimeField()
    vote_end = serializers.DateTimeField()
    eta = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    executed_at = serializers.DateTimeField(allow_null=True)
    canceled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    election = serializers.IntegerField(source="election_id", allow_null=True)
    booth = serializers.SerializerMethodField()
    outcome = serializers.JSONField(allow_null=True)
    options = OptionOutput(many=True, source="options.all")
    actions = ActionOutput(many=True, source="actions.all")

    def get_parameters(self, proposal: Proposal) -> dict:
        return services.created_payload(proposal)["parameters"]

    def get_booth(self, proposal: Proposal) -> str | None:
        return (
            voting_bridge.booth_url(proposal) if proposal.state == Proposal.State.ACTIVE else None
        )


class ProposalDetailOutput(ProposalOutput):
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(EventOutput(many=True))
    def get_timeline(self, proposal: Proposal) -> list:
        return EventOutput(proposal_timeline(proposal), many=True, context=self.context).data


class ProposalTypesApi(GovernanceApi):
    @extend_schema(tags=TAGS, responses=ProposalTypeOutput(many=True), summary="Proposal types")
    def get(self, request: Request) -> Response:
        return Response(ProposalTypeOutput(selectors.active_types(), many=True).data)


class ProposalListApi(GovernanceListApi):
    class ProposalFilter(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=200)
        state = serializers.ChoiceField(choices=Proposal.State.choices, required=False)
        type = serializers.SlugField(required=False)
        vote_type = serializers.ChoiceField(choices=VoteType.choices, required=False)

    class ProposalOptionInput(serializers.Serializer):
        label = serializers.CharField(max_length=200)
        project = serializers.PrimaryKeyRelatedField(
            queryset=Project.objects.all(), required=False, allow_null=True
        )
        amount_cents = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    class ProposalActionInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ProposalAction.Kind.choices)
        text = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
        project = serializers.PrimaryKeyRelatedField(
            queryset=Project.objects.all(), required=False, allow_null=True
        )
        milestone = serializers.PrimaryKeyRelatedField(
            queryset=Milestone.objects.all(), required=False, allow_null=True
        )
        amount_cents = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    class ProposalPublishInput(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        summary = serializers.CharField(max_length=20_000)
        proposal_type = serializers.SlugRelatedField(
            slug_field="key", queryset=ProposalType.objects.filter(active=True)
        )
        vote_type = serializers.ChoiceField(choices=VoteType.choices)
        district = serializers.SlugRelatedField(
            slug_field="number", queryset=District.objects.all(), required=False, allow_null=True
        )
        vote_start = serializers.DateTimeField(required=False, allow_null=True)
        initiative = serializers.PrimaryKeyRelatedField(
            queryset=Initiative.objects.exclude(state=Initiative.State.COLLECTING),
            required=False,
            allow_null=True,
        )
        options = serializers.ListField(
            child=serializers.DictField(), required=False, max_length=20
        )
        actions = serializers.ListField(
            child=serializers.DictField(), required=False, max_length=10
        )
        budget_cents = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        budget_points = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        points_cap = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    @extend_schema(
        tags=TAGS,
        parameters=[ProposalFilter],
        responses=ProposalOutput(many=True),
        summary="Search and filter proposals",
    )
    def get(self, request: Request) -> Response:
        filters = self.ProposalFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        found = selectors.proposals(
            query=data.get("q", ""),
            state=data.get("state", ""),
            type_key=data.get("type", ""),
            vote_type=data.get("vote_type", ""),
        ).prefetch_related("options", "actions")
        return paginated(request, found, ProposalOutput, self)

    @extend_schema(
        tags=TAGS,
        request=ProposalPublishInput,
        responses={201: ProposalDetailOutput, **errors(400, 403, 409)},
        summary="Publish a proposal (council admins)",
    )
    def post(self, request: Request) -> Response:
        given = self.ProposalPublishInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        options = [
            self._nested(self.ProposalOptionInput, o, "options") for o in data.pop("options", [])
        ]
        actions = [
            self._nested(self.ProposalActionInput, a, "actions") for a in data.pop("actions", [])
        ]
        proposal = services.create_proposal(
            proposer=request.user,
            options=[services.OptionInput(**o) for o in options],
            actions=[services.ActionInput(**a) for a in actions],
            **data,
        )
        output = ProposalDetailOutput(proposal, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _nested(serializer_class: type, data: dict, field: str) -> dict:
        nested = serializer_class(data=data)
        if not nested.is_valid():
            raise serializers.ValidationError({field: nested.errors})
        return dict(nested.validated_data)


class ProposalDetailApi(GovernanceApi):
    @extend_schema(
        tags=TAGS,
        responses={200: ProposalDetailOutput, **errors(404)},
        summary="A proposal with its timeline of ledger entries and receipts",
    )
    def get(self, request: Request, pk: int) -> Response:
        proposal = get_object_or_404(Proposal, pk=pk)
        return Response(ProposalDetailOutput(proposal, context={"request": request}).data)


class ProposalCancelApi(GovernanceApi):
    class CancelInput(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    @extend_schema(
        tags=TAGS,
        request=CancelInput,
        responses={200: ProposalOutput, **errors(400, 403, 404, 409)},
        summary="Cancel (the proposer while Pending; the council with a public reason)",
    )
    def post(self, request: Request, pk: int) -> Response:
        given = self.CancelInput(data=request.data)
        given.is_valid(raise_exception=True)
        proposal = get_object_or_404(Proposal, pk=pk)
        canceled = services.cancel_proposal(
            proposal=proposal, by=request.user, reason=given.validated_data.get("reason", "")
        )
        return Response(ProposalOutput(canceled).data)


class ProposalExecuteApi(GovernanceApi):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: ProposalOutput, **errors(403, 404, 409)},
        summary="Execute a Queued proposal after its timelock (council admins)",
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = get_object_or_404(Proposal, pk=pk)
        return Response(
            ProposalOutput(services.execute_proposal(proposal=proposal, by=request.user)).data
        )
