"""Election speed end to end: the count (verify + aggregate in Celery workers, then decrypt) of
10,000 and 100,000 1-of-3 ballots with 1 and 2 workers, and the cast endpoint's latency and
throughput under 20 concurrent voters against gunicorn.

Run from the repository root, against the production services:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/tally.py

Options: ``--sizes 10000 100000``, ``--workers 1 2``, ``--chunk 500``, ``--casts 50`` (ballots
per voter in the cast test), ``--gunicorn-workers 4``, ``--skip-tally``, ``--skip-cast``.

Method. A throwaway database is created like the test database (``POLITY_TEST_RUN_ID`` gives it,
the task queue and the cache their own names) and dropped at the end. The election is real: its
key ceremony runs through the services with two trustees (2 of 2). Ballots are real too: every
ballot is encrypted and proven for its own voter alias (proofs bind the alias, so no ballot can
be copied or re-randomised), in parallel over the machine's cores, and stored with
``bulk_create`` (the cast path is measured separately). A count is timed from
``close_election`` until the encrypted tally is stored (chunks batch-verified and summed by the
workers, then added), then the two partial decryptions with proofs, their verification on
arrival, and ``publish_result`` (combine, BSGS, ``verify_tally``). Between worker counts the
election is put back to "open" (bench only). Casting: 20 voters, each a logged-in session
posting pre-encrypted ballots (revotes, so every request does the full work including
superseding) as fast as answers come back; latency is measured at the client.
"""

import argparse
import http.client
import multiprocessing
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("POLITY_TEST_RUN_ID", f"bench{os.getpid()}")
os.environ.setdefault(
    "POLITY_DATA_DIR", str(ROOT / "var" / "bench" / os.environ["POLITY_TEST_RUN_ID"])
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polity.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from identity.models import User  # noqa: E402
from identity.roles import CITIZEN, TRUSTEE  # noqa: E402
from tests.conftest import database_url_for, start_worker, stop_worker  # noqa: E402
from voting import services, trustee_local  # noqa: E402
from voting.context import election_context  # noqa: E402
from voting.crypto import ElectionContext, encrypt_ballot  # noqa: E402
from voting.models import (  # noqa: E402
    Ballot,
    Election,
    ElectionAnchor,
    TallyJob,
    TrusteeDecryption,
    VoterRollEntry,
)

OPTIONS = ["o1", "o2", "o3"]
LOG_DIR = Path(settings.DATA_DIR) / "logs"


# Setting up an election ---------------------------------------------------------------------
def _users(prefix: str, count: int, *roles: str, district=None) -> list[User]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from identity.models import Residency

    unusable = make_password(None)  # nobody logs in as a bench voter
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{i}", email=f"{prefix}{i}@bench.invalid", password=unusable)
            for i in range(count)
        ],
        batch_size=2000,
    )
    for role in roles:
        Group.objects.get(name=role).user_set.add(*users)
    if district is not None:
        Residency.objects.bulk_create(
            [
                Residency(
                    user=u,
                    document_hash=f"{prefix}-{u.pk:060d}"[-64:],
                    district=district,
                    birth_date=datetime(1990, 1, 1).date(),
                    method="census_match",
                )
                for u in users
            ],
            batch_size=2000,
        )
    return users


