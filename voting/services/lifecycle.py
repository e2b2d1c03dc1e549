"""The election's state machine: every transition is one transaction with its ledger anchor.

    draft -> key_ceremony -> ready -> open -> closed -> tallying -> decrypting -> published
    (any state before published) -> cancelled

``start_ceremony`` freezes the manifest; ``freeze_election`` (after the trustees' key ceremony)
fixes the joint key, the fingerprint and the voter roll; ``open_election``/``close_election``
run by hand or from the schedule (``apply_schedule``, called by Celery beat). Counting and
decryption are in ``voting.services.tally``.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import User
from voting import record
from voting.context import crypto_contests
from voting.crypto import EncryptedShare, TrusteePublic, election_fingerprint, joint_public_key
from voting.crypto.group import point_to_hex
from voting.eligibility import eligible_users
from voting.locks import lock_election_exclusively
from voting.manifest import assign_keys, build_manifest
from voting.models import Election, VoterRollEntry
from voting.services.anchors import anchor
from voting.services.errors import Invalid, WrongState

State = Election.State
MIN_OPTIONS = 2
MAX_POINTS = 100  # a range proof has one branch per possible total: keep ballots small


def lock(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _require(election: Election, *states: str) -> None:
    if election.state not in states:
        raise WrongState(
            _("This cannot be done while the election is %(state)s.")
            % {"state": election.get_state_display().lower()}
        )


def trustee_names(election: Election) -> list[tuple[int, str]]:
    return [(t.index, t.user.public_alias) for t in election.trustees.select_related("user")]


def ceremony_id(election: Election) -> str:
    """Binds the shares and proofs to this election, its threshold and its trustees (spec §2.3)."""
    names = trustee_names(election)
    return record.ceremony_id(election.public_id, election.threshold, names).hex()


def _ceremony_anchor(election: Election) -> None:
    anchor(
        election,
        "election.ceremony",
        {
            "election": election.public_id,
            "ceremony": election.ceremony_id,
            "attempt": election.ceremony_attempt,
            "threshold": election.threshold,
            "trustees": [{"index": i, "name": n} for i, n in trustee_names(election)],
        },
    )


def check_ready_for_ceremony(election: Election) -> None:
    """Raise ``Invalid`` naming the first thing that makes the draft incomplete."""
    contests = list(election.contests.prefetch_related("options"))
    if not contests:
        raise Invalid(_("Add at least one contest."))
    for contest in contests:
        options = len(contest.options.all())
        if options < MIN_OPTIONS:
            raise Invalid(
                _("Contest “%(title)s” needs at least two options.") % {"title": contest.title}
            )
        if contest.kind == contest.Kind.K_OF_N and not 1 <= contest.votes_allowed <= options:
            raise Invalid(
                _("Contest “%(title)s”: k must be between 1 and the number of options.")
                % {"title": contest.title}
            )
        if contest.kind == contest.Kind.CUMULATIVE and not (
            1 <= contest.max_per_option <= contest.votes_allowed <= MAX_POINTS
        ):
            raise Invalid(
                _(
                    "Contest “%(title)s”: the points to share must be 1 to %(max)d, and the most "
                    "one option may get between 1 and that."
                )
                % {"title": contest.title, "max": MAX_POINTS}
            )
    trustees = election.trustees.count()
    if trustees == 0:
        raise Invalid(_("Assign the trustees first."))
    if not 1 <= election.threshold <= trustees:
        raise Invalid(_("The threshold must be between 1 and the number of trustees."))
    if election.opens_at and election.closes_at and election.closes_at <= election.opens_at:
        raise Invalid(_("The election must close after it opens."))


@transaction.atomic
def start_ceremony(*, election: Election, by: User | None = None) -> Election:
    """draft -> key_ceremony: fix the manifest and the ceremony id, and anchor them."""
    election = lock(election)
    _require(election, State.DRAFT)
    check_ready_for_ceremony(election)
    assign_keys(election)
    election.manifest = build_manifest(election)
    election.ceremony_attempt += 1
    election.ceremony_id = ceremony_id(election)
    election.state = State.KEY_CEREMONY
    election.save()
    _ceremony_anchor(election)
    return election


@transaction.atomic
def restart_ceremony(*, election: Election, by: User | None = None) -> Election:
    """Start the key ceremony over (after a complaint): every trustee generates fresh keys.

    The ceremony id stays the same (it names the election, threshold and trustees); the old
    records and boxes are discarded, and the fresh box keys make old boxes useless. To replace a
    trustee instead, ``set_trustees`` starts the ceremony over with the new ones.
    """
    election = lock(election)
    _require(election, State.KEY_CEREMONY)
    start_over(election)
    return election


def start_over(election: Election) -> None:
    """Discard the ceremony's records and boxes, count a new attempt under the ceremony id of the
    current trustees and threshold, and anchor it. The caller holds the election's row lock."""
    election.share_boxes.all().delete()
    election.trustees.update(
        public=None,
        posted_at=None,
        shares_posted_at=None,
        verdict="",
        complaint_against=None,
        complaint_reason="",
    )
    election.ceremony_attempt += 1
    election.ceremony_id = ceremony_id(election)
    election.save()
    _ceremony_anchor(election)


