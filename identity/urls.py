from django.urls import path

from identity import views

app_name = "identity"
urlpatterns = [
    path("", views.index, name="index"),
]
