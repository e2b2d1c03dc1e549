"""The demo city's governance data: complete, idempotent, with usable device keys."""

import io

import pytest
from django.core.management import call_command

from governance import demo, device_keys, voting_bridge
from governance.models import Anchor, Device, Feedback, Initiative, Project, Proposal
from governance.signing import public_key_hex

pytestmark = pytest.mark.slow


def test_seed_demo_is_complete_and_idempotent(transactional_db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "simulate_devices" in out.getvalue()
    counts = (
        Proposal.objects.count(),
        Project.objects.count(),
        Device.objects.count(),
        Initiative.objects.count(),
        Feedback.objects.count(),
        Anchor.objects.count(),
    )
    assert counts[:5] == (2, 1, demo.LIGHTS, 1, 6)
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Proposal.objects.count(),
        Project.objects.count(),
        Device.objects.count(),
        Initiative.objects.count(),
        Feedback.objects.count(),
        Anchor.objects.count(),
    ) == counts

    # The proposals' key ceremonies are done: their votes can open on schedule.
    for proposal in Proposal.objects.all():
        assert voting_bridge.phase(proposal) == voting_bridge.READY
        assert (demo.trustee_dir(proposal) / "trustee1.json").exists()
    # The key files on disk are the registered devices' keys.
    keys = device_keys.read_keys(demo.device_dir())
    registered = dict(Device.objects.values_list("device_id", "public_key"))
    assert {k.device: public_key_hex(k.key) for k in keys} == registered
    assert Feedback.objects.filter(state=Feedback.State.HIDDEN).count() == 1
    assert not Feedback.objects.filter(entry__isnull=True).exists()
