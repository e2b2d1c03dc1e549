"""A close waits for the casts in flight, so no ballot is stored after the close is anchored."""

import threading
import time

from django.db import connection, transaction

from voting import services
from voting.locks import election_state_for_share

from .factories import open_election_with


def test_close_waits_for_a_cast_holding_the_election_lock(transactional_db):
    election, _, _ = open_election_with(voters=1, trustees=1, threshold=1)
    started, release = threading.Event(), threading.Event()
    order: list[str] = []
    errors: list[BaseException] = []

    def cast_in_flight() -> None:
        try:
            with transaction.atomic():
                assert election_state_for_share(election.pk) == "open"
                started.set()
                release.wait(10)
                order.append("cast committed")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    def close() -> None:
        try:
            started.wait(10)
            services.close_election(election=election)
            order.append("closed")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast_in_flight), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    started.wait(10)
    time.sleep(0.5)
    assert order == [], "the close went ahead while a cast held the lock"
    release.set()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert order == ["cast committed", "closed"]
