"""The locks that keep casting consistent, taken in one statement on the casting path.

Casting and auditing hold a *shared* lock on the election and an exclusive lock on the voter
until they commit; closing takes the election's lock *exclusively*. So a close waits for the
casts in flight and a cast that starts after the close sees the election closed (many casts
share the election lock and do not wait for each other), while one voter's casts and audits run
one at a time (a ballot is never both cast and audited, and one ballot per voter counts).

On PostgreSQL these are transaction-level advisory locks: they live in the lock table and write
nothing to the rows, so thousands of casts sharing one election do not contend on its row.
SQLite runs one writing transaction at a time (``transaction_mode=IMMEDIATE``), which gives the
same guarantees without any lock.
"""

from django.db import connection

from voting.models import Election, VoterRollEntry

# Advisory lock keys: a namespace in the high bits, the row id in the low 48 bits.
_ELECTION = 0x5601 << 48
_VOTER = 0x5602 << 48


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def lock_voter(entry: VoterRollEntry) -> str | None:
    """Share-lock the election and lock the voter until the end of the transaction; returns
    the election's state read after both locks are held."""
    if _postgres():
        sql = (
            "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s), "
            "(SELECT state FROM voting_election WHERE id = %s)"
        )
        params = [_ELECTION | entry.election_id, _VOTER | entry.pk, entry.election_id]
    else:
        sql = "SELECT NULL, NULL, state FROM voting_election WHERE id = %s"
        params = [entry.election_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[2] if row else None


def lock_election_exclusively(election: Election) -> None:
    """Wait for every cast in flight on ``election`` and keep new ones out until commit."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ELECTION | election.pk])
