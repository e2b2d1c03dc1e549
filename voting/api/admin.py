"""Council admins: drafts, contests, trustees and every transition of the state machine.

These are what the governance app (or a script) calls to run an election programmatically.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from identity.models import District, User
from voting import services
from voting.api.common import ManagesElections, get_election
from voting.api.serializers import ElectionDetailSerializer
from voting.models import Contest, Election
from voting.selectors import all_elections
from voting.services.errors import Invalid


class DraftInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    district = serializers.IntegerField(required=False, allow_null=True, default=None)
    opens_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    closes_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


def _district(number: int | None) -> District | None:
    if number is None:
        return None
    district = District.objects.filter(number=number).first()
    if district is None:
        raise Invalid(f"district: no district number {number}")
    return district


def detail(election: Election) -> dict:
    """The detail JSON of an election as any admin sees it (drafts included)."""
    return ElectionDetailSerializer(all_elections().get(pk=election.pk)).data


def create_draft(request: Request) -> Response:
    body = DraftInput(data=request.data)
    body.is_valid(raise_exception=True)
    data = {**body.validated_data, "district": _district(body.validated_data["district"])}
    election = services.create_election(**data, created_by=request.user)
    return Response(detail(election), status=201)


def update_draft(request: Request, election: Election) -> Response:
    body = DraftInput(data=request.data, partial=True)
    body.is_valid(raise_exception=True)
    fields = dict(body.validated_data)
    if "district" in fields:
        fields["district"] = _district(fields["district"])
    return Response(detail(services.update_election(election=election, **fields)))


class ContestInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Contest.Kind.choices, default=Contest.Kind.ONE_OF_N)
    votes_allowed = serializers.IntegerField(
        min_value=1, default=1, help_text="k for k_of_n; the points to share for cumulative"
    )
    max_per_option = serializers.IntegerField(
        min_value=1, default=1, help_text="cumulative: the most points one option may get"
    )
    options = serializers.ListField(child=serializers.CharField(max_length=200), min_length=2)


class ContestsView(APIView):
    """Add a contest with its options to a draft (options in ballot order)."""

    permission_classes = [ManagesElections]

    @extend_schema(request=ContestInput, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        body = ContestInput(data=request.data)
        body.is_valid(raise_exception=True)
        contest = services.add_contest(election=get_election(request, pk), **body.validated_data)
        return Response(
            {
                "id": contest.pk,
                "title": contest.title,
                "kind": contest.kind,
                "options": [o.label for o in contest.options.all()],
            },
            status=201,
        )


class TrusteesInput(serializers.Serializer):
    trustees = serializers.ListField(
        child=serializers.CharField(), min_length=1, help_text="public aliases, in trustee order"
    )
    threshold = serializers.IntegerField(min_value=1)


class TrusteesView(APIView):
    permission_classes = [ManagesElections]

    @extend_schema(
        request=TrusteesInput,
        responses={200: dict},
        description=(
            "Set the trustees (numbered in the order given) and k. In a draft this is an edit; "
            "during the key ceremony it replaces trustees and starts the ceremony over (409 once "
            "the key is frozen)."
        ),
    )
    def put(self, request: Request, pk: int) -> Response:
        body = TrusteesInput(data=request.data)
        body.is_valid(raise_exception=True)
        aliases = body.validated_data["trustees"]
        users = {u.public_alias: u for u in User.objects.filter(public_alias__in=aliases)}
        missing = [a for a in aliases if a not in users]
        if missing:
            raise Invalid(f"trustees: no account with alias {missing[0]}")
        trustees = services.set_trustees(
            election=get_election(request, pk),
            users=[users[a] for a in aliases],
            threshold=body.validated_data["threshold"],
        )
        return Response(
            {
                "threshold": body.validated_data["threshold"],
                "trustees": [{"index": t.index, "name": t.user.public_alias} for t in trustees],
            }
        )


ACTIONS = {
    "start_ceremony": services.start_ceremony,
    "restart_ceremony": services.restart_ceremony,
    "freeze": services.freeze_election,
    "open": services.open_election,
    "close": services.close_election,
}


class TransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=[*ACTIONS, "cancel"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionView(APIView):
    """Move the election along: start_ceremony, restart_ceremony, freeze, open, close, cancel."""

    permission_classes = [ManagesElections]

    @extend_schema(request=TransitionInput, responses={200: ElectionDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        body = TransitionInput(data=request.data)
        body.is_valid(raise_exception=True)
        election = get_election(request, pk)
        action = body.validated_data["action"]
        if action == "cancel":
            election = services.cancel_election(
                election=election, reason=body.validated_data["reason"], by=request.user
            )
        else:
            election = ACTIONS[action](election=election, by=request.user)
        return Response(detail(election))
