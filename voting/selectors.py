"""Reads of the voting app: what pages and the API show, and who may see or do what."""

from django.db.models import Count, Q, QuerySet

from identity.models import User
from voting.models import AuditedBallot, Ballot, Election, Trustee, VoterRollEntry

State = Election.State
MANAGE = "identity.manage_elections"
TRUSTEE = "identity.act_as_trustee"


def can_manage(user: User) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE)


def all_elections() -> QuerySet[Election]:
    """Every election, with ``ballot_count`` (counted ballots) annotated."""
    return Election.objects.select_related("district").annotate(
        ballot_count=Count("ballots", filter=Q(ballots__superseded=False), distinct=True)
    )


def visible_elections(user: User | None = None) -> QuerySet[Election]:
    """Everything but drafts for the public; admins also see drafts."""
    elections = all_elections()
    if user is not None and can_manage(user):
        return elections
    return elections.exclude(state=State.DRAFT)


def election_for(user: User | None, pk: int) -> Election | None:
    """One election if ``user`` may see it: drafts only for admins. On the casting path, so no
    annotations and no permission lookup unless the election is a draft."""
    election = Election.objects.select_related("district").filter(pk=pk).first()
    hidden = election is not None and election.state == State.DRAFT
    return None if hidden and (user is None or not can_manage(user)) else election


def counted_ballots(election: Election) -> int:
    return election.ballots.filter(superseded=False).count()


def roll_entry(election: Election, user: User) -> VoterRollEntry | None:
    if not user.is_authenticated:
        return None
    return VoterRollEntry.objects.filter(election=election, user=user).first()


def counted_ballot(entry: VoterRollEntry | None) -> Ballot | None:
    if entry is None:
        return None
    return entry.ballots.filter(superseded=False).first()


def trustee_of(election: Election, user: User) -> Trustee | None:
    if not user.is_authenticated:
        return None
    return election.trustees.filter(user=user).first()


def trusteeships(user: User) -> QuerySet[Trustee]:
    return (
        Trustee.objects.filter(user=user)
        .exclude(election__state__in=[State.DRAFT, State.CANCELLED])
        .select_related("election")
        .order_by("-election__created_at")
    )


def board(election: Election, query: str = "") -> QuerySet[Ballot]:
    """The bulletin board: every cast ballot's tracker, newest first; ``query`` is a prefix."""
    ballots = Ballot.objects.filter(election=election).order_by("-pk")
    query = query.strip().lower()
    if query:
        ballots = ballots.filter(tracker__startswith=query)
    return ballots.only("tracker", "cast_at", "superseded", "election_id")


def audited(election: Election) -> QuerySet[AuditedBallot]:
    return AuditedBallot.objects.filter(election=election).order_by("-pk")


def ballot_by_tracker(election: Election, tracker: str) -> Ballot | None:
    return Ballot.objects.filter(election=election, tracker=tracker.lower()).first()


def audited_by_tracker(election: Election, tracker: str) -> AuditedBallot | None:
    return AuditedBallot.objects.filter(election=election, tracker=tracker.lower()).first()


def labels(election: Election) -> list[dict]:
    """Contests with their options for display, from the manifest once frozen, else the draft."""
    if election.manifest:
        return election.manifest["labels"]
    return [
        {
            "id": c.key or f"draft-{c.pk}",
            "title": c.title,
            "description": c.description,
            "selections": [
                {"id": o.key or f"draft-{o.pk}", "label": o.label} for o in c.options.all()
            ],
        }
        for c in election.contests.prefetch_related("options")
    ]


def result_rows(election: Election) -> list[dict]:
    """Per contest: title, options with count and share of the contest's votes (for the chart)."""
    if not election.result:
        return []
    counts = election.result["counts"]
    rows = []
    for contest in labels(election):
        values = counts.get(contest["id"], {})
        top = max(values.values(), default=0)
        total = sum(values.values())
        rows.append(
            {
                "id": contest["id"],
                "title": contest["title"],
                "total": total,
                "options": [
                    {
                        "id": s["id"],
                        "label": s["label"],
                        "count": values.get(s["id"], 0),
                        "percent": round(100 * values.get(s["id"], 0) / total) if total else 0,
                        "bar": round(100 * values.get(s["id"], 0) / top) if top else 0,
                    }
                    for s in contest["selections"]
                ],
            }
        )
    return rows