def ceremony_publics(election: Election) -> list[TrusteePublic]:
    return [TrusteePublic.from_json(t.public) for t in election.trustees.order_by("index")]


def ceremony_document(election: Election) -> dict:
    """The record's ``ceremony`` section: trustees' public records and the relayed boxes' digests."""
    shares = [
        EncryptedShare.from_json(b.box)
        for b in election.share_boxes.order_by("sender", "recipient")
    ]
    return record.ceremony_json(
        bytes.fromhex(election.ceremony_id), election.threshold, ceremony_publics(election), shares
    )


def context_document(election: Election) -> dict:
    return {
        "fingerprint": election.fingerprint,
        "public_key": election.public_key,
        "contests": election.manifest["contests"],
    }


def roll_document(election: Election) -> dict:
    """The record's ``roll``: aliases and weights, never names."""
    voters = dict(election.roll.values_list("alias", "weight"))
    return record.roll_json(election.public_id, voters)


MAX_WEIGHT = 1_000_000


@transaction.atomic
def freeze_election(
    *, election: Election, weights: Mapping[int, int] | None = None, by: User | None = None
) -> Election:
    """key_ceremony -> ready: joint key, fingerprint and voter roll become final and anchored.

    ``weights`` optionally maps user ids to a vote weight (default 1, at most 1,000,000; 0 keeps
    the person off the roll).
    """
    election = lock(election)
    _require(election, State.KEY_CEREMONY)
    trustees = list(election.trustees.order_by("index"))
    missing = [t.index for t in trustees if t.public is None or t.shares_posted_at is None]
    if missing:
        raise WrongState(
            _("Trustee(s) %(list)s have not finished the key ceremony.")
            % {"list": ", ".join(map(str, missing))}
        )
    if any(t.verdict == t.Verdict.COMPLAINT for t in trustees):
        raise WrongState(_("A trustee complained about a share; restart the ceremony."))
    unchecked = [t.index for t in trustees if t.verdict != t.Verdict.OK]
    if unchecked:
        raise WrongState(
            _("Trustee(s) %(list)s have not confirmed their shares yet.")
            % {"list": ", ".join(map(str, unchecked))}
        )
    weights = weights or {}
    if any(not isinstance(w, int) or not 0 <= w <= MAX_WEIGHT for w in weights.values()):
        raise Invalid(_("Vote weights must be whole numbers from 0 to 1,000,000."))
    key = joint_public_key(ceremony_publics(election))
    election.public_key = point_to_hex(key)
    contests = crypto_contests(election.manifest)
    election.fingerprint = election_fingerprint(election.public_id, contests, key).hex()
    roll = [
        VoterRollEntry(election=election, user=user, weight=weights.get(user.pk, 1))
        for user in eligible_users(election)
        if weights.get(user.pk, 1) > 0
    ]
    if not roll:
        raise Invalid(_("Nobody is eligible to vote in this election."))
    VoterRollEntry.objects.bulk_create(roll, batch_size=1000)
    roll_json = roll_document(election)
    election.roll_digest = roll_json["sha256"]
    election.state = State.READY
    election.save()
    payload = record.frozen_payload(
        election.manifest, context_document(election), roll_json, ceremony_document(election)
    )
    anchor(election, "election.frozen", payload)
    return election