def open_election(title: str, voters: int) -> tuple[Election, dict]:
    """A 1-of-3 election in a district of its own, key ceremony done by two trustees, frozen
    with ``voters`` residents (bulk-created) on the roll, opened. Returns it and the trustees'
    completed key files."""
    from identity.models import District

    number = (
        District.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    district = District.objects.create(number=number, name=title)
    trustees = _users(f"{title}-trustee", 2, CITIZEN, TRUSTEE)
    _users(f"{title}-voter", voters, CITIZEN, district=district)
    election = services.create_election(title=title, district=district)
    services.add_contest(election=election, title="Main feature", options=["A", "B", "C"])
    services.set_trustees(election=election, users=trustees, threshold=2)
    election = services.start_ceremony(election=election)
    files = {}
    for user in trustees:
        tf, public = trustee_local.generate(election, user)
        services.post_trustee_public(election=election, user=user, public=public.to_json())
        files[user] = tf
    for user in trustees:
        services.post_share_boxes(
            election=election, user=user, boxes=trustee_local.deal(election, user, files[user])
        )
    for user in trustees:
        files[user] = trustee_local.check_shares(election, user, files[user])
        services.post_share_verdict(election=election, user=user, ok=True)
    services.freeze_election(election=election)
    return services.open_election(election=election), files


# Making ballots in parallel -------------------------------------------------------------------
_CTX: ElectionContext | None = None


def _init_worker(context_json: dict) -> None:
    global _CTX
    _CTX = ElectionContext.from_json(context_json)


def _encrypt(job: tuple[str, int]) -> tuple[str, str]:
    alias, choice = job
    ballot, _ = encrypt_ballot(_CTX, alias, {"c1": {OPTIONS[choice % 3]: 1}})
    return ballot.tracker, ballot.canonical_bytes().decode()


def make_ballots(election: Election, jobs: list[tuple[str, int]]) -> list[tuple[str, str]]:
    ctx = election_context(election).to_json()
    connection.close()  # forked children must not share (and later close) our connection
    with multiprocessing.Pool(os.cpu_count(), _init_worker, (ctx,)) as pool:
        return pool.map(_encrypt, jobs, chunksize=200)


def store_ballots(election: Election, count: int) -> dict[str, int]:
    """Encrypt one ballot per roll entry (choice = position mod 3) and store them all."""
    roll = list(election.roll.order_by("pk"))[:count]
    made = make_ballots(election, [(r.alias, i) for i, r in enumerate(roll)])
    Ballot.objects.bulk_create(
        [
            Ballot(election=election, voter=r, tracker=t, payload=p)
            for r, (t, p) in zip(roll, made, strict=True)
        ],
        batch_size=2000,
    )
    expected = {o: 0 for o in OPTIONS}
    for i in range(len(roll)):
        expected[OPTIONS[i % 3]] += 1
    return expected


# Timing a count ---------------------------------------------------------------------------------
def reopen(election: Election) -> Election:
    """Bench only: undo a count so the same ballots can be counted again."""
    TrusteeDecryption.objects.filter(election=election).delete()
    TallyJob.objects.filter(election=election).delete()
    ElectionAnchor.objects.filter(election=election).exclude(
        kind__in=["election.ceremony", "election.frozen", "election.opened"]
    ).delete()
    Election.objects.filter(pk=election.pk).update(
        state=Election.State.OPEN, result=None, closed_at=None, published_at=None
    )
    return Election.objects.get(pk=election.pk)


def wait_state(election: Election, wanted: str, workers, timeout: float = 3600) -> None:
    deadline = time.monotonic() + timeout
    while Election.objects.values_list("state", flat=True).get(pk=election.pk) != wanted:
        job = TallyJob.objects.filter(election=election).first()
        if job is not None and job.state == TallyJob.State.FAILED:
            raise RuntimeError(f"the count failed: {job.failure[:500]}")
        if time.monotonic() > deadline:
            raise RuntimeError("timed out:\n" + "\n".join(w.log()[-2000:] for w in workers))
        time.sleep(0.05)


def count(election: Election, files: dict, workers: int, chunk: int, expected: dict) -> dict:
    procs = [
        start_worker(LOG_DIR, concurrency=1, name=f"w{i}-{election.pk}-{workers}")
        for i in range(workers)
    ]
    try:
        start = time.perf_counter()
        services.close_election(election=election, chunk_size=chunk)
        wait_state(election, Election.State.DECRYPTING, procs)
        counted = time.perf_counter()
        election.refresh_from_db()
        for user, tf in files.items():
            partial = trustee_local.decrypt(election, user, tf)
            services.post_decryption(election=election, user=user, payload=partial.to_json())
        services.publish_result(election=election)
        done = time.perf_counter()
    finally:
        for proc in procs:
            stop_worker(proc)
    election.refresh_from_db()
    if election.result["counts"]["c1"] != expected:
        raise RuntimeError(f"wrong result {election.result} (expected {expected})")
    return {"count": counted - start, "decrypt": done - counted, "total": done - start}


# Timing casts -----------------------------------------------------------------------------------
def session_cookie(user: User) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    log = (LOG_DIR / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "polity.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/elections/")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(proc)
    raise RuntimeError("gunicorn did not start; see " + str(LOG_DIR / "gunicorn.log"))


def stop_gunicorn(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def cast_bench(voters: int, per_voter: int, gunicorn_workers: int, port: int) -> dict:
    election, _ = open_election("cast", voters)
    roll = list(election.roll.select_related("user").order_by("pk"))
    jobs = [(r.alias, i) for r in roll for i in range(per_voter + 1)]  # +1: a warm-up cast
    made = make_ballots(election, jobs)
    k = per_voter + 1
    payloads = {r.alias: [p for _, p in made[i * k : (i + 1) * k]] for i, r in enumerate(roll)}
    url = f"/api/elections/{election.pk}/ballots"
    token = "b" * 32
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(roll) + 1)

    def post(cookie: str, payload: str) -> tuple[int, float]:
        body = '{"ballot":' + payload + "}"
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": token,
            "Cookie": f"sessionid={cookie}; csrftoken={token}",
        }
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("POST", url, body, headers)
        response = conn.getresponse()
        text = response.read()
        conn.close()
        if response.status != 201:
            with lock:
                failures.append(f"{response.status} {text[:200]!r}")
        return response.status, time.perf_counter() - start

    def voter(entry: VoterRollEntry, cookie: str) -> None:
        first, *rest = payloads[entry.alias]
        post(cookie, first)  # warm-up: the worker builds the election context once
        barrier.wait()
        mine = [post(cookie, p)[1] for p in rest]
        with lock:
            latencies.extend(mine)

    server = start_gunicorn(port, gunicorn_workers)
    try:
        cookies = {r.alias: session_cookie(r.user) for r in roll}
        threads = [threading.Thread(target=voter, args=(r, cookies[r.alias])) for r in roll]
        for thread in threads:
            thread.start()
        barrier.wait()
        start = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    finally:
        stop_gunicorn(server)
    if failures:
        raise RuntimeError(f"{len(failures)} casts failed, e.g. {failures[0]}")
    ordered = sorted(latencies)
    stored = Ballot.objects.filter(election=election).count()
    return {
        "casts": len(ordered),
        "stored": stored,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "max": ordered[-1] * 1000,
        "throughput": len(ordered) / elapsed,
    }


