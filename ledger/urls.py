from django.urls import path

from ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("search", views.search, name="search"),
    path("entries/<int:index>/", views.entry, name="entry"),
    path("verify/", views.verify, name="verify"),
    # Fixed text URLs for auditors and tools (python -m ledger.verify, witnesses, monitors).
    path("checkpoint", views.checkpoint_text, name="checkpoint"),
    path("verifier-key", views.verifier_key, name="verifier-key"),
    path("witness-keys", views.witness_keys, name="witness-keys"),
]
