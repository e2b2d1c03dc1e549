"""Routes under /.well-known/ that belong to the identity app: the issuer's did:web document."""

from django.urls import path

from identity.api_public import DidDocumentApi

urlpatterns = [path("did.json", DidDocumentApi.as_view(), name="did-document")]
