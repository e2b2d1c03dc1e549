"""Casting and auditing ballots: every check, then the ballot and its ledger entry, or nothing.

``cast_ballot`` refuses, with a reason and without writing anything: a malformed ballot (400),
a voter not on the frozen roll (403), an election not open (409), a replayed tracker (409), an
audited ballot (409), a ballot for another election or with a proof that does not hold (422).
The cryptographic checks run before any lock is taken; the state is then re-checked under a
shared lock on the election (``voting.locks``), so a ballot is never stored after the close.

"Audited" means by ciphertext, not only by tracker: the revealed nonces let anyone re-prove an
audited ballot's ciphertexts with fresh proofs (a new tracker), and a ballot whose plaintext is
public must still never count. So a ballot sharing any selection ``alpha`` with one of the same
voter's audited ballots is refused, and an audit sharing one with a ballot the voter cast is
refused (docs/spec/election-record.md §2.6). Only the voter's own ballots are compared: every
proof binds the voter's alias, so a copy under another alias is a new ballot of that voter, whose
plaintext only that voter chose to make public, and the hot path loads just this voter's audits
(usually none) instead of every alpha of the election.
"""

import json

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from identity.models import User
from ledger import services as ledger
from polity import inputs
from voting import record
from voting.context import election_context
from voting.crypto import (
    BallotSecrets,
    CryptoError,
    EncodingError,
    EncryptedBallot,
    verify_audited_ballot,
    verify_ballot,
)
from voting.crypto.group import point_to_hex
from voting.locks import lock_voter
from voting.models import AuditedBallot, Ballot, Election, VoterRollEntry
from voting.services.errors import Conflict, Invalid, NotAllowed, ProofRejected, WrongState

MAX_BALLOT_BYTES = 256 * 1024


