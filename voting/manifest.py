"""The frozen manifest: what the election asks and under which rules (record spec §2.1).

Built once when the key ceremony starts; from then on contests and options cannot change. The
``contests`` are exactly the crypto contest JSON of docs/spec/ballot.md; ``labels`` are what
voters read. Ballot ids are positional: contests ``c1, c2, ...``, options ``o1, o2, ...``.
"""

from voting.models import Contest, Election


def assign_keys(election: Election) -> None:
    for ci, contest in enumerate(election.contests.order_by("position", "pk"), start=1):
        contest.key = f"c{ci}"
        contest.save(update_fields=["key"])
        for oi, option in enumerate(contest.options.order_by("position", "pk"), start=1):
            option.key = f"o{oi}"
            option.save(update_fields=["key"])


def contest_json(contest: Contest, selections: list[str]) -> dict:
    """The crypto contest (B§1): 0..1 per option (0..cap for points), at most k in total."""
    return {
        "id": contest.key,
        "selections": selections,
        "max_votes": contest.max_votes(len(selections)),
        "min_votes": 0,
        "max_per_selection": contest.per_option(),
    }


def build_manifest(election: Election) -> dict:
    contests, labels = [], []
    for contest in election.contests.order_by("position", "pk").prefetch_related("options"):
        options = sorted(contest.options.all(), key=lambda o: (o.position, o.pk))
        contests.append(contest_json(contest, [o.key for o in options]))
        labels.append(
            {
                "id": contest.key,
                "title": contest.title,
                "description": contest.description,
                "selections": [{"id": o.key, "label": o.label} for o in options],
            }
        )
    return {
        "election": election.public_id,
        "title": election.title,
        "scope": str(election.district.number) if election.district_id else None,
        "contests": contests,
        "labels": labels,
    }
