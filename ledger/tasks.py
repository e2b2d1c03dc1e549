"""Celery tasks: thin wrappers over the sequencer and the witness requests."""

from celery import shared_task

from ledger import cosigning, selectors, services


@shared_task(name="ledger.sequence")
def sequence_task() -> int | None:
    """Sequence everything pending (triggered on append, and by beat); then ask for cosignatures.

    Returns the new tree size, or None when nothing was pending.
    """
    services.sequencer_started()
    checkpoint = services.sequence_pending()
    if cosigning.needs_cosignatures(checkpoint or selectors.latest_checkpoint()):
        cosign_task.delay()
    return checkpoint.size if checkpoint else None


@shared_task(name="ledger.cosign")
def cosign_task() -> int:
    """Push the latest checkpoint to every active witness that has not cosigned it yet."""
    return len(cosigning.request_cosignatures())
