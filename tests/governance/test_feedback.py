"""Citizen feedback: who may post, the commitment, batching onto the ledger, moderation."""

import pytest

from governance import commitments
from governance.models import CityService, Feedback
from governance.services import feedback as feedback_services
from governance.services.errors import Invalid, NotAllowed, WrongState
from ledger import selectors as ledger_selectors
from ledger import services as ledger
from ledger.keys import log_verifier_key
from ledger.verify import receipt_verified, verify_receipt
from tests.governance.helpers import T0, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def waste(db):
    return CityService.objects.create(key="waste", name="Waste collection")


def post(author, target, **kwargs):
    return feedback_services.post_feedback(author=author, target=target, now=T0, **kwargs)


def test_verified_residents_rate_and_comment(residents, waste):
    item = post(residents[0], waste, rating=4, text="Bins emptied on time.")
    assert item.target_ref == "service:waste" and item.author_alias == residents[0].public_alias
    opening = feedback_services.opening_of(item)
    assert commitments.matches(opening, item.commitment)
    assert opening["created"] == "2026-03-02T09:00:00.000000Z"


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"rating": 6}, "rating"),
        ({"rating": 0}, "rating"),
        ({"rating": True}, "rating"),
        ({}, "rating, a comment"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "bad \ud800 surrogate"}, "text"),
    ],
)
def test_malformed_feedback_is_refused(residents, waste, kwargs, reason):
    with pytest.raises(Invalid, match=reason):
        post(residents[0], waste, **kwargs)
    assert not Feedback.objects.exists()


def test_accounts_that_are_not_verified_residents_cannot_post(waste):
    with pytest.raises(NotAllowed):
        post(make_user("anonymous"), waste, rating=1)


def test_the_batch_anchors_each_item_with_its_own_receipt(residents, waste, tmp_path):
    items = [post(r, waste, rating=i + 1) for i, r in enumerate(residents)]
    assert feedback_services.anchor_pending(batch=3) == 3
    assert feedback_services.anchor_pending() == 2
    assert feedback_services.anchor_pending() == 0
    ledger.sequence_pending()
    for item in items:
        item.refresh_from_db()
        assert item.entry.kind == "feedback.received"
        assert item.entry.payload["commitment"] == item.commitment
        assert "text" not in item.entry.payload
        receipt = ledger_selectors.receipt_for(item.entry)
        assert receipt.startswith("c2sp.org/tlog-proof@v1\n")
    assert len({i.entry_id for i in items}) == len(items)


def test_moderation_hides_the_text_and_keeps_the_commitment_verifiable(residents, waste, admin):
    item = post(residents[0], waste, rating=1, text="The driver, John Smith of 4 Elm St, was rude.")
    feedback_services.anchor_pending()
    ledger.sequence_pending()
    item.refresh_from_db()
    received = item.entry
    hidden = feedback_services.moderate_feedback(
        feedback=item, by=admin, reason="Names a private person."
    )
    assert hidden.state == Feedback.State.HIDDEN
    assert hidden.moderation_entry.payload["reason"] == "Names a private person."
    assert hidden.moderation_entry.payload["commitment"] == item.commitment
    # The item's receipt still verifies against the payload carrying the commitment...
    checks = verify_receipt(
        ledger_selectors.receipt_for(received),
        log_key=log_verifier_key(),
        payload=feedback_services.received_payload(hidden),
    )
    assert receipt_verified(checks), checks
    # ...and the author's opening (text + salt) still matches the commitment on the ledger.
    opening = feedback_services.opening_of(hidden)
    assert opening["text"].startswith("The driver")
    assert commitments.matches(opening, received.payload["commitment"])
    forged = {**opening, "text": "The driver was great."}
    assert not commitments.matches(forged, received.payload["commitment"])


def test_only_moderators_hide_and_only_once_with_a_reason(residents, waste, admin):
    item = post(residents[0], waste, text="Fine.")
    with pytest.raises(NotAllowed):
        feedback_services.moderate_feedback(feedback=item, by=residents[1], reason="no")
    with pytest.raises(Invalid, match="reason"):
        feedback_services.moderate_feedback(feedback=item, by=admin, reason="  ")
    feedback_services.moderate_feedback(feedback=item, by=admin, reason="Off topic")
    with pytest.raises(WrongState):
        feedback_services.moderate_feedback(feedback=item, by=admin, reason="Again")


def test_receipts_of_feedback_verify_offline(residents, waste):
    item = post(residents[0], waste, rating=5)
    feedback_services.anchor_pending()
    ledger.sequence_pending()
    item.refresh_from_db()
    receipt = ledger_selectors.receipt_for(item.entry)
    good = verify_receipt(receipt, log_key=log_verifier_key(), payload=item.entry.payload)
    assert receipt_verified(good), good
    tampered = {**item.entry.payload, "rating": 1}
    bad = verify_receipt(receipt, log_key=log_verifier_key(), payload=tampered)
    assert not receipt_verified(bad)
