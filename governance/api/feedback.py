"""Citizen feedback over HTTP: the public explorer, posting, moderation, opening checks."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from governance import commitments
from governance.api.base import (
    TAGS,
    EventOutput,
    GovernanceApi,
    GovernanceListApi,
    errors,
    paginated,
)
from governance.models import CityService, Feedback, Project, Proposal
from governance.selectors import feedback as selectors
from governance.selectors.timeline import entry_event
from governance.services import feedback as services
from polity.inputs import parse_id
from polity.parsers import JSONParser


class FeedbackOutput(serializers.Serializer):
    """Public: aliases, never names; a hidden item shows its reason, not its text."""

    id = serializers.IntegerField()
    target = serializers.CharField(source="target_ref")
    author = serializers.CharField(source="author_alias")
    rating = serializers.IntegerField(allow_null=True)
    text = serializers.SerializerMethodField()
    state = serializers.CharField()
    moderation_reason = serializers.CharField()
    commitment = serializers.CharField()
    created_at = serializers.DateTimeField()
    received = serializers.SerializerMethodField()
    moderated = serializers.SerializerMethodField()

    def get_text(self, item: Feedback) -> str | None:
        return item.text if item.state == Feedback.State.VISIBLE else None

    @extend_schema_field(EventOutput(allow_null=True))
    def get_received(self, item: Feedback) -> dict | None:
        event = entry_event(item.entry)
        return EventOutput(event, context=self.context).data if event else None

    @extend_schema_field(EventOutput(allow_null=True))
    def get_moderated(self, item: Feedback) -> dict | None:
        event = entry_event(item.moderation_entry)
        return EventOutput(event, context=self.context).data if event else None


class OwnFeedbackOutput(FeedbackOutput):
    """To the author: the opening of the commitment, to keep and show anyone."""

    opening = serializers.SerializerMethodField()

    def get_opening(self, item: Feedback) -> dict:
        return services.opening_of(item)


class FeedbackListApi(GovernanceListApi):
    class FeedbackFilter(serializers.Serializer):
        target = serializers.ChoiceField(choices=Feedback.Target.choices, required=False)
        target_id = serializers.CharField(required=False, max_length=40)
        rating = serializers.IntegerField(required=False, min_value=1, max_value=5)
        state = serializers.ChoiceField(choices=Feedback.State.choices, required=False)
        q = serializers.CharField(required=False, allow_blank=True, max_length=200)

    class FeedbackPostInput(serializers.Serializer):
        target = serializers.ChoiceField(choices=Feedback.Target.choices)
        target_id = serializers.CharField(max_length=40, help_text="an id, or a service key")
        rating = serializers.IntegerField(required=False, allow_null=True)
        text = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(
        tags=TAGS,
        parameters=[FeedbackFilter],
        responses=FeedbackOutput(many=True),
        summary="The public feedback explorer",
    )
    def get(self, request: Request) -> Response:
        filters = self.FeedbackFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        items = selectors.feedback_items(
            target=filters.validated_data.get("target", ""),
            target_id=filters.validated_data.get("target_id", ""),
            rating=filters.validated_data.get("rating"),
            state=filters.validated_data.get("state", ""),
            query=filters.validated_data.get("q", ""),
        )
        return paginated(request, items, FeedbackOutput, self)

    @extend_schema(
        tags=TAGS,
        request=FeedbackPostInput,
        responses={201: OwnFeedbackOutput, **errors(400, 403, 404)},
        summary="Comment and/or rate (verified residents)",
    )
    def post(self, request: Request) -> Response:
        given = self.FeedbackPostInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        item = services.post_feedback(
            author=request.user,
            target=find_target(data["target"], data["target_id"]),
            rating=data.get("rating"),
            text=data.get("text", ""),
        )
        output = OwnFeedbackOutput(item, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


def find_target(kind: str, target_id: str) -> Proposal | Project | CityService:
    if kind == Feedback.Target.SERVICE:
        return get_object_or_404(CityService, key=target_id)
    pk = parse_id(target_id)
    if pk is None:
        raise ValidationError({"target_id": "must be a number for proposals and projects"})
    model = Proposal if kind == Feedback.Target.PROPOSAL else Project
    return get_object_or_404(model, pk=pk)


class FeedbackModerateApi(GovernanceApi):
    class ModerationInput(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(
        tags=TAGS,
        request=ModerationInput,
        responses={200: FeedbackOutput, **errors(400, 403, 404, 409)},
        summary="Hide an item's text with a public reason (moderators); the commitment stays",
    )
    def post(self, request: Request, pk: int) -> Response:
        given = self.ModerationInput(data=request.data)
        given.is_valid(raise_exception=True)
        item = services.moderate_feedback(
            feedback=get_object_or_404(Feedback, pk=pk),
            by=request.user,
            reason=given.validated_data["reason"],
        )
        return Response(FeedbackOutput(item, context={"request": request}).data)


class OpeningInput(serializers.Serializer):
    """The opening of a feedback commitment (docs/spec/governance.md §6), checked as sent."""

    version = serializers.CharField()
    salt = serializers.CharField()
    target = serializers.CharField()
    author = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(allow_blank=True)
    created = serializers.CharField()


class FeedbackVerifyApi(GovernanceApi):
    """An opening is a JSON object with every field of OpeningInput; anything else is a 400
    (a form-encoded or partial opening could never match, and would only say "false")."""

    parser_classes = [JSONParser]

    class OpeningCheckOutput(serializers.Serializer):
        matches = serializers.BooleanField()
        commitment = serializers.CharField()

    @extend_schema(
        tags=TAGS,
        request=OpeningInput,
        responses={200: OpeningCheckOutput, **errors(400, 404)},
        summary="Check an opening (salt and content) against an item's commitment",
    )
    def post(self, request: Request, pk: int) -> Response:
        item = get_object_or_404(Feedback, pk=pk)
        if not isinstance(request.data, dict):
            raise ValidationError("the opening must be a JSON object")
        OpeningInput(data=request.data).is_valid(raise_exception=True)
        opening = dict(request.data)
        body = {
            "matches": commitments.matches(opening, item.commitment),
            "commitment": item.commitment,
        }
        return Response(body)


class ServicesApi(GovernanceApi):
    class CityServiceOutput(serializers.ModelSerializer):
        class Meta:
            model = CityService
            fields = ["key", "name", "description"]

    @extend_schema(tags=TAGS, responses=CityServiceOutput(many=True), summary="City services")
    def get(self, request: Request) -> Response:
        return Response(self.CityServiceOutput(CityService.objects.all(), many=True).data)
