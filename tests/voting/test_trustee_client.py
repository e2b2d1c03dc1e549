"""``python -m voting.trustee_client``: three trustees run a 2-of-3 key ceremony and decrypt
from their own devices, over HTTP against a live server, and the result is right; the client
runs without Django; refusals (wrong password, not a trustee, the server's reasons) end with
the reason printed and a non-zero exit, never a traceback."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.voting.factories import PASSWORD, cast, draft_election, make_citizens, make_trustees
from tests.voting.pipeline import count_in_process
from tests.voting.test_worker import settle
from voting import services
from voting.models import Election, ShareBox
from voting.trustee_client import main
from voting.trustee_file import load_trustee_file

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a trustee passphrase"

# Runs the client as its own program with Django (and the project's Django code) unimportable.
WITHOUT_DJANGO = """\
import runpy, sys

class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('django', 'rest_framework', 'polity', 'identity'):
            raise ImportError(f'{name} must not be imported by the trustee client')

sys.meta_path.insert(0, NoDjango())
sys.argv = ['trustee_client', *sys.argv[1:]]
runpy.run_module('voting.trustee_client', run_name='__main__', alter_sys=True)
"""


def run_without_django(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DJANGO, *argv],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def client_args(server: str, election: Election, user, path: Path, step: str) -> list[str]:
    return [
        "--server",
        server,
        "--election",
        str(election.pk),
        "--user",
        user.username,
        "--file",
        str(path),
        step,
    ]


def run_client(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_the_client_imports_nothing_of_django():
    result = run_without_django("--help")
    assert result.returncode == 0, result.stderr
    assert "generate" in result.stdout and "--server" in result.stdout


@pytest.mark.slow
def test_three_trustees_run_a_2_of_3_ceremony_and_decrypt_over_http(
    live_server, transactional_db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("POLITY_TRUSTEE_PASSWORD", PASSWORD)
    citizens = make_citizens(3)
    people = make_trustees(3)
    election = draft_election(trustees=people, threshold=2)
    services.start_ceremony(election=election)
    files = {i: tmp_path / f"trustee{i}.json" for i in (1, 2, 3)}
    sealed = tmp_path / "passphrase.txt"
    sealed.write_text(PASSPHRASE + "\n")

    def client(i: int, step: str, *extra: str) -> str:
        argv = client_args(live_server.url, election, people[i - 1], files[i], step)
        code, out, err = run_client(capsys, *argv, *extra)
        assert code == 0, err
        return out

    # Trustee 1 generates with the manage.py command in its --server mode, trustee 2 with the
    # client in this process, trustee 3 with the client as its own program, without Django.
    out = StringIO()
    argv = client_args(live_server.url, election, people[0], files[1], "generate")
    call_command("trustee", *argv, "--no-passphrase", stdout=out)
    assert "Trustee 1: secret written" in out.getvalue()
    assert "Trustee 2: secret written" in client(2, "generate", "--passphrase-file", str(sealed))
    result = run_without_django(
        *client_args(live_server.url, election, people[2], files[3], "generate"),
        env={"POLITY_TRUSTEE_PASSWORD": PASSWORD, "POLITY_TRUSTEE_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Trustee 3: secret written" in result.stdout
    assert "encryption" in json.loads(files[3].read_text())
    assert load_trustee_file(files[1].read_text()).secret.name == people[0].public_alias

    monkeypatch.setenv("POLITY_TRUSTEE_PASSPHRASE", PASSPHRASE)
    out = client(1, "post")
    assert "Published the key record of trustee 1." in out and "Waiting for 2 trustee(s)" in out
    assert "Waiting for 1 trustee(s)" in client(2, "post")
    out = client(3, "post")
    assert "Published the key record of trustee 3." in out and "Sent 2 sealed share(s)" in out
    assert "Sent 2 sealed share(s)" in client(1, "post")
    assert "Sent 2 sealed share(s)" in client(2, "post")
    assert "already sent" in client(2, "post")
    for i in (1, 2, 3):
        assert "All shares check out" in client(i, "verify")
    assert load_trustee_file(files[1].read_text()).key_share is not None
    assert load_trustee_file(files[2].read_text(), PASSPHRASE).key_share is not None
    assert {t.verdict for t in election.trustees.all()} == {"ok"}

    election = services.freeze_election(election=election)
    election = services.open_election(election=election)
    for user, option in zip(citizens, ["o1", "o3", "o3"], strict=True):
        cast(election, user, {"c1": {option: 1}, "c2": {"o2": 1}})
    services.close_election(election=election)
    count_in_process(election)
    assert "1 of 2 needed" in client(1, "decrypt")
    assert "2 of 2 needed" in client(3, "decrypt")
    services.publish_result(election=election)
    election.refresh_from_db()
    assert election.state == Election.State.PUBLISHED
    assert election.result["counts"]["c1"] == {"o1": 1, "o2": 0, "o3": 2}
    assert election.result["counts"]["c2"] == {"o1": 0, "o2": 3, "o3": 0, "o4": 0}
    settle()


@pytest.mark.slow
def test_refusals_print_the_reason_and_exit_non_zero(
    live_server, transactional_db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("POLITY_TRUSTEE_PASSWORD", PASSWORD)
    (outsider,) = make_citizens(1)
    people = make_trustees(2)
    election = draft_election(trustees=people, threshold=2)
    services.start_ceremony(election=election)
    path = tmp_path / "t.json"
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the password\n")

    code, _, err = run_client(
        capsys,
        *client_args(live_server.url, election, people[0], path, "generate"),
        "--password-file",
        str(wrong),
    )
    assert code == 1 and "log-in refused" in err and "correct username and password" in err
    assert not path.exists()

    code, _, err = run_client(
        capsys, *client_args(live_server.url, election, outsider, path, "generate")
    )
    assert code == 1 and f"{outsider.username} is not a trustee" in err

    unknown = client_args(live_server.url, election, people[0], path, "generate")
    unknown[unknown.index("--election") + 1] = "999999"
    code, _, err = run_client(capsys, *unknown, "--no-passphrase")
    assert code == 1 and "error: Not found." in err

    # The server checks the record it is sent and says why it refuses it.
    argv = client_args(live_server.url, election, people[0], path, "generate")
    assert run_client(capsys, *argv, "--no-passphrase")[0] == 0
    public_path = tmp_path / "t.json.public.json"
    public = json.loads(public_path.read_text())
    public_path.write_text(json.dumps({**public, "name": "somebody else"}))
    argv[-1] = "post"
    code, _, err = run_client(capsys, *argv)
    assert code == 1 and "The record must carry your public alias as its name." in err
    assert election.trustees.get(index=1).public is None

    # The command's --server mode surfaces the same reasons as a CommandError.
    with pytest.raises(CommandError, match="public alias"):
        call_command("trustee", "post", *argv[:-1], stdout=StringIO())

    # A file of another trustee is refused before anything is posted.
    other = client_args(live_server.url, election, people[1], path, "post")
    code, _, err = run_client(capsys, *other)
    assert code == 1 and "this key file is trustee 1's, not 2's" in err

    code, _, err = run_client(capsys, *argv[:-1], "verify")
    assert code == 1 and "not every trustee has sent you a share yet" in err

    # A share that does not open makes its recipient post a complaint naming the sender, with
    # its box secret as evidence: the server opens the box too and upholds it.
    public_path.write_text(json.dumps(public))
    assert run_client(capsys, *argv)[0] == 0
    theirs = client_args(live_server.url, election, people[1], tmp_path / "u.json", "generate")
    assert run_client(capsys, *theirs, "--no-passphrase")[0] == 0
    assert run_client(capsys, *theirs[:-1], "post")[0] == 0
    assert "Sent 1 sealed share(s)" in run_client(capsys, *argv)[1]
    box = ShareBox.objects.get(election=election, sender=2, recipient=1)
    flipped = "11" if box.box["ciphertext"].startswith("00") else "00"
    ShareBox.objects.filter(pk=box.pk).update(
        box={**box.box, "ciphertext": flipped + box.box["ciphertext"][2:]}
    )
    code, _, err = run_client(capsys, *argv[:-1], "verify")
    assert code == 1 and "complaint upheld against trustee 2" in err
    mine = election.trustees.get(index=1)
    assert mine.verdict == "complaint" and mine.complaint_against == 2
    [complaint] = election.complaints.all()
    assert complaint.box_secret == load_trustee_file(path.read_text()).secret.box_secret.hex()
    assert "does not decrypt" in complaint.finding
    assert load_trustee_file(path.read_text()).key_share is None
    settle()


def test_plain_http_is_refused_except_on_this_computer(capsys, tmp_path):
    argv = ["--server", "http://city.example", "--election", "1", "--user", "ada"]
    code, _, err = run_client(capsys, *argv, "--file", str(tmp_path / "a.json"), "generate")
    assert code == 1 and "use https://" in err
