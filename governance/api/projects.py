"""PPP projects over HTTP: partners, projects with milestones, the spending tracker, and the
registration of devices and inspectors (council admins)."""

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
from governance.models import Milestone, Partner, Project
from governance.selectors import projects as selectors
from governance.selectors.timeline import project_timeline
from governance.services import projects as services
from identity.models import District


class PartnerOutput(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "role", "registration", "website"]


class SpendingOutput(serializers.Serializer):
    budget_cents = serializers.IntegerField(source="budget")
    allocated_cents = serializers.IntegerField(source="allocated")
    released_cents = serializers.IntegerField(source="released")
    escrow_cents = serializers.IntegerField(source="escrow")


class MilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField(source="milestone.pk")
    position = serializers.IntegerField(source="milestone.position")
    title = serializers.CharField(source="milestone.title")
    amount_cents = serializers.IntegerField(source="milestone.amount_cents")
    evidence = serializers.CharField(source="milestone.evidence")
    device_condition = serializers.SerializerMethodField()
    status = serializers.CharField()
    approved_by = serializers.IntegerField(source="milestone.approved_by_id", allow_null=True)
    approval = EventOutput(allow_null=True)
    attestation = EventOutput(allow_null=True)
    disbursement = EventOutput(allow_null=True)

    def get_device_condition(self, row: selectors.MilestoneRow) -> dict | None:
        m = row.milestone
        if m.evidence != Milestone.Evidence.DEVICES:
            return None
        return {
            "metric": m.device_metric,
            "quorum_bps": m.device_quorum_bps,
            "window": m.device_window,
            "max_gap": m.device_max_gap,
        }


class ProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    district = serializers.IntegerField(source="district.number", allow_null=True, default=None)
    contractor = PartnerOutput()
    operator = PartnerOutput(allow_null=True)
    contract_reference = serializers.CharField()
    spending = serializers.SerializerMethodField()

    @extend_schema_field(SpendingOutput)
    def get_spending(self, project: Project) -> dict:
        return SpendingOutput(selectors.spending(project)).data


