"""Census match: the citizen's details equal a row of the imported census → verified at once."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from identity.models import CensusRecord, Residency, User
from identity.services import IdentityRefusal, TooManyAttempts, verify_resident
from identity.verification import Outcome, VerificationHandler, register
from identity.verification.fields import ResidentDetailsForm
from polity.throttle import is_throttled, record_attempt


@register
class CensusMatch(VerificationHandler):
    name = "census"
    label = gettext_lazy("Census match")
    description = gettext_lazy(
        "Enter your document number, date of birth and district as registered in the city's "
        "census. If they match, you are verified immediately."
    )
    form_class = ResidentDetailsForm

    def submit(self, *, user: User, data: dict) -> Outcome:
        """Throttled per account: guessing someone else's details takes more than a few tries."""
        key = str(user.pk)
        if is_throttled("census-match", key):
            raise TooManyAttempts(_("Too many attempts. Please wait a few minutes and try again."))
        record = CensusRecord.objects.filter(document_hash=data["document_number"]).first()
        if (
            record is None
            or record.birth_date != data["birth_date"]
            or record.district_id != data["district"].pk
        ):
            # One reason for every mismatch: the answer must not reveal which field was wrong.
            record_attempt("census-match", key)
            raise IdentityRefusal(
                _("No census record matches these details. Check them, or ask for a manual review.")
            )
        residency = verify_resident(
            user=user,
            document_hash=record.document_hash,
            district=record.district,
            birth_date=record.birth_date,
            method=Residency.Method.CENSUS,
        )
        return Outcome(verified=True, residency=residency)
