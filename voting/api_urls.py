"""API routes of the elections app, mounted at /api/elections/ by polity/urls.py."""

from django.urls import path

from voting.api import admin, public, trustee, voter

app_name = "voting-api"
urlpatterns = [
    path("", public.ElectionListView.as_view(), name="list"),
    path("<int:pk>", public.ElectionDetailView.as_view(), name="detail"),
    path("<int:pk>/context", public.ContextView.as_view(), name="context"),
    path("<int:pk>/roll", public.RollView.as_view(), name="roll"),
    path("<int:pk>/status", public.StatusView.as_view(), name="status"),
    path("<int:pk>/result", public.ResultView.as_view(), name="result"),
    path("<int:pk>/ballots", public.BoardView.as_view(), name="ballots"),
    path("<int:pk>/ballots/<str:tracker>", public.BallotView.as_view(), name="ballot"),
    path("<int:pk>/ballots/<str:tracker>/receipt", public.ReceiptView.as_view(), name="receipt"),
    path("<int:pk>/audits", voter.AuditView.as_view(), name="audit"),
    path("<int:pk>/audited", public.AuditedListView.as_view(), name="audited"),
    path("<int:pk>/me", voter.MeView.as_view(), name="me"),
    path("<int:pk>/ceremony", trustee.CeremonyView.as_view(), name="ceremony"),
    path("<int:pk>/ceremony/public", trustee.TrusteePublicView.as_view(), name="trustee-public"),
    path("<int:pk>/ceremony/boxes", trustee.ShareBoxesView.as_view(), name="share-boxes"),
    path("<int:pk>/ceremony/verdict", trustee.VerdictView.as_view(), name="verdict"),
    path("<int:pk>/decryptions", trustee.DecryptionView.as_view(), name="decryptions"),
    path("<int:pk>/contests", admin.ContestsView.as_view(), name="contests"),
    path("<int:pk>/trustees", admin.TrusteesView.as_view(), name="trustees"),
    path("<int:pk>/transitions", admin.TransitionView.as_view(), name="transitions"),
]
