"""Celery tasks: thin wrappers over the services.

``governance.tick`` runs on Celery beat (``CELERY_BEAT_SCHEDULE`` in polity/settings.py): it
advances every proposal whose schedule is due, records missed initiative deadlines, evaluates
device-attested milestones and anchors pending feedback. Each step is idempotent, so a tick that
runs twice or overlaps another changes nothing the second time.
"""

import logging

from celery import shared_task

from governance.models import Proposal
from governance.services import actions, evidence, feedback, initiatives, lifecycle

logger = logging.getLogger(__name__)


@shared_task(name="governance.tick")
def tick_task() -> dict:
    done = {
        "proposals": lifecycle.advance_due(),
        "overdue_initiatives": initiatives.mark_overdue(),
        "milestones_attested": evidence.evaluate_due(),
        "feedback_anchored": feedback.anchor_pending(),
    }
    for proposal_id in (
        Proposal.objects.filter(state=Proposal.State.EXECUTED, actions__done_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    ):
        run_actions_task.delay(proposal_id)
    return done


@shared_task(name="governance.run_actions")
def run_actions_task(proposal_id: int) -> list[str]:
    """Run an executed proposal's actions (each once; see governance/services/actions.py)."""
    return actions.run_actions(proposal=Proposal.objects.get(pk=proposal_id))


@shared_task(name="governance.anchor_feedback")
def anchor_feedback_task() -> int:
    from django.core.cache import cache

    cache.delete("governance:feedback-batch-scheduled")
    anchored = total = feedback.anchor_pending()
    while anchored:
        anchored = feedback.anchor_pending()
        total += anchored
    return total