def _require_driver(election: Election, driver: str) -> None:
    if election.driven_by != driver:
        raise WrongState(
            _("This election is driven by %(app)s: it opens, closes and is cancelled from there.")
            % {"app": election.driven_by or _("its own schedule")}
        )


@transaction.atomic
def open_election(*, election: Election, by: User | None = None, driver: str = "") -> Election:
    election = lock(election)
    _require_driver(election, driver)
    _require(election, State.READY)
    if election.closes_at and election.closes_at <= timezone.now():
        raise Invalid(_("The closing time has already passed; change the schedule first."))
    election.state = State.OPEN
    election.opened_at = timezone.now()
    election.save()
    anchor(
        election, "election.opened", record.opened_payload(election.public_id, election.fingerprint)
    )
    return election


@transaction.atomic
def close_election(
    *,
    election: Election,
    by: User | None = None,
    chunk_size: int | None = None,
    driver: str = "",
) -> Election:
    """open -> closed; the count starts in a worker right after commit (``tally.start_tally``,
    with ``chunk_size`` ballots per chunk if given). Waits for the casts in flight."""
    election = lock(election)
    _require_driver(election, driver)
    lock_election_exclusively(election)
    _require(election, State.OPEN)
    election.state = State.CLOSED
    election.closed_at = timezone.now()
    election.save()
    trackers = list(election.ballots.values_list("tracker", flat=True))
    anchor(election, "election.closed", record.closed_payload(election.public_id, trackers))
    from voting.tasks import start_tally_task

    transaction.on_commit(lambda: start_tally_task.delay(election.pk, chunk_size), robust=True)
    return election


@transaction.atomic
def cancel_election(
    *, election: Election, reason: str, by: User | None = None, driver: str = ""
) -> Election:
    election = lock(election)
    _require_driver(election, driver)
    lock_election_exclusively(election)
    _require(
        election,
        State.DRAFT,
        State.KEY_CEREMONY,
        State.READY,
        State.OPEN,
        State.CLOSED,
        State.TALLYING,
        State.DECRYPTING,
    )
    if not reason.strip():
        raise Invalid(_("Say why the election is cancelled."))
    previous = election.state
    election.state = State.CANCELLED
    election.cancel_reason = reason.strip()
    election.save()
    if previous != State.DRAFT:  # a draft was never public
        anchor(
            election,
            "election.cancelled",
            {"election": election.public_id, "from": previous, "reason": election.cancel_reason},
        )
    return election


def apply_schedule(now=None) -> list[tuple[int, str]]:
    """Open and close what the schedule says is due; returns (election id, new state) pairs.

    Each election is handled in its own transaction, so one refusal does not block the others.
    """
    now = now or timezone.now()
    done = []
    for election in Election.objects.filter(state=State.READY, opens_at__lte=now, driven_by=""):
        if election.closes_at and election.closes_at <= now:
            continue  # missed its whole window: an admin decides
        open_election(election=election)
        done.append((election.pk, State.OPEN))
    for election in Election.objects.filter(state=State.OPEN, closes_at__lte=now, driven_by=""):
        close_election(election=election)
        done.append((election.pk, State.CLOSED))
    return done
