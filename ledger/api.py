"""The ledger's public JSON API (``/api/ledger/``): checkpoints, entries, proofs, receipts, witnesses.

Thin: input serializers validate query parameters (400 with a reason for anything malformed or
out of range), selectors do the reading, output serializers shape the answer. Errors use the
project's JSON shape (``polity.api``). Hashes are accepted as 64 hex digits or base64 of 32 bytes
and returned as hex (``leaf_hash``, ``root``) or base64 (proof ``hashes``, as in C2SP texts).
"""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ledger import keys, selectors
from ledger.b64 import b64encode
from ledger.models import Checkpoint, Entry, Witness

MAX_PAGE = 1000
DEFAULT_PAGE = 100
MAX_SIZE = 2**63 - 1
TAGS = ["ledger"]


def parse_hash(text: str, field: str = "hash") -> bytes:
    try:
        return selectors.decode_hash(text)
    except ValueError:
        raise ValidationError({field: "must be 64 hex digits or the base64 of 32 bytes"}) from None


def checked_size(size: int | None, field: str = "size", minimum: int = 1) -> int:
    """`size` (default: the latest checkpoint's) if within [minimum, latest], else a 400."""
    latest = selectors.tree_size()
    if size is None:
        size = latest
    if size > latest:
        raise ValidationError({field: f"must be at most {latest}, the latest checkpoint's size"})
    if size < minimum:
        raise ValidationError({field: f"must be at least {minimum}"})
    return size


class PlainTextRenderer(BaseRenderer):
    """``?format=text``: proof hashes as base64 lines (what ``ledger.verify --consistency`` reads)."""

    media_type = "text/plain"
    format = "text"
    charset = "utf-8"

    def render(self, data: object, accepted_media_type=None, renderer_context=None) -> str:
        if isinstance(data, dict) and "error" in data:
            return f"error: {data['error']['reason']}\n"
        return "".join(h + "\n" for h in data.get("hashes", []))


# --- output shapes ------------------------------------------------------------------------------


class CosignerOutput(serializers.Serializer):
    witness = serializers.CharField(source="witness.name")
    partner = serializers.CharField(source="witness.label")
    signed_at = serializers.DateTimeField()


class CheckpointOutput(serializers.Serializer):
    size = serializers.IntegerField()
    root = serializers.SerializerMethodField(help_text="RFC 6962 root hash, hex")
    created_at = serializers.DateTimeField()
    note = serializers.SerializerMethodField(help_text="the signed note with every cosignature")
    witnessed = serializers.SerializerMethodField()
    quorum = serializers.SerializerMethodField()
    cosignatures = serializers.SerializerMethodField()

    def get_root(self, checkpoint: Checkpoint) -> str:
        return bytes(checkpoint.root).hex()

    def get_note(self, checkpoint: Checkpoint) -> str:
        return selectors.checkpoint_text(checkpoint)

    def get_witnessed(self, checkpoint: Checkpoint) -> bool:
        return selectors.is_witnessed(checkpoint)

    def get_quorum(self, checkpoint: Checkpoint) -> int:
        return selectors.witness_quorum()

    @extend_schema_field(CosignerOutput(many=True))
    def get_cosignatures(self, checkpoint: Checkpoint) -> list:
        return CosignerOutput(selectors.cosignatures_of(checkpoint), many=True).data


class EntryOutput(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="null until sequenced")
    kind = serializers.CharField()
    appended_at = serializers.DateTimeField()
    leaf_hash = serializers.CharField(help_text="hex")
    leaf = serializers.CharField(help_text="the leaf bytes, base64")
    payload = serializers.JSONField()
    receipt = serializers.CharField(allow_null=True, help_text="receipt URL once sequenced")

    @staticmethod
    def of(index: int | None, entry: Entry, request: Request) -> dict:
        receipt = None
        if index is not None:
            receipt = request.build_absolute_uri(reverse("ledger-api:receipt", args=[index]))
        return {
            "index": index,
            "kind": entry.kind,
            "appended_at": entry.appended_at,
            "leaf_hash": bytes(entry.leaf_hash).hex(),
            "leaf": b64encode(bytes(entry.leaf)),
            "payload": entry.payload,
            "receipt": receipt,
        }


# --- views --------------------------------------------------------------------------------------


class CheckpointApi(APIView):
    @extend_schema(
        operation_id="ledger_checkpoint_latest",
        tags=TAGS,
        responses=CheckpointOutput,
        summary="The latest checkpoint",
    )
    def get(self, request: Request) -> Response:
        checkpoint = selectors.latest_checkpoint()
        if checkpoint is None:
            raise NotFound("the log is empty: no checkpoint has been signed yet")
        return Response(CheckpointOutput(checkpoint).data)


