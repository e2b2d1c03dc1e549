"""Health of the parts a deployment needs: the database, the broker and at least one worker."""

import os
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from polity.celery import app
from polity.tasks import ping

# The queue the ping goes to; None means the default queue every worker consumes.
PING_QUEUE: str | None = None


def _timed(check: Callable[[], dict]) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as exc:  # a health check reports every failure instead of raising
        result = {"ok": False, "reason": f"{type(exc).__name__}: {exc}"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _broker() -> dict:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return {
            "transport": conn.transport_cls if isinstance(conn.transport_cls, str) else "custom"
        }


def _worker() -> dict:
    timeout = float(os.environ.get("HEALTHZ_WORKER_TIMEOUT", "5"))
    answer = ping.apply_async(queue=PING_QUEUE, expires=timeout).get(timeout=timeout, interval=0.05)
    return {"pid": answer["pid"], "hostname": answer["hostname"]}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when database, broker and a worker all answer; 503 with the failing part otherwise."""
    checks = {"database": _timed(_database), "broker": _timed(_broker)}
    if checks["broker"]["ok"]:
        checks["worker"] = _timed(_worker)
    else:
        checks["worker"] = {"ok": False, "reason": "broker unreachable"}
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": checks,
        "version": settings.SPECTACULAR_SETTINGS["VERSION"],
    }
    return JsonResponse(body, status=200 if healthy else 503)
