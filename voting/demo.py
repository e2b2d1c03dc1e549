"""The demo election: "Riverside park renovation", open, with its key ceremony already done by
the demo trustees (trustee1..3, any 2 of 3 decrypt). Their secret files are written to
``DATA_DIR/demo-trustees/`` (sealed with the demo password), so a developer can vote as alice,
close the election as admin, and decrypt with ``manage.py trustee decrypt`` or the trustee page.
"""

from pathlib import Path
from typing import TextIO

from django.conf import settings

from identity.demo import DEMO_PASSWORD
from identity.models import User
from voting import services, trustee_local
from voting.models import Contest, Election
from voting.trustee_file import dump_trustee_file

TITLE = "Riverside park renovation"
TRUSTEES = ["trustee1", "trustee2", "trustee3"]


def trustee_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo-trustees"


def _ceremony(election: Election, users: list[User]) -> None:
    """Every demo trustee's steps, as each would run them on their own machine."""
    files = {}
    for user in users:
        tf, public = trustee_local.generate(election, user)
        services.post_trustee_public(election=election, user=user, public=public.to_json())
        files[user] = tf
    for user in users:
        boxes = trustee_local.deal(election, user, files[user])
        services.post_share_boxes(election=election, user=user, boxes=boxes)
    folder = trustee_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for user in users:
        completed = trustee_local.check_shares(election, user, files[user])
        services.post_share_verdict(election=election, user=user, ok=True)
        path = folder / f"{user.username}.json"
        path.write_text(dump_trustee_file(completed, DEMO_PASSWORD))
        path.chmod(0o600)


def seed(stdout: TextIO) -> None:
    election = Election.objects.filter(title=TITLE).exclude(state=Election.State.CANCELLED).first()
    if election is None:
        admin = User.objects.get(username="admin")
        users = [User.objects.get(username=name) for name in TRUSTEES]
        election = services.create_election(
            title=TITLE,
            description=(
                "The council will renovate Riverside park next year. Choose its main feature "
                "and approve the extras you want."
            ),
            created_by=admin,
        )
        services.add_contest(
            election=election,
            title="Main feature",
            description="Choose one.",
            options=["Playground", "Pond and wetland", "Community garden"],
        )
        services.add_contest(
            election=election,
            title="Extras",
            description="Approve as many as you like.",
            kind=Contest.Kind.APPROVAL,
            options=["Benches", "Lighting", "Public toilets", "Drinking fountain"],
        )
        services.set_trustees(election=election, users=users, threshold=2)
        election = services.start_ceremony(election=election, by=admin)
        _ceremony(election, users)
        services.freeze_election(election=election, by=admin)
        election = services.open_election(election=election, by=admin)
    folder = trustee_dir()
    stdout.write(
        f"Election “{TITLE}” ({election.get_state_display().lower()}): /elections/{election.pk}/\n"
    )
    stdout.write(
        f"  vote as alice at /elections/{election.pk}/vote; close it as admin at "
        f"/elections/{election.pk}/manage\n"
    )
    stdout.write(f"  trustee key files (passphrase {DEMO_PASSWORD}): {folder}/trustee1..3.json\n")
    stdout.write(
        f"  decrypt (any 2 of 3): POLITY_TRUSTEE_PASSPHRASE={DEMO_PASSWORD} .venv/bin/python "
        f"manage.py trustee decrypt --election {election.pk} --user trustee1 "
        f"--file {folder}/trustee1.json\n"
    )
