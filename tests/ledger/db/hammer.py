"""A process that appends and sequences in a loop, for the concurrent-sequencer test.

``python -m tests.ledger.db.hammer NAME ROUNDS`` (with DATABASE_URL pointing at the test database)
appends a few entries per round, each round in its own transaction, and runs the sequencer with a
small batch after every round, so two of these running at once contend for the head row all the
time. Prints how many entries it appended.
"""

import os
import random
import sys

import django


def main(name: str, rounds: int) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polity.settings")
    django.setup()
    from ledger import services

    appended = 0
    for round_number in range(rounds):
        count = random.randint(1, 7)
        services.append_many(
            [("test.hammer", {"by": name, "round": round_number, "i": i}) for i in range(count)]
        )
        appended += count
        services.sequence(batch_size=random.randint(1, 9))
    services.sequence_pending(batch_size=5)
    print(appended)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