class ProjectDetailOutput(ProjectOutput):
    milestones = serializers.SerializerMethodField()
    devices = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(MilestoneOutput(many=True))
    def get_milestones(self, project: Project) -> list:
        rows = selectors.milestone_rows(project)
        return MilestoneOutput(rows, many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_devices(self, project: Project) -> list:
        return [
            {
                "device": d.device_id,
                "kind": d.kind,
                "public_key": d.public_key,
                "active": d.active,
                "last_counter": d.last_counter,
                "last_timestamp": d.last_timestamp,
            }
            for d in project.devices.order_by("device_id")
        ]

    @extend_schema_field(EventOutput(many=True))
    def get_timeline(self, project: Project) -> list:
        return EventOutput(project_timeline(project), many=True, context=self.context).data


class PartnerListApi(GovernanceApi):
    class PartnerInput(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        role = serializers.ChoiceField(choices=Partner.Role.choices)
        registration = serializers.CharField(max_length=64, required=False, allow_blank=True)
        website = serializers.URLField(required=False, allow_blank=True)

    @extend_schema(tags=TAGS, responses=PartnerOutput(many=True), summary="Partner organisations")
    def get(self, request: Request) -> Response:
        return Response(PartnerOutput(Partner.objects.order_by("name"), many=True).data)

    @extend_schema(
        tags=TAGS,
        request=PartnerInput,
        responses={201: PartnerOutput, **errors(400, 403, 409)},
        summary="Register a partner organisation (council admins)",
    )
    def post(self, request: Request) -> Response:
        given = self.PartnerInput(data=request.data)
        given.is_valid(raise_exception=True)
        partner = services.create_partner(by=request.user, **given.validated_data)
        return Response(PartnerOutput(partner).data, status=status.HTTP_201_CREATED)


class MilestoneInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    amount_cents = serializers.IntegerField(min_value=1)
    evidence = serializers.ChoiceField(choices=Milestone.Evidence.choices)
    device_metric = serializers.CharField(required=False, allow_blank=True, max_length=40)
    device_quorum_bps = serializers.IntegerField(required=False, allow_null=True)
    device_window = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    device_max_gap = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class ProjectListApi(GovernanceListApi):
    class ProjectInput(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        description = serializers.CharField(max_length=20_000)
        district = serializers.SlugRelatedField(
            slug_field="number", queryset=District.objects.all(), required=False, allow_null=True
        )
        contractor = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
        operator = serializers.PrimaryKeyRelatedField(
            queryset=Partner.objects.all(), required=False, allow_null=True
        )
        contract_reference = serializers.CharField(max_length=64)
        budget_cents = serializers.IntegerField(min_value=1)
        milestones = MilestoneInput(many=True, max_length=50)

    @extend_schema(tags=TAGS, responses=ProjectOutput(many=True), summary="PPP projects")
    def get(self, request: Request) -> Response:
        found = Project.objects.select_related("contractor", "operator", "district")
        return paginated(request, found.order_by("-created_at"), ProjectOutput, self)

    @extend_schema(
        tags=TAGS,
        request=ProjectInput,
        responses={201: ProjectDetailOutput, **errors(400, 403)},
        summary="Create a project with its contract's milestones (council admins)",
    )
    def post(self, request: Request) -> Response:
        given = self.ProjectInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        milestones = [services.MilestoneInput(**m) for m in data.pop("milestones")]
        project = services.create_project(by=request.user, milestones=milestones, **data)
        output = ProjectDetailOutput(project, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class ProjectDetailApi(GovernanceApi):
    @extend_schema(
        tags=TAGS,
        responses={200: ProjectDetailOutput, **errors(404)},
        summary="A project's spending tracker: milestones, evidence and payments with receipts",
    )
    def get(self, request: Request, pk: int) -> Response:
        project = get_object_or_404(Project, pk=pk)
        return Response(ProjectDetailOutput(project, context={"request": request}).data)


class SpendingApi(GovernanceApi):
    class SpendingRow(serializers.Serializer):
        project = serializers.IntegerField()
        title = serializers.CharField()
        spending = SpendingOutput()

    @extend_schema(
        tags=TAGS, responses=SpendingRow(many=True), summary="City-wide spending tracker"
    )
    def get(self, request: Request) -> Response:
        rows = [
            {"project": p.pk, "title": p.title, "spending": s} for p, s in selectors.city_spending()
        ]
        return Response(self.SpendingRow(rows, many=True).data)


class DeviceRegisterApi(GovernanceApi):
    class DeviceInput(serializers.Serializer):
        device_id = serializers.CharField(max_length=64)
        kind = serializers.CharField(max_length=40)
        public_key = serializers.CharField(max_length=64, help_text="Ed25519, 64 hex digits")

    @extend_schema(
        tags=TAGS,
        request=DeviceInput,
        responses={201: DeviceInput, **errors(400, 403, 404, 409)},
        summary="Register an IoT device's key for a project (council admins)",
    )
    def post(self, request: Request, pk: int) -> Response:
        given = self.DeviceInput(data=request.data)
        given.is_valid(raise_exception=True)
        device = services.register_device(
            by=request.user, project=get_object_or_404(Project, pk=pk), **given.validated_data
        )
        body = {"device_id": device.device_id, "kind": device.kind, "public_key": device.public_key}
        return Response(body, status=status.HTTP_201_CREATED)


class InspectorRegisterApi(GovernanceApi):
    class InspectorInput(serializers.Serializer):
        partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
        key_id = serializers.CharField(max_length=64)
        public_key = serializers.CharField(max_length=64, help_text="Ed25519, 64 hex digits")

    @extend_schema(
        tags=TAGS,
        request=InspectorInput,
        responses={201: InspectorInput, **errors(400, 403, 409)},
        summary="Register an inspector's signing key for an inspection body (council admins)",
    )
    def post(self, request: Request) -> Response:
        given = self.InspectorInput(data=request.data)
        given.is_valid(raise_exception=True)
        inspector = services.register_inspector(by=request.user, **given.validated_data)
        body = {
            "partner": inspector.partner_id,
            "key_id": inspector.key_id,
            "public_key": inspector.public_key,
        }
        return Response(body, status=status.HTTP_201_CREATED)
