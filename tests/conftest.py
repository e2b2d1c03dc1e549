"""Fixtures every test module may use: a real Celery worker process on the test database."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def database_url_for(settings_dict: dict) -> str:
    """The DATABASE_URL under which another process reaches the database the tests use."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    if engine.endswith("postgresql"):
        user = settings_dict.get("USER") or ""
        password = settings_dict.get("PASSWORD") or ""
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"
    raise RuntimeError(f"no worker support for database engine {engine}")


class WorkerProcess:
    """A `celery worker` subprocess started on the test database and the configured broker."""

    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_worker(tmp_dir: Path, *, concurrency: int = 1, name: str = "test") -> WorkerProcess:
    from django.db import connection

    env = {**os.environ, "DATABASE_URL": database_url_for(connection.settings_dict)}
    log_path = tmp_dir / f"worker-{name}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "polity",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = WorkerProcess(process, log_path)
    deadline = time.monotonic() + 60
    while " ready." not in worker.log():
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {process.returncode}:\n{worker.log()}")
        if time.monotonic() > deadline:
            stop_worker(worker)
            raise RuntimeError(f"Celery worker did not become ready:\n{worker.log()}")
        time.sleep(0.1)
    return worker


def stop_worker(worker: WorkerProcess) -> None:
    if worker.process.poll() is None:
        os.killpg(worker.process.pid, signal.SIGTERM)
        try:
            worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait()


@pytest.fixture(scope="session")
def _purged_broker(django_db_setup: None) -> None:
    """Drop messages left in the broker by an earlier run, so a new worker starts clean."""
    from polity.celery import app

    app.control.purge()


@pytest.fixture(scope="session")
def celery_worker_process(
    _purged_broker: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    """One real worker process for the session. Tests using it need ``transactional_db``."""
    with django_db_blocker.unblock():
        worker = start_worker(tmp_path_factory.mktemp("celery"))
    yield worker
    stop_worker(worker)


def clear_cache() -> None:
    """Empty this run's cache without touching other runs' keys (or the broker, on Redis)."""
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{settings.CACHE_KEY_PREFIX}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttle counters and cached documents never leak from one test into the next."""
    clear_cache()
    yield
    clear_cache()


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"polity: database={settings.DATABASES['default']['ENGINE']} "
        f"broker={settings.CELERY_BROKER_URL.split('://')[0]}"
    ]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove this run's data folder (test database, broker folders, keys) when it is private."""
    import shutil

    data_dir = Path(settings.DATA_DIR).resolve()
    if settings.TEST_RUN_ID and data_dir.parent == (ROOT / "var" / "test").resolve():
        shutil.rmtree(data_dir, ignore_errors=True)
