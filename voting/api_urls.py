"""API routes of this app, mounted under /api/ by polity/urls.py."""

urlpatterns: list = []
