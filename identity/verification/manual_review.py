"""Manual review: the citizen asks (optionally with a scan of a document); an official decides."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from identity.models import User
from identity.services import request_review
from identity.verification import Outcome, VerificationHandler, register
from identity.verification.fields import ResidentDetailsForm

MAX_DOCUMENT_BYTES = 5 * 2**20
# The first bytes decide the type; the file name and the browser's claim are not trusted.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


class ManualReviewForm(ResidentDetailsForm):
    note = forms.CharField(
        label=_("Message to the reviewer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.FileField(
        label=_("Scan or photo of your document"),
        required=False,
        help_text=_(
            "Optional. PDF, PNG or JPEG, at most 5 MB. Deleted once your request is decided."
        ),
    )

    def clean_document(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The document is larger than 5 MB."))
        kind = sniff_type(upload)
        if kind is None:
            raise forms.ValidationError(_("The document must be a PDF, PNG or JPEG file."))
        upload.sniffed_type = kind
        return upload


@register
class ManualReview(VerificationHandler):
    name = "manual"
    label = _("Manual review")
    description = _(
        "An official of the city checks your details, in person or from the document you upload, "
        "and approves or rejects your request with a reason."
    )
    form_class = ManualReviewForm

    def submit(self, *, user: User, data: dict) -> Outcome:
        upload = data.get("document")
        request = request_review(
            user=user,
            document_hash=data["document_number"],
            district=data["district"],
            birth_date=data["birth_date"],
            note=data.get("note", ""),
            document=upload,
            document_type=getattr(upload, "sniffed_type", "") if upload else "",
        )
        return Outcome(verified=False, request=request)
