"""Writes of the voting app: each function is one transaction (or none, when it refuses).

Import the functions from here; ``voting.services.errors.ElectionRefusal`` (and subclasses) say
why something was refused.
"""

from voting.services.casting import audit_ballot, cast_ballot
from voting.services.ceremony import post_share_boxes, post_share_verdict, post_trustee_public
from voting.services.decryption import post_decryption, publish_result
from voting.services.drafts import (
    add_contest,
    create_election,
    delete_contest,
    set_options,
    set_trustees,
    update_contest,
    update_election,
)
from voting.services.errors import ElectionRefusal
from voting.services.lifecycle import (
    apply_schedule,
    cancel_election,
    close_election,
    freeze_election,
    open_election,
    restart_ceremony,
    start_ceremony,
)
from voting.services.tally import finish_count, resume_tallies, start_tally, tally_chunk

__all__ = [
    "ElectionRefusal",
    "add_contest",
    "apply_schedule",
    "audit_ballot",
    "cancel_election",
    "cast_ballot",
    "close_election",
    "create_election",
    "delete_contest",
    "finish_count",
    "freeze_election",
    "open_election",
    "post_decryption",
    "post_share_boxes",
    "post_share_verdict",
    "post_trustee_public",
    "publish_result",
    "restart_ceremony",
    "resume_tallies",
    "set_options",
    "set_trustees",
    "start_ceremony",
    "start_tally",
    "tally_chunk",
    "update_contest",
    "update_election",
]
