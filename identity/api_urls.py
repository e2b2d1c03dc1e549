"""API routes of this app, mounted under /api/identity/ by polity/urls.py."""

from django.urls import path

from identity import api, api_public

app_name = "identity-api"
urlpatterns = [
    path("verification", api.VerificationStateApi.as_view(), name="verification"),
    path("verification/requests", api.PendingRequestsApi.as_view(), name="requests"),
    path("verification/requests/<int:pk>/decision", api.DecisionApi.as_view(), name="decision"),
    path(
        "verification/requests/<int:pk>/document",
        api.RequestDocumentApi.as_view(),
        name="request-document",
    ),
    path("verification/<slug:handler>", api.VerificationSubmitApi.as_view(), name="verify"),
    path("census", api.CensusImportApi.as_view(), name="census"),
    path("credential", api.CredentialApi.as_view(), name="credential"),
    path("credential/renewal", api.CredentialRenewalApi.as_view(), name="renewal"),
    path("residents", api.ResidentsApi.as_view(), name="residents"),
    path(
        "credentials/<uuid:credential_id>/status",
        api.CredentialStatusApi.as_view(),
        name="credential-status",
    ),
    path(
        "presentations/verify",
        api_public.PresentationVerifyApi.as_view(),
        name="verify-presentation",
    ),
    path(
        "status-lists/<str:purpose>/<int:number>",
        api_public.StatusListApi.as_view(),
        name="status-list",
    ),
]
