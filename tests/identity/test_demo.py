"""The identity part of seed_demo (``identity.demo.seed``): the demo citizens are verified
residents with credentials, idempotently. Called directly so that other apps' demo data do not
decide this test."""

import io

from django.core.management import call_command

from identity import selectors
from identity.demo import DEMO_CENSUS, seed
from identity.models import Credential, IssuerKey, Residency, User


def test_seed_demo_verifies_the_demo_citizens_once(db):
    out = io.StringIO()
    seed(out)
    seed(io.StringIO())
    assert "DEMO0099Z" in out.getvalue()
    districts = {}
    for username in DEMO_CENSUS:
        user = User.objects.get(username=username)
        residency = selectors.active_residency(user)
        districts[username] = residency.district.number
        assert selectors.credential_state(selectors.current_credential(user)) == "valid"
    assert [districts[name] for name in ("alice", "bob", "carol", "dan")] == [1, 2, 3, 4]
    assert Residency.objects.count() == Credential.objects.count() == len(DEMO_CENSUS)
    assert selectors.active_residency(User.objects.get(username="admin")) is None
    bob = selectors.current_credential(User.objects.get(username="bob")).document
    assert bob["credentialSubject"]["age_over_16"] is True
    assert IssuerKey.objects.count() == 1


def test_rotate_issuer_key_command(db):
    seed(io.StringIO())
    out = io.StringIO()
    call_command("rotate_issuer_key", stdout=out)
    assert "Now signing with did:web:" in out.getvalue()
    assert "1 earlier key(s) remain" in out.getvalue()
