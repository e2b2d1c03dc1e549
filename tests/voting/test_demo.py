"""The demo election: open, with the demo trustees' files able to decrypt it, and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from voting import services
from voting.demo import TITLE, trustee_dir
from voting.models import Election, VoterRollEntry

from .factories import cast
from .pipeline import count_in_process

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_the_park_election_and_its_trustee_files_decrypt_it(monkeypatch):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())  # a second run keeps what exists
    election = Election.objects.get(title=TITLE)
    assert election.state == Election.State.OPEN and "trustee1..3.json" in out.getvalue()
    assert Election.objects.filter(title=TITLE).count() == 1
    alice = VoterRollEntry.objects.get(election=election, user__username="alice").user
    cast(election, alice, {"c1": {"o2": 1}, "c2": {"o1": 1, "o4": 1}})
    services.close_election(election=election)
    count_in_process(election)
    monkeypatch.setenv("POLITY_TRUSTEE_PASSPHRASE", "demo-city-2026")
    for name in ("trustee1", "trustee3"):
        call_command(
            "trustee",
            "decrypt",
            "--election",
            str(election.pk),
            "--user",
            name,
            "--file",
            str(trustee_dir() / f"{name}.json"),
            stdout=StringIO(),
        )
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.result["counts"]["c1"] == {"o1": 0, "o2": 1, "o3": 0}
    assert election.result["counts"]["c2"] == {"o1": 1, "o2": 0, "o3": 0, "o4": 1}