# Main -------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--voters", type=int, default=20)
    parser.add_argument("--casts", type=int, default=50, help="measured casts per voter")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--skip-tally", action="store_true")
    parser.add_argument("--skip-cast", action="store_true")
    args = parser.parse_args()

    LOG_DIR.mkdir(parents=True, exist_ok=True)
    old = setup_databases(verbosity=0, interactive=False)
    try:
        engine = connection.settings_dict["ENGINE"].rsplit(".", 1)[-1]
        broker = settings.CELERY_BROKER_URL.split("://")[0]
        print(
            f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores, database {engine}, broker {broker}"
        )
        if not args.skip_tally:
            print("\n| ballots | workers | verify + aggregate | decrypt + publish | total |")
            print("|---|---|---|---|---|")
            for size in args.sizes:
                start = time.perf_counter()
                election, files = open_election(f"tally{size}", size)
                expected = store_ballots(election, size)
                print(
                    f"<!-- {size} ballots made and stored in "
                    f"{time.perf_counter() - start:.0f} s -->",
                    flush=True,
                )
                for n, workers in enumerate(args.workers):
                    if n:
                        election = reopen(election)
                    t = count(election, files, workers, args.chunk, expected)
                    print(
                        f"| {size:,} | {workers} | {t['count']:.1f} s | {t['decrypt']:.2f} s "
                        f"| **{t['total']:.1f} s** |",
                        flush=True,
                    )
        if not args.skip_cast:
            c = cast_bench(args.voters, args.casts, args.gunicorn_workers, args.port)
            print(
                f"\nCast: {args.voters} concurrent voters, {c['casts']} measured casts "
                f"(gunicorn, {args.gunicorn_workers} sync workers; {c['stored']} stored)\n"
            )
            print("| p50 | p95 | max | throughput |\n|---|---|---|---|")
            print(
                f"| {c['p50']:.1f} ms | **{c['p95']:.1f} ms** | {c['max']:.1f} ms "
                f"| {c['throughput']:.0f} casts/s |"
            )
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
