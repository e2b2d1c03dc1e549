"""Pages for the city's verification officials (permission ``identity.verify_residents``):
census import, the manual review queue, and the residents' credentials."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from identity import selectors, services
from identity.census import CensusImportError, import_census
from identity.forms_official import CensusUploadForm, DecisionForm, StatusActionForm
from identity.models import Credential, VerificationRequest

PERMISSION = "identity.verify_residents"


def _render(request: HttpRequest, status: int = 200, **forms: object) -> HttpResponse:
    context = {
        "census_form": forms.get("census_form") or CensusUploadForm(),
        "requests": selectors.pending_requests(),
        "residencies": selectors.active_residencies().prefetch_related("credentials"),
        "decision_errors": forms.get("decision_errors", {}),
    }
    return render(request, "identity/official.html", context, status=status)


@login_required
@permission_required(PERMISSION, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    return _render(request)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def census_upload(request: HttpRequest) -> HttpResponse:
    form = CensusUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = import_census(data=form.cleaned_data["file"].read(), imported_by=request.user)
        except CensusImportError as exc:
            for error in exc.errors[:50]:
                form.add_error("file", error)
        else:
            messages.success(
                request,
                _(
                    "Census imported: %(created)d new, %(updated)d updated, %(unchanged)d "
                    "unchanged, %(reverified)d residents re-verified."
                )
                % vars(result),
            )
            return redirect("identity:official")
    return _render(request, status=400, census_form=form)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(VerificationRequest, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_request(
                request=review,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.IdentityRefusal as exc:
            return _render(request, status=400, decision_errors={review.pk: str(exc)})
        messages.success(request, _("Decision saved."))
        return redirect("identity:official")
    return _render(request, status=400, decision_errors={review.pk: _("Choose a decision.")})


@login_required
@permission_required(PERMISSION, raise_exception=True)
def request_document(request: HttpRequest, pk: int) -> FileResponse:
    review = get_object_or_404(VerificationRequest, pk=pk)
    if not review.document:
        raise Http404
    return FileResponse(
        review.document.open("rb"), content_type=review.document_type, as_attachment=True
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def credential_status(request: HttpRequest, credential_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential, credential_id=credential_id)
    form = StatusActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect("identity:official")
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == "revoke":
            services.revoke_credential(credential=credential, reason=reason, by=request.user)
        elif action == "suspend":
            services.suspend_credential(credential=credential, by=request.user)
        elif action == "reinstate":
            services.reinstate_credential(credential=credential, by=request.user)
        else:
            services.reissue_credential(residency=credential.residency, by=request.user)
    except services.IdentityRefusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Credential updated."))
    return redirect("identity:official")
