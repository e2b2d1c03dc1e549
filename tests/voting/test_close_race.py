"""A close waits for the casts in flight, so no ballot is stored after the close is anchored."""

import threading
import time

from django.db import connection, transaction

from voting import services
from voting.locks import lock_voter

from .factories import open_election_with


def test_close_waits_for_a_cast_holding_the_election_lock(transactional_db):
    election, _, _ = open_election_with(voters=1, trustees=1, threshold=1)
    started, release = threading.Event(), threading.Event()
    order: list[str] = []
    errors: list[BaseException] = []

    def cast_in_flight() -> None:
        try:
            with transaction.atomic():
                assert lock_voter(election.roll.get()) == "open"
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


def _cast_together(election, voter, ballots) -> list[object]:
    """Cast ``ballots`` for ``voter`` from one thread each, released at the same moment."""
    from voting.services.errors import Conflict

    barrier = threading.Barrier(len(ballots))
    outcomes: list[object] = []

    def cast(ballot) -> None:
        try:
            barrier.wait(10)
            services.cast_ballot(election=election, user=voter, payload=ballot.to_json())
            outcomes.append("cast")
        except Conflict as exc:
            outcomes.append(exc)
        except BaseException as exc:  # reported by the caller's assertion
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(b,)) for b in ballots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_ballots_of_one_voter_cast_at_once_leave_exactly_one_counted(transactional_db):
    from voting.models import Ballot
    from voting.services.errors import Conflict

    from .factories import ballot_for

    election, citizens, _ = open_election_with(voters=1, trustees=1, threshold=1)
    voter = citizens[0]
    for round_ in range(3):  # the first round has no earlier ballot, the others do
        ballots = [ballot_for(election, voter, {"c1": {f"o{i + 1}": 1}})[0] for i in range(2)]
        outcomes = _cast_together(election, voter, ballots)
        assert all(o == "cast" or isinstance(o, Conflict) for o in outcomes), outcomes
        assert "cast" in outcomes, (round_, outcomes)
        assert Ballot.objects.filter(voter__user=voter, superseded=False).count() == 1


def test_a_ballot_audited_and_cast_at_the_same_moment_is_only_one_of_the_two(transactional_db):
    from voting.models import AuditedBallot, Ballot
    from voting.services.errors import Conflict

    from .factories import ballot_for

    election, citizens, _ = open_election_with(voters=1, trustees=1, threshold=1)
    voter = citizens[0]
    for _ in range(3):
        ballot, secrets = ballot_for(election, voter)
        barrier = threading.Barrier(2)
        outcomes: list[object] = []

        def run(action, barrier=barrier, outcomes=outcomes) -> None:
            try:
                barrier.wait(10)
                action()
                outcomes.append("done")
            except BaseException as exc:  # checked below
                outcomes.append(exc)
            finally:
                connection.close()

        payload, revealed = ballot.to_json(), secrets.to_json()
        actions = [
            lambda p=payload: services.cast_ballot(election=election, user=voter, payload=p),
            lambda p=payload, s=revealed: services.audit_ballot(
                election=election, user=voter, payload=p, secrets=s
            ),
        ]
        threads = [threading.Thread(target=run, args=(a,)) for a in actions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert outcomes.count("done") == 1, outcomes
        assert all(o == "done" or isinstance(o, Conflict) for o in outcomes), outcomes
        cast = Ballot.objects.filter(tracker=ballot.tracker).exists()
        audited = AuditedBallot.objects.filter(tracker=ballot.tracker).exists()
        assert cast != audited
