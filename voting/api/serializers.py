"""Output shapes shared by several elections API views."""

from rest_framework import serializers


class ElectionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    state = serializers.CharField()
    district = serializers.IntegerField(source="scope", allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    ballots = serializers.IntegerField(source="ballot_count")


class ElectionDetailSerializer(ElectionSummarySerializer):
    description = serializers.CharField()
    threshold = serializers.IntegerField()
    fingerprint = serializers.CharField()
    public_key = serializers.CharField()
    ceremony = serializers.CharField(source="ceremony_id")
    manifest = serializers.JSONField(allow_null=True)
    result = serializers.JSONField(allow_null=True)
    record_sha256 = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
