from django.urls import path

from voting.views import booth, manage, public

app_name = "voting"
urlpatterns = [
    path("", public.index, name="index"),
    path("new", manage.create, name="create"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/vote", booth.vote, name="vote"),
    path("<int:pk>/trustee", booth.trustee, name="trustee"),
    path("<int:pk>/results", public.results, name="results"),
    path("<int:pk>/board", public.board, name="board"),
    path("<int:pk>/audited", public.audited_list, name="audited"),
    path("<int:pk>/audited/<str:tracker>", public.audited_ballot, name="audited-ballot"),
    path("<int:pk>/record.json", public.record_json, name="record"),
    path("<int:pk>/verify", public.verify, name="verify"),
    path("<int:pk>/manage", manage.dashboard, name="manage"),
    path("<int:pk>/manage/edit", manage.edit, name="edit"),
    path("<int:pk>/manage/contests/new", manage.contest, name="contest-new"),
    path("<int:pk>/manage/contests/<int:contest_id>", manage.contest, name="contest"),
    path(
        "<int:pk>/manage/contests/<int:contest_id>/delete",
        manage.delete_contest,
        name="contest-delete",
    ),
    path("<int:pk>/manage/trustees", manage.trustees, name="trustees"),
    path("<int:pk>/manage/preview", manage.preview, name="preview"),
    path("<int:pk>/manage/<slug:action>", manage.transition, name="transition"),
]
