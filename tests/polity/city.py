"""The demo city with some history, for tests that look at every page: ``seed_demo``, then a
second election run to publication by the demo's own citizens and trustees (the demo election
stays open for the booth), then the ledger sequenced so every entry has a receipt."""

import io

from django.core.management import call_command

from identity.models import User
from ledger import services as ledger
from tests.voting.factories import cast, decrypt_as, run_ceremony
from tests.voting.pipeline import count_in_process
from voting import services
from voting.export import write_record
from voting.models import Contest, Election

PUBLISHED_TITLE = "Library opening hours"


def published_demo_election() -> Election:
    """Created by the demo admin, keys made by trustee1..3 (2 of 3 decrypt), votes from alice,
    bob (who votes twice) and carol, counted, decrypted, published, its record written."""
    users = {u.username: u for u in User.objects.all()}
    election = services.create_election(
        title=PUBLISHED_TITLE,
        description="When should the central library open on weekends?",
        created_by=users["admin"],
    )
    services.add_contest(
        election=election,
        title="Weekend hours",
        options=["Saturday only", "Saturday and Sunday", "Neither"],
    )
    services.add_contest(
        election=election,
        title="Extra services",
        kind=Contest.Kind.APPROVAL,
        options=["Study rooms", "Repair café", "Children's hour"],
    )
    trustees = [users[f"trustee{i}"] for i in (1, 2, 3)]
    services.set_trustees(election=election, users=trustees, threshold=2)
    services.start_ceremony(election=election, by=users["admin"])
    kits = run_ceremony(election, trustees)
    services.freeze_election(election=election, by=users["admin"])
    services.open_election(election=election, by=users["admin"])
    election.refresh_from_db()
    cast(election, users["alice"], {"c1": {"o2": 1}, "c2": {"o1": 1, "o3": 1}})
    cast(election, users["bob"], {"c1": {"o1": 1}})
    cast(election, users["carol"], {"c1": {"o2": 1}, "c2": {"o2": 1}})
    cast(election, users["bob"], {"c1": {"o3": 1}, "c2": {"o2": 1}})
    services.close_election(election=election, by=users["admin"])
    count_in_process(election)
    decrypt_as(election, kits[1])
    decrypt_as(election, kits[2])
    services.publish_result(election=election)
    ledger.sequence_pending()
    write_record(election)
    election.refresh_from_db()
    return election


def seed_city() -> Election:
    """The demo city plus a published election; returns that election."""
    call_command("seed_demo", stdout=io.StringIO())
    election = published_demo_election()
    ledger.sequence_pending()
    return election
