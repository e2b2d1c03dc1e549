"""API routes of the ledger, mounted under /api/ledger/ by polity/urls.py."""

from django.urls import path, re_path

from ledger import api

app_name = "ledger-api"
urlpatterns = [
    path("", api.LedgerRootApi.as_view(), name="root"),
    path("checkpoint", api.CheckpointApi.as_view(), name="checkpoint"),
    path("checkpoints/<int:size>", api.CheckpointAtApi.as_view(), name="checkpoint-at"),
    path("entries", api.EntriesApi.as_view(), name="entries"),
    path("entries/<int:index>", api.EntryApi.as_view(), name="entry"),
    path("entries/<int:index>/receipt", api.ReceiptApi.as_view(), name="receipt"),
    re_path(
        r"^entries/by-hash/(?P<leaf_hash>[^/?#]+(?:/[^/?#]+)*)$",
        api.EntryByHashApi.as_view(),
        name="entry-by-hash",
    ),
    path("proofs/inclusion", api.InclusionProofApi.as_view(), name="inclusion"),
    path("proofs/consistency", api.ConsistencyProofApi.as_view(), name="consistency"),
    path("witnesses", api.WitnessesApi.as_view(), name="witnesses"),
]
