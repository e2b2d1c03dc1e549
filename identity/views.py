"""Pages of the digital ID: the citizen's wallet (/id/) and the public verifier (/id/verifier/).

Thin: forms come from the verification handlers, writes go through identity.services, reads
through identity.selectors. Presentations are derived in the browser (static/build/wallet.js);
the verifier page verifies on the server and, when JavaScript runs, once more in the browser.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from identity import selectors, services, verification
from identity.api_public import DISCLOSABLE
from identity.credential import STATUS_PURPOSES, SUBJECT_ATTRIBUTES
from identity.presentation import PresentationError
from polity import inputs

MAX_PRESENTATION_CHARS = 20_000
CHECK_LABELS = {
    "issuer": gettext_lazy("Issued by the city"),
    "issuer key": gettext_lazy("Issuer key in the city's DID document"),
    "nonce": gettext_lazy("Bound to your nonce"),
    "proof": gettext_lazy("Selective-disclosure proof"),
    "validity": gettext_lazy("Validity period"),
    "requested attributes": gettext_lazy("Requested attributes disclosed"),
    "revocation status": gettext_lazy("Not revoked"),
    "suspension status": gettext_lazy("Not suspended"),
}
ATTRIBUTE_LABELS = {
    "id": gettext_lazy("Credential identifier"),
    "credentialSubject.resident": gettext_lazy("Resident of the city"),
    "credentialSubject.district": gettext_lazy("District"),
    "credentialSubject.birthYear": gettext_lazy("Year of birth"),
    "credentialSubject.age_over_16": gettext_lazy("Aged 16 or over"),
    "credentialSubject.age_over_18": gettext_lazy("Aged 18 or over"),
    "credentialStatus.revocation": gettext_lazy("Revocation status entry"),
    "credentialStatus.suspension": gettext_lazy("Suspension status entry"),
}


def _wallet_context(request: HttpRequest, forms: dict | None = None) -> dict:
    user = request.user
    credential = selectors.current_credential(user)
    forms = forms or {}
    return {
        "residency": selectors.active_residency(user),
        "latest_request": selectors.latest_request(user),
        "credential": credential,
        "credential_state": selectors.credential_state(credential) if credential else "",
        "subject": credential.document["credentialSubject"] if credential else {},
        "handlers": [
            {"handler": h, "form": forms.get(h.name) or h.form_class(auto_id=f"{h.name}-%s")}
            for h in verification.handlers()
        ],
        "subject_attributes": SUBJECT_ATTRIBUTES,
    }


def index(request: HttpRequest) -> HttpResponse:
    """The wallet: verification state, ways to get verified, the credential and presenting it."""
    if not request.user.is_authenticated:
        return render(request, "identity/index.html", {})
    return render(request, "identity/index.html", _wallet_context(request))


@login_required
@require_POST
def submit_verification(request: HttpRequest, handler: str) -> HttpResponse:
    chosen = verification.get_handler(handler)
    if chosen is None:
        raise Http404
    form = chosen.form_class(request.POST, request.FILES, auto_id=f"{chosen.name}-%s")
    if form.is_valid():
        try:
            outcome = chosen.submit(user=request.user, data=form.cleaned_data)
        except services.IdentityRefusal as exc:
            form.add_error(None, str(exc))
            status = 429 if isinstance(exc, services.TooManyAttempts) else 400
        else:
            if outcome.verified:
                messages.success(request, _("You are verified. Your digital ID is ready."))
            else:
                messages.success(request, _("Your request was sent. An official will review it."))
            return redirect("identity:index")
    else:
        status = 400
    context = _wallet_context(request, {chosen.name: form})
    return render(request, "identity/index.html", context, status=status)


@login_required
def credential_download(request: HttpRequest) -> HttpResponse:
    credential = selectors.current_credential(request.user)
    if credential is None:
        raise Http404
    response = JsonResponse(credential.document, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="resident-credential.json"'
    return response


@login_required
@require_POST
def renew_credential(request: HttpRequest) -> HttpResponse:
    try:
        services.renew_credential(user=request.user)
    except services.IdentityRefusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your new credential is ready."))
    return redirect("identity:index")


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


@require_http_methods(["GET", "POST"])
def verifier(request: HttpRequest) -> HttpResponse:
    """For partners: set a nonce, ask for attributes, paste or scan a presentation, see the
    verdict with every check."""
    context = {
        "nonce": new_nonce(),
        "requested": [],
        "require_status": True,
        "presentation": "",
        "choices": SUBJECT_ATTRIBUTES,
    }
    if request.method == "POST":
        requested = [n for n in request.POST.getlist("required") if n in DISCLOSABLE]
        require_status = request.POST.get("require_status") == "on"
        text = request.POST.get("presentation", "")[:MAX_PRESENTATION_CHARS]
        context.update(
            nonce=request.POST.get("nonce", ""),
            requested=requested,
            require_status=require_status,
            presentation=text,
        )
        try:
            parsed = inputs.loads(text)
        except ValueError:
            context["error"] = _("The presentation is not valid JSON.")
        else:
            try:
                report = selectors.verify_presentation(
                    parsed,
                    nonce=context["nonce"],
                    required=requested,
                    require_status=STATUS_PURPOSES if require_status else (),
                )
            except PresentationError as exc:
                context["error"] = str(exc)
            else:
                context["report"] = report
                context["checks"] = [
                    (CHECK_LABELS.get(check.name, check.name), check) for check in report.checks
                ]
                context["attributes"] = [
                    (ATTRIBUTE_LABELS[path], value)
                    for path, value in report.disclosed.items()
                    if path.startswith("credentialSubject.")
                ]
        status = 400 if "error" in context else 200
        return render(request, "identity/verifier.html", context, status=status)
    return render(request, "identity/verifier.html", context)
