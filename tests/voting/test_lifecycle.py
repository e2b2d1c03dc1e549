"""Every transition of the election state machine, its ledger anchor, and each refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ledger.leaf import payload_digest
from voting import record, services
from voting.crypto import deal_shares, generate_trustee
from voting.models import Election, ElectionAnchor
from voting.services.errors import Invalid, NotAllowed, WrongState

from .factories import (
    draft_election,
    make_citizens,
    make_trustees,
    make_user,
    open_election_with,
    run_ceremony,
)

pytestmark = pytest.mark.django_db
State = Election.State


def kinds(election: Election) -> list[str]:
    return list(ElectionAnchor.objects.filter(election=election).values_list("kind", flat=True))


def test_draft_to_open_anchors_each_step_with_the_spec_payloads():
    election, _, _ = open_election_with(voters=2)
    assert election.state == State.OPEN
    assert kinds(election) == ["election.ceremony", "election.frozen", "election.opened"]
    frozen = ElectionAnchor.objects.get(election=election, kind="election.frozen").entry
    assert set(frozen.payload) == {
        "election",
        "fingerprint",
        "public_key",
        "manifest_sha256",
        "roll_sha256",
        "ceremony_sha256",
    }
    assert frozen.payload["manifest_sha256"] == record.digest(election.manifest)
    assert bytes(frozen.leaf).endswith(payload_digest(frozen.payload).hex().encode() + b"\n")
    opened = ElectionAnchor.objects.get(election=election, kind="election.opened").entry
    assert opened.payload == {"election": election.public_id, "fingerprint": election.fingerprint}


def test_the_roll_holds_every_eligible_resident_under_a_random_alias_never_the_name():
    election, citizens, _ = open_election_with(voters=3)
    roll = list(election.roll.select_related("user"))
    assert {r.user for r in roll} == set(citizens)  # trustees are not residents here
    for entry in roll:
        assert entry.alias.startswith("v-") and entry.user.username not in entry.alias
        assert entry.alias != entry.user.public_alias


def test_district_scope_restricts_the_roll_to_that_district():
    inside = make_citizens(2, prefix="in", district_number=2)
    make_citizens(2, prefix="out", district_number=3)
    trustees = make_trustees(1)
    election = draft_election(trustees=trustees, threshold=1, district_number=2)
    services.start_ceremony(election=election)
    run_ceremony(election, trustees)
    services.freeze_election(election=election)
    assert {r.user for r in election.roll.all()} == set(inside)
    assert election.manifest["scope"] == "2"


def test_weights_go_on_the_roll_and_zero_keeps_a_person_off():
    citizens = make_citizens(3)
    trustees = make_trustees(1)
    election = draft_election(trustees=trustees, threshold=1)
    services.start_ceremony(election=election)
    run_ceremony(election, trustees)
    weights = {citizens[0].pk: 5, citizens[1].pk: 0}
    services.freeze_election(election=election, weights=weights)
    roll = {r.user: r.weight for r in election.roll.all()}
    assert roll == {citizens[0]: 5, citizens[2]: 1}


def test_an_incomplete_draft_cannot_start_the_ceremony():
    trustees = make_trustees(2)
    election = services.create_election(title="Empty")
    with pytest.raises(Invalid, match="contest"):
        services.start_ceremony(election=election)
    services.add_contest(election=election, title="Q", options=["only one"])
    with pytest.raises(Invalid, match="two options"):
        services.start_ceremony(election=election)
    contest = election.contests.get()
    services.set_options(contest=contest, labels=["yes", "no"])
    with pytest.raises(Invalid, match="trustees"):
        services.start_ceremony(election=election)
    services.set_trustees(election=election, users=trustees, threshold=2)
    services.start_ceremony(election=election)
    election.refresh_from_db()
    assert election.state == State.KEY_CEREMONY
    assert election.manifest["contests"] == [
        {
            "id": "c1",
            "selections": ["o1", "o2"],
            "max_votes": 1,
            "min_votes": 0,
            "max_per_selection": 1,
        }
    ]


def test_only_drafts_can_be_edited_and_threshold_must_fit():
    trustees = make_trustees(2)
    with pytest.raises(Invalid, match="threshold"):
        draft_election(trustees=trustees, threshold=3)
    election = draft_election(trustees=trustees, threshold=2, title="Edit me")
    services.start_ceremony(election=election)
    with pytest.raises(WrongState):
        services.update_election(election=election, title="Changed")
    with pytest.raises(WrongState):
        services.add_contest(election=election, title="Late", options=["a", "b"])


def test_trustees_need_the_trustee_role():
    plain = make_user("plain")
    election = services.create_election(title="T")
    with pytest.raises(NotAllowed, match="trustee role"):
        services.set_trustees(election=election, users=[plain], threshold=1)


def test_freeze_is_refused_until_every_trustee_confirmed_and_with_no_eligible_voter():
    trustees = make_trustees(2)
    election = draft_election(trustees=trustees, threshold=2)
    services.start_ceremony(election=election)
    with pytest.raises(WrongState, match="not finished"):
        services.freeze_election(election=election)
    run_ceremony(election, trustees)
    with pytest.raises(Invalid, match="Nobody is eligible"):
        services.freeze_election(election=election)
    election.refresh_from_db()
    assert election.state == State.KEY_CEREMONY and not election.fingerprint
    assert "election.frozen" not in kinds(election)


def test_open_close_and_illegal_transitions_are_refused():
    election, _, _ = open_election_with(voters=1)
    with pytest.raises(WrongState):
        services.open_election(election=election)
    with pytest.raises(WrongState):
        services.freeze_election(election=election)
    services.close_election(election=election)
    election.refresh_from_db()
    assert election.state == State.CLOSED and election.closed_at
    closed = ElectionAnchor.objects.get(election=election, kind="election.closed").entry
    assert closed.payload == record.closed_payload(election.public_id, [])
    with pytest.raises(WrongState):
        services.close_election(election=election)
    with pytest.raises(WrongState):
        services.open_election(election=election)


def test_cancel_needs_a_reason_is_anchored_and_final():
    election, _, _ = open_election_with(voters=1)
    with pytest.raises(Invalid):
        services.cancel_election(election=election, reason=" ")
    services.cancel_election(election=election, reason="Court order")
    election.refresh_from_db()
    assert election.state == State.CANCELLED
    entry = ElectionAnchor.objects.get(election=election, kind="election.cancelled").entry
    assert entry.payload == {
        "election": election.public_id,
        "from": "open",
        "reason": "Court order",
    }
    with pytest.raises(WrongState):
        services.cancel_election(election=election, reason="again")
    with pytest.raises(WrongState):
        services.open_election(election=election)


def test_the_schedule_opens_and_closes_on_time():
    election, _, _ = open_election_with(voters=1)
    # Back to a ready election with a schedule: make a second one that stays ready.
    trustees = make_trustees(1, prefix="t2-")
    now = timezone.now()
    ready = draft_election(trustees=trustees, threshold=1, title="Scheduled")
    services.update_election(
        election=ready, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=2)
    )
    services.start_ceremony(election=ready)
    run_ceremony(ready, trustees)
    services.freeze_election(election=ready)
    assert services.apply_schedule(now) == []
    assert services.apply_schedule(now + timedelta(hours=1, minutes=1)) == [(ready.pk, State.OPEN)]
    assert services.apply_schedule(now + timedelta(hours=2, minutes=1)) == [
        (ready.pk, State.CLOSED)
    ]
    ready.refresh_from_db()
    assert ready.state == State.CLOSED
    election.refresh_from_db()
    assert election.state == State.OPEN  # no closing time: stays open until closed by hand


def test_a_complaint_is_anchored_blocks_freezing_and_a_restart_clears_the_ceremony():
    trustees = make_trustees(2)
    make_citizens(1)
    election = draft_election(trustees=trustees, threshold=2)
    services.start_ceremony(election=election)
    # Publish and deal, then trustee 2 complains about trustee 1.
    election.refresh_from_db()
    ceremony = bytes.fromhex(election.ceremony_id)
    pairs = []
    for t in election.trustees.select_related("user"):
        secret, public = generate_trustee(ceremony, t.index, t.user.public_alias, 2)
        services.post_trustee_public(election=election, user=t.user, public=public.to_json())
        pairs.append((t.user, secret, public))
    for user, secret, _ in pairs:
        boxes = [b.to_json() for b in deal_shares(ceremony, secret, [p for _, _, p in pairs])]
        if secret.index == 1:  # trustee 1 cheats: its box for trustee 2 does not open
            boxes[0]["ciphertext"] = ("00" if boxes[0]["ciphertext"][:2] != "00" else "11") + (
                boxes[0]["ciphertext"][2:]
            )
        services.post_share_boxes(election=election, user=user, boxes=boxes)
    services.post_share_verdict(
        election=election,
        user=trustees[1],
        ok=False,
        against=1,
        reason="share does not open",
        box_secret=pairs[1][1].box_secret.hex(),
    )
    entry = ElectionAnchor.objects.get(election=election, kind="election.complaint").entry
    assert entry.payload["against"] == 1 and entry.payload["trustee"] == 2
    with pytest.raises(WrongState, match="complained"):
        services.freeze_election(election=election)
    services.restart_ceremony(election=election)
    election.refresh_from_db()
    assert election.ceremony_attempt == 2
    assert not election.share_boxes.exists()
    assert not election.trustees.filter(public__isnull=False).exists()
    run_ceremony(election, trustees)
    services.freeze_election(election=election)


def test_an_election_driven_by_another_app_refuses_a_managers_open_close_and_cancel():
    election, _, _ = open_election_with(voters=2)
    Election.objects.filter(pk=election.pk).update(driven_by="governance")
    election.refresh_from_db()
    admin = make_user("manager")
    for attempt in (
        lambda: services.close_election(election=election, by=admin),
        lambda: services.cancel_election(election=election, reason="too early", by=admin),
    ):
        with pytest.raises(WrongState, match="driven by governance"):
            attempt()
    election.refresh_from_db()
    assert election.state == State.OPEN
    services.close_election(election=election, driver="governance")
    election.refresh_from_db()
    assert election.state == State.CLOSED


def test_the_schedule_leaves_driven_elections_to_their_driver():
    election, _, _ = open_election_with(voters=2)
    Election.objects.filter(pk=election.pk).update(
        driven_by="governance", closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.apply_schedule() == []
    election.refresh_from_db()
    assert election.state == State.OPEN
