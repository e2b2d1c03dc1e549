"""Driving a whole election through the services in this process (no worker), for tests."""

from ledger import services as ledger
from voting import services
from voting.export import build_record
from voting.models import Election

from .factories import cast, decrypt_as, open_election_with


def count_in_process(election: Election, chunk_size: int = 2) -> None:
    """What the Celery tasks do after close, run here: chunks, then the finishing step."""
    job = services.start_tally(election=election, chunk_size=chunk_size)
    for chunk in job.chunks.order_by("index"):
        assert services.tally_chunk(job_id=job.pk, index=chunk.index)
    assert services.finish_count(election=election)


def published_election(voters: int = 4) -> tuple[Election, dict]:
    """An election with revotes and an audit, counted, decrypted by 2 of 3, published.

    Votes: c1 o1, o2, o2 (one voter revoted from o3 to o2), and one voter does not vote.
    """
    election, citizens, kits = open_election_with(voters=voters, trustees=3, threshold=2)
    from .factories import ballot_for

    ballot, secrets = ballot_for(election, citizens[0], {"c1": {"o2": 1}})
    services.audit_ballot(
        election=election, user=citizens[0], payload=ballot.to_json(), secrets=secrets.to_json()
    )
    cast(election, citizens[0], {"c1": {"o1": 1}, "c2": {"o1": 1, "o2": 1}})
    cast(election, citizens[1], {"c1": {"o3": 1}})
    cast(election, citizens[2], {"c1": {"o2": 1}, "c2": {"o4": 1}})
    cast(election, citizens[1], {"c1": {"o2": 1}, "c2": {"o1": 1}})
    services.close_election(election=election)
    count_in_process(election)
    decrypt_as(election, kits[1])
    decrypt_as(election, kits[3])
    services.publish_result(election=election)
    ledger.sequence_pending()
    election.refresh_from_db()
    return election, kits


def published_record(voters: int = 4) -> tuple[Election, dict]:
    election, _ = published_election(voters)
    return election, build_record(election)
