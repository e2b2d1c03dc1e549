"""API routes of governance, mounted under /api/governance/ by polity/urls.py."""

from django.urls import path

from governance.api import evidence, feedback, initiatives, projects, proposals

app_name = "governance-api"
urlpatterns = [
    path("proposal-types", proposals.ProposalTypesApi.as_view(), name="proposal-types"),
    path("proposals", proposals.ProposalListApi.as_view(), name="proposals"),
    path("proposals/<int:pk>", proposals.ProposalDetailApi.as_view(), name="proposal"),
    path("proposals/<int:pk>/cancel", proposals.ProposalCancelApi.as_view(), name="cancel"),
    path("proposals/<int:pk>/execute", proposals.ProposalExecuteApi.as_view(), name="execute"),
    path("initiatives", initiatives.InitiativeListApi.as_view(), name="initiatives"),
    path("initiatives/<int:pk>", initiatives.InitiativeDetailApi.as_view(), name="initiative"),
    path(
        "initiatives/<int:pk>/support",
        initiatives.InitiativeSupportApi.as_view(),
        name="initiative-support",
    ),
    path(
        "initiatives/<int:pk>/response",
        initiatives.InitiativeRespondApi.as_view(),
        name="initiative-response",
    ),
    path("partners", projects.PartnerListApi.as_view(), name="partners"),
    path("inspectors", projects.InspectorRegisterApi.as_view(), name="inspectors"),
    path("projects", projects.ProjectListApi.as_view(), name="projects"),
    path("projects/<int:pk>", projects.ProjectDetailApi.as_view(), name="project"),
    path("projects/<int:pk>/devices", projects.DeviceRegisterApi.as_view(), name="devices"),
    path("spending", projects.SpendingApi.as_view(), name="spending"),
    path("devices/readings", evidence.ReadingApi.as_view(), name="readings"),
    path(
        "milestones/<int:pk>/attestations",
        evidence.AttestationApi.as_view(),
        name="attestations",
    ),
    path("feedback", feedback.FeedbackListApi.as_view(), name="feedback"),
    path("feedback/<int:pk>/moderate", feedback.FeedbackModerateApi.as_view(), name="moderate"),
    path("feedback/<int:pk>/verify", feedback.FeedbackVerifyApi.as_view(), name="verify"),
    path("services", feedback.ServicesApi.as_view(), name="services"),
]
