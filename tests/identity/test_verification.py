"""Verifying residents: census match, manual review, one account per document, moving district."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from identity import selectors, services
from identity.census import import_census
from identity.models import CensusRecord, Credential, Residency, VerificationRequest
from identity.services import IdentityRefusal, TooManyAttempts
from identity.verification import get_handler, handlers
from tests.identity.conftest import census_csv, census_match, details, make_user


def test_both_handlers_are_registered():
    assert {handler.name for handler in handlers()} == {"census", "manual"}


def test_census_match_verifies_and_issues_a_credential(citizen, census):
    outcome = census_match(citizen, "x-1234567-a", 1, "1990-04-01")  # normalised number
    assert outcome.verified
    residency = selectors.active_residency(citizen)
    assert residency.district.number == 1
    assert residency.method == Residency.Method.CENSUS
    credential = selectors.current_credential(citizen)
    subject = credential.document["credentialSubject"]
    assert subject == {
        "resident": True,
        "district": 1,
        "birthYear": 1990,
        "age_over_16": True,
        "age_over_18": True,
    }
    assert selectors.credential_state(credential) == "valid"


@pytest.mark.parametrize(
    ("document", "district", "born"),
    [
        ("X1234567B", 1, "1990-04-01"),  # unknown document
        ("X1234567A", 2, "1990-04-01"),  # wrong district
        ("X1234567A", 1, "1990-04-02"),  # wrong birth date
    ],
)
def test_census_mismatch_is_refused_with_one_reason(citizen, census, document, district, born):
    with pytest.raises(IdentityRefusal, match="No census record matches these details"):
        census_match(citizen, document, district, born)
    assert selectors.active_residency(citizen) is None
    assert not Credential.objects.exists()


def test_repeated_census_mismatches_are_throttled(citizen, census, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    for _ in range(3):
        with pytest.raises(IdentityRefusal):
            census_match(citizen, "X1234567A", 2, "1990-04-01")
    with pytest.raises(TooManyAttempts):
        census_match(citizen, "X1234567A", 1, "1990-04-01")  # even the right details


def test_one_verified_account_per_document(resident, census):
    other = make_user("mallory")
    with pytest.raises(IdentityRefusal, match="already verified for another account"):
        census_match(other, "X1234567A", 1, "1990-04-01")
    assert selectors.active_residency(other) is None


def test_database_refuses_a_second_active_residency_for_a_document(resident):
    from django.db import IntegrityError, transaction

    first = selectors.active_residency(resident)
    other = make_user("mallory")
    with pytest.raises(IntegrityError), transaction.atomic():
        Residency.objects.create(
            user=other,
            document_hash=first.document_hash,
            district=first.district,
            birth_date=first.birth_date,
            method=Residency.Method.MANUAL,
        )


def test_an_account_cannot_switch_to_another_document(resident):
    with pytest.raises(IdentityRefusal, match="different document"):
        census_match(resident, "Z0000001C", 3, "1975-07-15")


def test_verifying_again_with_the_same_details_changes_nothing(resident):
    before = selectors.current_credential(resident)
    census_match(resident, "X1234567A", 1, "1990-04-01")
    assert selectors.current_credential(resident) == before
    assert Credential.objects.count() == 1


def test_moving_district_revokes_the_old_credential_and_issues_a_new_one(resident, official):
    old = selectors.current_credential(resident)
    result = import_census(data=census_csv([("X1234567A", 2, "1990-04-01")]), imported_by=official)
    assert result.updated == 1
    assert result.reverified == 1
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert old.revocation_reason == "Moved to another district"
    new = selectors.current_credential(resident)
    assert new != old
    assert new.document["credentialSubject"]["district"] == 2
    history = Residency.objects.filter(user=resident).order_by("verified_at", "id")
    assert [(r.district.number, r.end_reason) for r in history] == [(1, "moved"), (2, "")]


def test_citizen_initiated_reverification_after_the_census_changed(resident, districts):
    # The census now says district 3 (changed directly, so no automatic re-verification ran);
    # the citizen re-verifies through the census match form with the new district.
    hashed = details("X1234567A", 1, "1990-04-01")["document_number"]
    CensusRecord.objects.filter(document_hash=hashed).update(district=districts[3])
    census_match(resident, "X1234567A", 3, "1990-04-01")
    assert selectors.active_residency(resident).district.number == 3
    assert Residency.objects.filter(user=resident).count() == 2
    states = sorted(selectors.credential_state(c) for c in Credential.objects.filter(user=resident))
    assert states == ["revoked", "valid"]


def _manual(user, document="M5550001D", district=2, born="1988-02-03", upload=None):
    data = details(document, district, born)
    data["note"] = "I moved here last month."
    form_class = get_handler("manual").form_class
    form = form_class(
        data={"document_number": document, "district": district, "birth_date": born},
        files={"document": upload} if upload else {},
    )
    assert form.is_valid(), form.errors
    return get_handler("manual").submit(user=user, data=form.cleaned_data)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_manual_review_approved_verifies_and_deletes_the_upload(
    citizen, official, districts, django_capture_on_commit_callbacks
):
    outcome = _manual(citizen, upload=SimpleUploadedFile("id.png", PNG, "image/png"))
    assert not outcome.verified
    request = outcome.request
    assert request.status == VerificationRequest.Status.PENDING
    assert request.document_type == "image/png"
    stored = request.document.path
    with open(stored, "rb") as handle:
        assert handle.read() == PNG
    with pytest.raises(IdentityRefusal, match="already have a request"):
        _manual(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_request(request=request, approve=True, reason="", by=official)
    assert not os.path.exists(stored)
    request.refresh_from_db()
    assert request.status == VerificationRequest.Status.APPROVED
    assert selectors.active_residency(citizen).method == Residency.Method.MANUAL
    assert selectors.active_residency(citizen).verified_by == official
    assert selectors.current_credential(citizen) is not None
    assert not request.document


def test_manual_review_rejected_shows_the_reason(citizen, official, districts):
    request = _manual(citizen).request
    with pytest.raises(IdentityRefusal, match="reason"):
        services.decide_request(request=request, approve=False, reason=" ", by=official)
    services.decide_request(
        request=request, approve=False, reason="The document had expired.", by=official
    )
    latest = selectors.latest_request(citizen)
    assert latest.status == VerificationRequest.Status.REJECTED
    assert latest.reason == "The document had expired."
    assert selectors.active_residency(citizen) is None
    with pytest.raises(IdentityRefusal, match="already been decided"):
        services.decide_request(request=request, approve=True, reason="", by=official)


def test_officials_do_not_review_their_own_request(official, districts):
    request = _manual(official).request
    with pytest.raises(IdentityRefusal, match="own request"):
        services.decide_request(request=request, approve=True, reason="", by=official)


def test_manual_approval_still_respects_one_account_per_document(resident, official):
    other = make_user("mallory")
    with pytest.raises(IdentityRefusal, match="another account"):
        _manual(other, document="X1234567A", district=1, born="1990-04-01")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("id.txt", b"just text, not a scan", "PDF, PNG or JPEG"),
        ("id.pdf", b"GIF89a" + b"\0" * 10, "PDF, PNG or JPEG"),  # the name lies
        ("big.pdf", b"%PDF-1.7" + b"\0" * (5 * 2**20), "larger than 5 MB"),
    ],
)
def test_uploaded_documents_are_checked_for_type_and_size(districts, name, content, message):
    form = get_handler("manual").form_class(
        data={"document_number": "M5550001D", "district": 2, "birth_date": "1988-02-03"},
        files={"document": SimpleUploadedFile(name, content)},
    )
    assert not form.is_valid()
    assert message in form.errors["document"][0]


def test_withdrawing_a_verification_revokes_and_removes_eligibility(resident, official):
    residency = selectors.active_residency(resident)
    services.end_residency(residency=residency, by=official)
    assert selectors.active_residency(resident) is None
    assert selectors.current_credential(resident) is None
    assert Credential.objects.get(user=resident).revoked_at is not None
    assert not selectors.eligible_voters(None).filter(pk=resident.pk).exists()
