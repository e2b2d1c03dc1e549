"""``manage.py trustee``: a whole key ceremony and decryption from the command line, a
complaint that names the cheating trustee, and a sealed secret file."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from voting import services
from voting.models import Election, ShareBox
from voting.trustee_file import load_trustee_file

from .factories import cast, draft_election, make_citizens, make_trustees
from .pipeline import count_in_process

pytestmark = pytest.mark.django_db


def trustee(step: str, election: Election, user, path, *extra: str) -> str:
    out = StringIO()
    call_command(
        "trustee",
        step,
        "--election",
        str(election.pk),
        "--user",
        user.username,
        "--file",
        str(path),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_a_ceremony_and_a_decryption_run_entirely_from_the_cli(tmp_path):
    citizens = make_citizens(3)
    people = make_trustees(2)
    election = draft_election(trustees=people, threshold=2)
    services.start_ceremony(election=election)
    files = {u: tmp_path / f"{u.username}.json" for u in people}
    for user in people:
        out = trustee("generate", election, user, files[user], "--no-passphrase")
        assert "secret written" in out
        assert load_trustee_file(files[user].read_text()).key_share is None
    assert "Waiting for 1 trustee" in trustee("post", election, people[0], files[people[0]])
    assert "Sent 1 sealed share" in trustee("post", election, people[1], files[people[1]])
    assert "Sent 1 sealed share" in trustee("post", election, people[0], files[people[0]])
    for user in people:
        assert "All shares check out" in trustee("verify", election, user, files[user])
        assert load_trustee_file(files[user].read_text()).key_share is not None
    services.freeze_election(election=election)
    election = services.open_election(election=election)
    for user, option in zip(citizens, ["o1", "o3", "o3"], strict=True):
        cast(election, user, {"c1": {option: 1}})
    services.close_election(election=election)
    count_in_process(election)
    assert "1 of 2 needed" in trustee("decrypt", election, people[0], files[people[0]])
    assert "2 of 2 needed" in trustee("decrypt", election, people[1], files[people[1]])
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.result["counts"]["c1"] == {"o1": 1, "o2": 0, "o3": 2}


def test_a_bad_share_makes_the_recipient_complain_against_its_sender(tmp_path):
    people = make_trustees(2)
    election = draft_election(trustees=people, threshold=2)
    services.start_ceremony(election=election)
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for user, path in zip(people, paths, strict=True):
        trustee("generate", election, user, path, "--no-passphrase")
        trustee("post", election, user, path)
    trustee("post", election, people[0], paths[0])
    box = ShareBox.objects.get(election=election, sender=2, recipient=1)
    sealed = dict(box.box)
    sealed["ciphertext"] = ("00" if sealed["ciphertext"][:2] != "00" else "11") + sealed[
        "ciphertext"
    ][2:]
    ShareBox.objects.filter(pk=box.pk).update(box=sealed)
    with pytest.raises(CommandError, match="complaint upheld against trustee 2"):
        trustee("verify", election, people[0], paths[0])
    mine = election.trustees.get(index=1)
    assert mine.verdict == "complaint" and mine.complaint_against == 2
    # The complaint carries the file's box secret as public evidence.
    [complaint] = election.complaints.all()
    assert complaint.box_secret == load_trustee_file(paths[0].read_text()).secret.box_secret.hex()


def test_a_sealed_file_needs_its_passphrase(tmp_path, monkeypatch):
    people = make_trustees(1)
    election = draft_election(trustees=people, threshold=1)
    services.start_ceremony(election=election)
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery staple\n")
    path = tmp_path / "t.json"
    trustee("generate", election, people[0], path, "--passphrase-file", str(secret))
    assert "encryption" in json.loads(path.read_text())
    monkeypatch.setenv("POLITY_TRUSTEE_PASSPHRASE", "wrong passphrase here")
    with pytest.raises(CommandError, match="wrong passphrase"):
        trustee("post", election, people[0], path)
    monkeypatch.setenv("POLITY_TRUSTEE_PASSPHRASE", "correct horse battery staple")
    assert "Published the key record" in trustee("post", election, people[0], path)
    with pytest.raises(CommandError, match="exists"):
        trustee("generate", election, people[0], path, "--no-passphrase")
