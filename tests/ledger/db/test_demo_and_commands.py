"""The demo's partner witnesses and the ledger_witness command."""

import io

import pytest
from django.core.management import CommandError, call_command

from ledger import cosigning, demo, selectors
from ledger.cosignature import COSIGNATURE_V1
from ledger.models import Entry, Witness
from ledger.note import generate_signer_key

pytestmark = pytest.mark.django_db


def test_demo_registers_three_partners_with_local_keys_once(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert Witness.objects.count() == 3
    for witness in Witness.objects.all():
        key_file, _state = cosigning.local_witness_files(witness.name)
        assert key_file.parent == tmp_path / "witnesses"
        assert key_file.stat().st_mode & 0o777 == 0o600
    roster = Entry.objects.get(kind=demo.ROSTER_KIND)
    assert sorted(roster.payload["witnesses"]) == sorted(
        Witness.objects.values_list("verifier_key", flat=True)
    )
    assert selectors.tree_size() == 1


def test_ledger_witness_command(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command(
        "ledger_witness",
        "init",
        "a.example/w",
        "--label",
        "A",
        "--url",
        "http://127.0.0.1:1",
        stdout=out,
    )
    assert out.getvalue().startswith("a.example/w+")
    _skey, vkey = generate_signer_key("b.example/w", COSIGNATURE_V1)
    call_command("ledger_witness", "add", "--key", vkey, "--label", "B", stdout=io.StringIO())
    listing = io.StringIO()
    call_command("ledger_witness", "list", "--local", stdout=listing)
    assert listing.getvalue().split("\t")[0] == "a.example/w"
    call_command("ledger_witness", "deactivate", "b.example/w")
    assert not Witness.objects.get(name="b.example/w").active
    with pytest.raises(CommandError, match="not 0x04"):
        log_key = generate_signer_key("log.example")[1]
        call_command("ledger_witness", "add", "--key", log_key, "--label", "X")
    with pytest.raises(CommandError, match="no witness named"):
        call_command("ledger_witness", "activate", "nobody")
