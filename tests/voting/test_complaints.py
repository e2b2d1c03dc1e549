"""Complaints in the key ceremony are publicly verifiable: the complainer reveals its box secret,
the server opens the accused's box with it and upholds the complaint only if the share is bad.
An upheld complaint names the cheating sender with evidence anyone can re-check; a false one, or
one whose secret is not the complainer's, is refused and leaves no trace."""

import json

import pytest

from tests.voting.factories import (
    draft_election,
    make_admin,
    make_citizens,
    make_trustees,
    run_ceremony,
)
from voting import services
from voting.crypto import (
    EncryptedShare,
    Scalar,
    ShareError,
    TrusteePublic,
    check_share,
    deal_shares,
    generate_trustee,
)
from voting.crypto.curve import Q
from voting.crypto.sharebox import open_share, seal_share
from voting.crypto.threshold import evaluate
from voting.models import ElectionAnchor, ShareBox
from voting.models.ceremony import Complaint
from voting.services.ceremony import judge_complaint
from voting.services.errors import Invalid, NotAllowed, ProofRejected, WrongState

pytestmark = pytest.mark.django_db


def post(client, url: str, body: object):
    return client.post(url, json.dumps(body), content_type="application/json")


def dealt(*, cheat: bool = False):
    """A 2-of-3 ceremony with every share sent; with ``cheat``, trustee 1's share for trustee 2
    is sealed properly but is not the value its commitments promise."""
    people = make_trustees(3)
    election = draft_election(trustees=people, threshold=2)
    services.start_ceremony(election=election)
    election.refresh_from_db()
    ceremony = bytes.fromhex(election.ceremony_id)
    kits = {}
    for t in election.trustees.select_related("user").order_by("index"):
        secret, public = generate_trustee(ceremony, t.index, t.user.public_alias, 2)
        services.post_trustee_public(election=election, user=t.user, public=public.to_json())
        kits[t.index] = (t.user, secret, public)
    publics = [p for _, _, p in kits.values()]
    for index, (user, secret, _) in kits.items():
        boxes = deal_shares(ceremony, secret, publics)
        if cheat and index == 1:
            wrong = Scalar((evaluate(secret.coefficients, 2) + 1) % Q)
            boxes = [
                seal_share(ceremony, 1, 2, kits[2][2].box_key, wrong) if b.recipient == 2 else b
                for b in boxes
            ]
        services.post_share_boxes(election=election, user=user, boxes=[b.to_json() for b in boxes])
    return election, kits


def complain(election, kits, who: int, against: int, secret: bytes | None = None) -> object:
    user, own, _ = kits[who]
    return services.post_share_verdict(
        election=election,
        user=user,
        ok=False,
        against=against,
        reason="share does not match",
        box_secret=(secret if secret is not None else own.box_secret).hex(),
    )


def nothing_stored(election) -> bool:
    return (
        not Complaint.objects.filter(election=election).exists()
        and not ElectionAnchor.objects.filter(election=election, kind="election.complaint")
        and not election.trustees.exclude(verdict="").exists()
    )


