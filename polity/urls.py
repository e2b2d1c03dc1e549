from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from polity import errors, health, views

handler400 = "polity.errors.bad_request"
handler403 = "polity.errors.permission_denied"
handler404 = "polity.errors.page_not_found"
handler500 = "polity.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("identity.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("ledger/", include("ledger.urls")),
    path("elections/", include("voting.urls")),
    path("proposals/", include("governance.urls")),
    path("", include("governance.urls_city")),  # /projects/ and /feedback/
    path("id/", include("identity.urls")),
    path(".well-known/", include("identity.urls_well_known")),
    path("api/", views.api_root, name="api-root"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/ledger/", include("ledger.api_urls")),
    path("api/elections/", include("voting.api_urls")),
    path("api/identity/", include("identity.api_urls")),
    path("api/governance/", include("governance.api_urls")),
    # Exempt: an unknown API address is a 404 for every method, not a CSRF failure.
    re_path(r"^api/", csrf_exempt(errors.page_not_found)),
]
