"""Row locks the ORM does not offer: a shared lock on the election while a ballot is stored.

Casting holds ``FOR SHARE`` on the election row until it commits; closing takes ``FOR UPDATE``.
So a close waits for the casts in flight, and a cast that starts after the close sees the
election closed. Many casts share the lock, so they do not wait for each other. SQLite runs one
writing transaction at a time (``transaction_mode=IMMEDIATE``), which gives the same guarantee.
"""

from django.db import connection

from voting.models import Election


def election_state_for_share(election_id: int) -> str | None:
    """The election's current state, read under a shared row lock held to the end of the
    transaction (None if the election does not exist)."""
    table = Election._meta.db_table
    suffix = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT state FROM {table} WHERE id = %s{suffix}", [election_id])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None
