"""Sign up, log in and log out, with throttling of repeated attempts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.contrib.auth.views import LoginView, PasswordResetView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from identity.forms import LogInForm, SignUpForm
from identity.roles import CITIZEN
from polity.throttle import clear_attempts, client_address, is_throttled, record_attempt

THROTTLED = 429


def _throttled(
    request: HttpRequest, template: str, form: object, reason: str | None = None
) -> HttpResponse:
    messages.error(
        request, reason or _("Too many attempts. Please wait a few minutes and try again.")
    )
    response = render(request, template, {"form": form}, status=THROTTLED)
    response["Retry-After"] = str(settings.AUTH_THROTTLE_WINDOW_SECONDS)
    return response


class ThrottledLoginView(LoginView):
    """Django's log-in, refusing with 429 after too many failures from one address.

    Failures count per (address, account name) pair, and more loosely per address alone (one
    address trying many names). Nothing counts per account name alone: that would let anyone
    lock a citizen, or the administrator, out by failing on purpose from anywhere.
    """

    template_name = "registration/login.html"
    authentication_form = LogInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        address = client_address(request)
        pair = f"{address} {request.POST.get('username', '').strip()}"
        if is_throttled("login", pair):
            reason = _(
                "Too many failed log-ins to this account from your connection. Wait a few "
                "minutes and try again, or reset your password."
            )
            return _throttled(request, self.template_name, self.get_form(), reason)
        if is_throttled("login-address", address, limit=settings.AUTH_THROTTLE_ADDRESS_ATTEMPTS):
            reason = _(
                "Too many failed log-ins from your connection. Wait a few minutes and try again."
            )
            return _throttled(request, self.template_name, self.get_form(), reason)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            # The address's own count stays: logging in to one's own account between guesses
            # must not reset a sprayer's budget.
            clear_attempts("login", pair)
        else:
            record_attempt("login", pair)
            record_attempt("login-address", address)
        return response


class ThrottledPasswordResetView(PasswordResetView):
    template_name = "registration/password_reset_form.html"

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        address = client_address(request)
        if is_throttled("reset", address):
            return _throttled(request, self.template_name, self.get_form())
        record_attempt("reset", address)
        return super().post(request, *args, **kwargs)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    template = "registration/signup.html"
    if request.method == "POST":
        address = client_address(request)
        form = SignUpForm(request.POST)
        if is_throttled("signup", address):
            return _throttled(request, template, form)
        record_attempt("signup", address)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                user.groups.add(Group.objects.get(name=CITIZEN))
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("home")
        return render(request, template, {"form": form}, status=400)
    return render(request, template, {"form": SignUpForm()})
