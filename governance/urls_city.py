"""Project and feedback pages, mounted at the site root by polity/urls.py: /projects/, /feedback/."""

from django.urls import path

from governance.views import feedback, projects

app_name = "governance-city"
urlpatterns = [
    path("projects/", projects.projects, name="projects"),
    path("projects/new", projects.new_project, name="new-project"),
    path("projects/<int:pk>/", projects.project, name="project"),
    path("projects/<int:pk>/devices", projects.register_device, name="register-device"),
    path("projects/partners", projects.new_partner, name="new-partner"),
    path("feedback/", feedback.explorer, name="feedback"),
    path("feedback/post", feedback.post, name="post-feedback"),
    path("feedback/<int:pk>/moderate", feedback.moderate, name="moderate"),
]
