import os
import socket

from celery import shared_task


@shared_task(name="polity.ping")
def ping() -> dict:
    """Answer from the worker process, so a caller can prove the round trip went through one."""
    return {"pid": os.getpid(), "hostname": socket.gethostname()}