def parse_json(payload: object, what: str) -> dict:
    """The payload as a JSON object, from a dict, str or bytes; ``Invalid`` otherwise."""
    if isinstance(payload, bytes | str):
        if len(payload) > MAX_BALLOT_BYTES:
            raise Invalid(f"{what} is too large")
        try:
            payload = inputs.loads(payload)
        except ValueError as exc:
            raise Invalid(f"{what} is not valid JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise Invalid(f"{what} must be a JSON object")
    return payload


def _closed_reason(election: Election) -> str:
    if election.state in (Election.State.DRAFT, Election.State.KEY_CEREMONY, Election.State.READY):
        return _("Voting has not opened yet.")
    if election.state == Election.State.CANCELLED:
        return _("This election was cancelled.")
    return _("Voting is closed.")


def _roll_entry(election: Election, user: User) -> VoterRollEntry:
    """The user's roll entry, with a fresh copy of the election (``entry.election``); only
    ``election.pk`` is used. ``Election.DoesNotExist`` if there is no such election."""
    entry = (
        VoterRollEntry.objects.select_related("election")
        .filter(election_id=election.pk, user=user)
        .first()
    )
    if entry is None:
        if not Election.objects.get(pk=election.pk).is_frozen:
            raise WrongState(_closed_reason(election))
        raise NotAllowed(_("You are not on the voter roll of this election."))
    return entry


def _decode(election: Election, payload: object) -> EncryptedBallot:
    obj = parse_json(payload, "ballot")
    try:
        return EncryptedBallot.from_json(obj)
    except (EncodingError, TypeError, ValueError, AttributeError) as exc:
        raise Invalid(f"malformed ballot: {exc}") from exc


def _check_proofs(election: Election, ballot: EncryptedBallot, alias: str) -> None:
    try:
        verify_ballot(election_context(election), ballot, voter=alias)
    except CryptoError as exc:
        raise ProofRejected(str(exc)) from exc


AUDITED = gettext_lazy("This ballot was audited (its secrets are public); it can never be cast.")
ALREADY_CAST = gettext_lazy("This ballot was already cast.")


def _refuse_known_tracker(election: Election, tracker: str) -> None:
    if AuditedBallot.objects.filter(election=election, tracker=tracker).exists():
        raise Conflict(AUDITED)
    if Ballot.objects.filter(election=election, tracker=tracker).exists():
        raise Conflict(ALREADY_CAST)


def _alphas(ballot: EncryptedBallot) -> set[str]:
    return {
        point_to_hex(s.ciphertext.alpha) for contest in ballot.contests for s in contest.selections
    }


def _stored_alphas(payload: str) -> set[str]:
    """The alphas of a stored ballot; its payload is canonical JSON, so hex is canonical too."""
    doc = json.loads(payload)
    return {s["alpha"] for contest in doc["contests"] for s in contest["selections"]}


def _shares_ciphertext(ballot: EncryptedBallot, stored: QuerySet) -> bool:
    """Whether ``ballot`` is one of the ``stored`` ballots or shares a selection alpha with one
    (a re-proven copy: the same ciphertexts under fresh proofs)."""
    alphas = _alphas(ballot)
    return any(
        tracker == ballot.tracker or not alphas.isdisjoint(_stored_alphas(payload))
        for tracker, payload in stored.values_list("tracker", "payload")
    )


def _lock_open(election: Election, voter: VoterRollEntry) -> None:
    """Take the voter's and the election's locks (``voting.locks``); refuse unless open."""
    state = lock_voter(voter)
    if state != Election.State.OPEN:
        election.state = state
        raise WrongState(_closed_reason(election))


def cast_ballot(*, election: Election, user: User, payload: object) -> Ballot:
    """Check and store ``user``'s encrypted ballot; the previous one (if any) stops counting.

    The state is checked where it counts, under the lock, after the proofs (a stale
    ``election`` object can therefore not let a ballot in after the close).
    """
    voter = _roll_entry(election, user)
    election = voter.election
    ballot = _decode(election, payload)
    _check_proofs(election, ballot, voter.alias)
    tracker = ballot.tracker
    try:
        with transaction.atomic():
            _lock_open(election, voter)  # this voter's casts and audits now run one at a time
            if _shares_ciphertext(ballot, AuditedBallot.objects.filter(voter=voter)):
                raise Conflict(AUDITED)
            Ballot.objects.filter(voter=voter, superseded=False).update(superseded=True)
            entry = ledger.append("ballot.cast", record.cast_payload(election.public_id, tracker))
            return Ballot.objects.create(
                election=election,
                voter=voter,
                tracker=tracker,
                payload=ballot.canonical_bytes().decode(),
                entry=entry,
            )
    except IntegrityError as exc:  # a replay (unique tracker); everything above rolled back
        if Ballot.objects.filter(election=election, tracker=tracker).exists():
            raise Conflict(ALREADY_CAST) from exc
        raise Conflict(
            _("Another ballot of yours was being cast at the same moment; try again.")
        ) from exc


def audit_ballot(
    *, election: Election, user: User, payload: object, secrets: object
) -> AuditedBallot:
    """Publish a challenged ballot with its secrets after re-encrypting to check it (Benaloh).

    The ballot must be the voter's own and never cast, not even as a re-proven copy of the
    same ciphertexts; once audited it can never be cast.
    """
    voter = _roll_entry(election, user)
    election = voter.election
    if election.state != Election.State.OPEN:
        raise WrongState(_closed_reason(election))
    ballot = _decode(election, payload)
    try:
        revealed = BallotSecrets.from_json(parse_json(secrets, "secrets"))
    except (EncodingError, TypeError, ValueError, AttributeError) as exc:
        raise Invalid(f"malformed ballot secrets: {exc}") from exc
    if ballot.voter != voter.alias:
        raise ProofRejected(_("This ballot is bound to another voter."))
    try:
        choices = verify_audited_ballot(election_context(election), ballot, revealed)
    except CryptoError as exc:
        raise ProofRejected(str(exc)) from exc
    tracker = ballot.tracker
    with transaction.atomic():
        _lock_open(election, voter)
        _refuse_known_tracker(election, tracker)
        if _shares_ciphertext(ballot, Ballot.objects.filter(voter=voter)):
            raise Conflict(ALREADY_CAST)
        entry = ledger.append("ballot.audited", record.audited_payload(election.public_id, tracker))
        return AuditedBallot.objects.create(
            election=election,
            voter=voter,
            tracker=tracker,
            payload=ballot.canonical_bytes().decode(),
            secrets=revealed.to_json(),
            choices=choices,
            entry=entry,
        )