def test_an_upheld_complaint_names_the_cheat_with_evidence_anyone_can_recheck(client):
    election, kits = dealt(cheat=True)
    trustee = complain(election, kits, who=2, against=1)
    assert trustee.verdict == "complaint" and trustee.complaint_against == 1

    # The ceremony API shows it to anyone who may see the election, with the evidence.
    client.force_login(kits[3][0])
    state = client.get(f"/api/elections/{election.pk}/ceremony").json()
    [shown] = state["complaints"]
    assert shown["trustee"] == 2 and shown["against"] == 1 and shown["upheld"] is True
    assert "does not match the published commitments" in shown["finding"]
    by_index = {t["index"]: t for t in state["trustees"]}
    assert by_index[2]["complaint"] == shown and by_index[1]["complaint"] is None

    # Re-checked from the published evidence alone, without the server: the secret is the one
    # of trustee 2's published box key, it opens trustee 1's box, and the share is wrong.
    secret = bytes.fromhex(shown["box_secret"])
    assert by_index[2]["public"]["box_key"] == shown["box_key"] == kits[2][2].box_key.hex()
    accused = TrusteePublic.from_json(by_index[1]["public"])
    assert shown["accused_public"] == by_index[1]["public"]
    value = open_share(
        bytes.fromhex(state["ceremony"]), secret, EncryptedShare.from_json(shown["box"])
    )
    with pytest.raises(ShareError, match="trustee 1"):
        check_share(accused, 2, value)
    assert judge_complaint(
        bytes.fromhex(state["ceremony"]),
        2,
        secret,
        bytes.fromhex(shown["box_key"]),
        shown["box"],
        accused,
    )

    # The ledger anchors the complaint with its evidence.
    entry = ElectionAnchor.objects.get(election=election, kind="election.complaint").entry
    assert entry.payload["trustee"] == 2 and entry.payload["against"] == 1
    assert entry.payload["box_secret"] == shown["box_secret"] and entry.payload["upheld"] is True

    # The election cannot go on with this key; a restart runs a fresh ceremony to the end, and
    # the upheld complaint of the first attempt stays on the record.
    with pytest.raises(WrongState, match="complained"):
        services.freeze_election(election=election)
    services.restart_ceremony(election=election)
    make_citizens(1)
    run_ceremony(election, [kits[i][0] for i in sorted(kits)])
    services.freeze_election(election=election)
    state = client.get(f"/api/elections/{election.pk}/ceremony").json()
    assert [(c["attempt"], c["against"]) for c in state["complaints"]] == [(1, 1)]
    assert all(t["complaint"] is None for t in state["trustees"])


def test_the_council_replaces_the_cheating_trustee_and_the_ceremony_starts_over(client):
    election, kits = dealt(cheat=True)
    complain(election, kits, who=2, against=1)
    old_id = election.ceremony_id
    stand_in = make_trustees(1, prefix="standin")[0]
    keep = [kits[2][0], kits[3][0]]

    trustees = services.set_trustees(election=election, users=[stand_in, *keep], threshold=2)

    election.refresh_from_db()
    assert [t.user for t in trustees] == [stand_in, *keep]
    assert election.state == "key_ceremony" and election.ceremony_attempt == 2
    assert election.ceremony_id != old_id  # the ceremony id names the trustees
    assert not election.share_boxes.exists()
    assert not election.trustees.exclude(verdict="").exists()
    anchored = ElectionAnchor.objects.filter(election=election, kind="election.ceremony")
    latest = anchored.order_by("-entry__id").first().entry.payload
    assert latest["attempt"] == 2 and latest["ceremony"] == election.ceremony_id
    assert [t["name"] for t in latest["trustees"]] == [u.public_alias for u in (stand_in, *keep)]
    # The replaced trustee is out; the complaint of attempt 1 stays on the record.
    with pytest.raises(NotAllowed):
        services.post_trustee_public(election=election, user=kits[1][0], public={})
    assert Complaint.objects.filter(election=election, attempt=1, against=1).exists()

    make_citizens(1)
    run_ceremony(election, [stand_in, *keep])
    services.freeze_election(election=election)
    with pytest.raises(WrongState, match="until the key is frozen"):
        services.set_trustees(election=election, users=keep, threshold=1)


def test_replacing_trustees_on_the_admin_page_warns_that_the_ceremony_starts_over(client):
    election, kits = dealt(cheat=True)
    admin = make_admin()
    stand_in = make_trustees(1, prefix="standin")[0]
    client.force_login(admin)
    page = client.get(f"/elections/{election.pk}/manage/trustees")
    assert "Saving starts it over" in page.content.decode()
    chosen = [stand_in.pk, kits[2][0].pk, kits[3][0].pk]
    response = client.post(
        f"/elections/{election.pk}/manage/trustees", {"trustees": chosen, "threshold": 2}
    )
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.ceremony_attempt == 2
    assert set(election.trustees.values_list("user", flat=True)) == set(chosen)


