from django.urls import path

from identity import views, views_official

app_name = "identity"
urlpatterns = [
    path("", views.index, name="index"),
    path("verify/<slug:handler>/", views.submit_verification, name="verify"),
    path("credential.json", views.credential_download, name="credential-download"),
    path("credential/renew/", views.renew_credential, name="renew"),
    path("verifier/", views.verifier, name="verifier"),
    path("official/", views_official.dashboard, name="official"),
    path("official/census/", views_official.census_upload, name="census-upload"),
    path("official/requests/<int:pk>/decision/", views_official.decide, name="decide"),
    path(
        "official/requests/<int:pk>/document/",
        views_official.request_document,
        name="request-document",
    ),
    path(
        "official/credentials/<uuid:credential_id>/status/",
        views_official.credential_status,
        name="credential-status",
    ),
]
