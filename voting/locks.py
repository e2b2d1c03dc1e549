"""Row locks the ORM does not offer, taken in one statement on the casting path.

Casting and auditing hold ``FOR SHARE`` on the election row and ``FOR UPDATE`` on the voter's
roll entry until they commit; closing takes ``FOR UPDATE`` on the election. So a close waits for
the casts in flight and a cast that starts after the close sees the election closed (many casts
share the election lock and do not wait for each other), while one voter's casts and audits run
one at a time (a ballot can never be both cast and audited, and one ballot per voter counts).
SQLite runs one writing transaction at a time (``transaction_mode=IMMEDIATE``), which gives the
same guarantees without locking clauses.
"""

from django.db import connection

from voting.models import Election, VoterRollEntry


def lock_voter(entry: VoterRollEntry) -> str | None:
    """Lock ``entry`` and share-lock its election until the end of the transaction; returns the
    election's current state (None if the entry is gone)."""
    roll, election = VoterRollEntry._meta.db_table, Election._meta.db_table
    clause = " FOR UPDATE OF r FOR SHARE OF e" if connection.vendor == "postgresql" else ""
    sql = (
        f"SELECT e.state FROM {roll} r JOIN {election} e ON e.id = r.election_id "  # noqa: S608
        f"WHERE r.id = %s{clause}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
        row = cursor.fetchone()
    return row[0] if row else None