def test_a_box_that_does_not_open_upholds_the_complaint_over_the_api(client):
    election, kits = dealt()
    box = ShareBox.objects.get(election=election, sender=3, recipient=1)
    flipped = "11" if box.box["ciphertext"].startswith("00") else "00"
    ShareBox.objects.filter(pk=box.pk).update(
        box={**box.box, "ciphertext": flipped + box.box["ciphertext"][2:]}
    )
    client.force_login(kits[1][0])
    url = f"/api/elections/{election.pk}/ceremony/verdict"
    body = {"ok": False, "against": 3, "box_secret": kits[1][1].box_secret.hex()}
    response = post(client, url, body)
    assert response.status_code == 201, response.content
    assert response.json()["verdict"] == "complaint"
    complaint = Complaint.objects.get(election=election)
    assert (complaint.trustee, complaint.against) == (1, 3)
    assert "does not decrypt" in complaint.finding


def test_a_false_complaint_against_an_honest_sender_is_refused_and_stores_nothing(client):
    election, kits = dealt()
    with pytest.raises(ProofRejected, match="trustee 1 sent you is valid"):
        complain(election, kits, who=2, against=1)
    assert nothing_stored(election)

    client.force_login(kits[3][0])
    url = f"/api/elections/{election.pk}/ceremony/verdict"
    response = post(
        client, url, {"ok": False, "against": 2, "box_secret": kits[3][1].box_secret.hex()}
    )
    assert response.status_code == 422
    assert "trustee 2 sent you is valid: your complaint is refused" in response.content.decode()
    assert nothing_stored(election)
    # The refused trustee can still report the truth.
    assert post(client, url, {"ok": True}).status_code == 201


def test_a_complaint_with_a_secret_not_matching_the_box_key_is_refused(client):
    election, kits = dealt(cheat=True)
    # Trustee 3's secret is a real box secret of this ceremony, but not trustee 2's.
    with pytest.raises(ProofRejected, match="does not belong to the box key you published"):
        complain(election, kits, who=2, against=1, secret=kits[3][1].box_secret)
    with pytest.raises(ProofRejected, match="does not belong"):
        complain(election, kits, who=2, against=1, secret=bytes(32))
    assert nothing_stored(election)

    client.force_login(kits[2][0])
    url = f"/api/elections/{election.pk}/ceremony/verdict"
    response = post(
        client, url, {"ok": False, "against": 1, "box_secret": kits[1][1].box_secret.hex()}
    )
    assert response.status_code == 422 and "does not belong" in response.content.decode()
    assert nothing_stored(election)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"ok": False, "against": 1}, "must reveal your box secret"),
        ({"ok": False, "against": 1, "box_secret": "ab" * 31}, "64 lowercase hex"),
        ({"ok": False, "against": 1, "box_secret": "AB" * 32}, "64 lowercase hex"),
        ({"ok": False, "against": 1, "box_secret": "zz" * 32}, "64 lowercase hex"),
        ({"ok": False, "against": 1, "box_secret": 7}, "64 lowercase hex"),
        ({"ok": False, "box_secret": "ab" * 32}, "must name another trustee"),
        ({"ok": False, "against": 2, "box_secret": "ab" * 32}, "must name another trustee"),
        ({"ok": True, "box_secret": "ab" * 32}, "only with a complaint"),
    ],
)
def test_a_malformed_complaint_is_refused_with_its_reason(client, body, reason):
    election, kits = dealt(cheat=True)
    client.force_login(kits[2][0])
    response = post(client, f"/api/elections/{election.pk}/ceremony/verdict", body)
    assert response.status_code == 400 and reason in response.content.decode()
    assert nothing_stored(election)


def test_the_service_refuses_a_complaint_without_a_well_formed_secret():
    election, kits = dealt(cheat=True)
    user = kits[2][0]
    for secret in (None, "ab" * 31, "AB" * 32):
        with pytest.raises(Invalid, match="reveal your box secret"):
            services.post_share_verdict(
                election=election, user=user, ok=False, against=1, box_secret=secret
            )
    assert nothing_stored(election)