class CheckpointAtApi(APIView):
    @extend_schema(
        operation_id="ledger_checkpoint_at",
        tags=TAGS,
        responses=CheckpointOutput,
        summary="The checkpoint of one size",
    )
    def get(self, request: Request, size: int) -> Response:
        checkpoint = selectors.checkpoint_at(size)
        if checkpoint is None:
            raise NotFound(f"no checkpoint was signed for size {size}")
        return Response(CheckpointOutput(checkpoint).data)


class EntriesApi(APIView):
    class InputSerializer(serializers.Serializer):
        start = serializers.IntegerField(min_value=0, max_value=MAX_SIZE, default=0)
        end = serializers.IntegerField(min_value=0, max_value=MAX_SIZE, required=False)

    class EntryPageOutput(serializers.Serializer):
        size = serializers.IntegerField()
        start = serializers.IntegerField()
        end = serializers.IntegerField()
        next = serializers.CharField(allow_null=True)
        entries = EntryOutput(many=True)

    @extend_schema(
        operation_id="ledger_entries_range",
        tags=TAGS,
        parameters=[InputSerializer],
        responses=EntryPageOutput,
        summary="Sequenced entries with index in [start, end)",
        description=f"At most {MAX_PAGE} per request; `end` defaults to start + {DEFAULT_PAGE}.",
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        size = selectors.tree_size()
        start = params.validated_data["start"]
        end = params.validated_data.get("end", min(start + DEFAULT_PAGE, size))
        if start > size:
            raise ValidationError({"start": f"must be at most {size}, the log's size"})
        if end < start:
            raise ValidationError({"end": "must not be smaller than start"})
        if end > size:
            raise ValidationError({"end": f"must be at most {size}, the log's size"})
        if end - start > MAX_PAGE:
            raise ValidationError({"end": f"at most {MAX_PAGE} entries per request"})
        rows = selectors.entries_between(start, end)
        following = None
        if end < size:
            following = request.build_absolute_uri(
                f"{reverse('ledger-api:entries')}?start={end}&end={min(end + end - start, size)}"
            )
        body = {
            "size": size,
            "start": start,
            "end": end,
            "next": following,
            "entries": [EntryOutput.of(row.index, row.entry, request) for row in rows],
        }
        return Response(body)


class EntryApi(APIView):
    @extend_schema(
        operation_id="ledger_entry_at",
        tags=TAGS,
        responses=EntryOutput,
        summary="The entry at an index",
    )
    def get(self, request: Request, index: int) -> Response:
        entry = selectors.entry_at(index) if index < selectors.tree_size() else None
        if entry is None:
            raise NotFound(f"no entry at index {index}")
        return Response(EntryOutput.of(index, entry, request))


class EntryByHashApi(APIView):
    @extend_schema(
        operation_id="ledger_entry_by_hash",
        tags=TAGS,
        responses=EntryOutput,
        summary="The entry with a leaf hash (hex or base64)",
        description="A stored entry not yet sequenced is returned with `index: null`.",
    )
    def get(self, request: Request, leaf_hash: str) -> Response:
        found = selectors.entry_by_leaf_hash(parse_hash(leaf_hash, "leaf_hash"))
        if found is None:
            raise NotFound("no entry has this leaf hash")
        index, entry = found
        if index is not None and index >= selectors.tree_size():
            index = None  # sequenced, but its checkpoint is not visible to this read yet
        return Response(EntryOutput.of(index, entry, request))


class InclusionProofApi(APIView):
    class InputSerializer(serializers.Serializer):
        index = serializers.IntegerField(min_value=0, max_value=MAX_SIZE, required=False)
        hash = serializers.CharField(required=False, help_text="leaf hash, hex or base64")
        size = serializers.IntegerField(
            min_value=1, max_value=MAX_SIZE, required=False, help_text="default: latest"
        )

        def validate(self, data: dict) -> dict:
            if ("index" in data) == ("hash" in data):
                raise ValidationError("give exactly one of index and hash")
            return data

    class InclusionProofOutput(serializers.Serializer):
        index = serializers.IntegerField()
        size = serializers.IntegerField()
        leaf_hash = serializers.CharField()
        root = serializers.CharField()
        hashes = serializers.ListField(child=serializers.CharField(), help_text="base64")
        checkpoint = serializers.CharField(allow_null=True)

    @extend_schema(
        operation_id="ledger_inclusion_proof",
        tags=TAGS,
        parameters=[InputSerializer],
        responses=InclusionProofOutput,
        summary="Inclusion proof of a leaf (by index or leaf hash) in the tree of a size",
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        size = checked_size(params.validated_data.get("size"))
        if "hash" in params.validated_data:
            found = selectors.entry_by_leaf_hash(parse_hash(params.validated_data["hash"]))
            if found is None or found[0] is None:
                raise NotFound("no sequenced entry has this leaf hash")
            index, entry = found
        else:
            index = params.validated_data["index"]
            entry = None
        if index >= size:
            raise ValidationError({"index": f"must be smaller than the tree size {size}"})
        entry = entry or selectors.entry_at(index)
        checkpoint = selectors.checkpoint_at(size)
        body = {
            "index": index,
            "size": size,
            "leaf_hash": bytes(entry.leaf_hash).hex(),
            "root": selectors.root_at(size).hex(),
            "hashes": [b64encode(h) for h in selectors.inclusion_proof(index, size)],
            "checkpoint": selectors.checkpoint_text(checkpoint) if checkpoint else None,
        }
        return Response(body)


class ConsistencyProofApi(APIView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, PlainTextRenderer]

    class InputSerializer(serializers.Serializer):
        size1 = serializers.IntegerField(min_value=0, max_value=MAX_SIZE)
        size2 = serializers.IntegerField(
            min_value=0, max_value=MAX_SIZE, required=False, help_text="default: latest"
        )

    class ConsistencyProofOutput(serializers.Serializer):
        size1 = serializers.IntegerField()
        size2 = serializers.IntegerField()
        root1 = serializers.CharField()
        root2 = serializers.CharField()
        hashes = serializers.ListField(child=serializers.CharField(), help_text="base64")

    @extend_schema(
        operation_id="ledger_consistency_proof",
        tags=TAGS,
        parameters=[InputSerializer],
        responses=ConsistencyProofOutput,
        summary="Consistency proof from size1 to size2 (add ?format=text for base64 lines)",
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        size2 = checked_size(params.validated_data.get("size2"), "size2", minimum=0)
        size1 = params.validated_data["size1"]
        if size1 > size2:
            raise ValidationError({"size1": f"must not be larger than size2 ({size2})"})
        body = {
            "size1": size1,
            "size2": size2,
            "root1": selectors.root_at(size1).hex(),
            "root2": selectors.root_at(size2).hex(),
            "hashes": [b64encode(h) for h in selectors.consistency_proof(size1, size2)],
        }
        return Response(body)


class ReceiptApi(APIView):
    class InputSerializer(serializers.Serializer):
        size = serializers.IntegerField(
            min_value=1, max_value=MAX_SIZE, required=False, help_text="default: latest witnessed"
        )

    @extend_schema(
        operation_id="ledger_receipt",
        tags=TAGS,
        parameters=[InputSerializer],
        responses={
            (200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="tlog-proof")
        },
        summary="Receipt of an entry: a C2SP tlog-proof file, verifiable offline",
    )
    def get(self, request: Request, index: int) -> HttpResponse:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        size = params.validated_data.get("size")
        if size is not None:
            checked_size(size)
            if index >= size:
                raise ValidationError({"size": f"must be larger than the index {index}"})
            if selectors.checkpoint_at(size) is None:
                raise NotFound(f"no checkpoint was signed for size {size}")
        if index >= selectors.tree_size() or selectors.entry_at(index) is None:
            raise NotFound(f"no sequenced entry at index {index}")
        text = selectors.receipt_at(index, size)
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        filename = f"polity-ledger-{index}.tlog-proof"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class WitnessesApi(APIView):
    class WitnessOutput(serializers.Serializer):
        name = serializers.CharField()
        partner = serializers.CharField(source="label")
        verifier_key = serializers.CharField()
        url = serializers.CharField()
        active = serializers.BooleanField()
        cosigned_size = serializers.IntegerField(
            help_text="largest size we hold its cosignature for"
        )

    @extend_schema(
        operation_id="ledger_witnesses",
        tags=TAGS,
        responses=WitnessOutput(many=True),
        summary="Partner witnesses",
    )
    def get(self, request: Request) -> Response:
        witnesses = list(Witness.objects.order_by("name"))
        sizes = selectors.cosigned_sizes(witnesses)
        for witness in witnesses:
            witness.cosigned_size = sizes[witness.pk]
        return Response(self.WitnessOutput(witnesses, many=True).data)


class LedgerRootApi(APIView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(f"ledger-api:{name}"))

        return Response(
            {
                "size": selectors.tree_size(),
                "verifier_key": keys.log_verifier_key(),
                "checkpoint": link("checkpoint"),
                "entries": link("entries"),
                "inclusion_proof": link("inclusion"),
                "consistency_proof": link("consistency"),
                "witnesses": link("witnesses"),
            }
        )
