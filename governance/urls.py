"""Proposal and initiative pages, mounted at /proposals/ by polity/urls.py."""

from django.urls import path

from governance.views import initiatives, proposals

app_name = "governance"
urlpatterns = [
    path("", proposals.index, name="index"),
    path("new", proposals.new, name="new"),
    path("<int:pk>/", proposals.detail, name="detail"),
    path("<int:pk>/cancel", proposals.cancel, name="cancel"),
    path("<int:pk>/execute", proposals.execute, name="execute"),
    path("initiatives/", initiatives.initiatives, name="initiatives"),
    path("initiatives/new", initiatives.new_initiative, name="new-initiative"),
    path("initiatives/<int:pk>/", initiatives.initiative, name="initiative"),
    path("initiatives/<int:pk>/support", initiatives.support, name="support"),
    path("initiatives/<int:pk>/withdraw", initiatives.withdraw, name="withdraw"),
    path("initiatives/<int:pk>/respond", initiatives.respond, name="respond"),
]
