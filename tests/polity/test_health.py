"""/healthz reports each part, and a task sent from a web request runs in a separate worker."""

import os

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_healthz_round_trip_runs_in_the_separate_worker_process(client, celery_worker_process):
    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["ok"]
    worker = body["checks"]["worker"]
    assert worker["ok"]
    assert worker["pid"] != os.getpid()
    assert "Task polity.ping[" in celery_worker_process.log()


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_worker_when_none_answers(client, monkeypatch):
    from polity import health

    monkeypatch.setenv("HEALTHZ_WORKER_TIMEOUT", "0.5")
    monkeypatch.setattr(health, "PING_QUEUE", "no-worker-consumes-this-queue")
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is False
    assert "reason" in body["checks"]["worker"]
