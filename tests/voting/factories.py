"""Building elections for tests: citizens on the roll, trustees who run a real key ceremony in
Python (the same crypto the browser and the CLI use), and ballots encrypted for a voter."""

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group

from identity.models import District, Residency, User
from identity.roles import CITIZEN, COUNCIL_ADMIN, TRUSTEE
from voting import services
from voting.context import election_context
from voting.crypto import (
    EncryptedShare,
    Scalar,
    TrusteePublic,
    TrusteeSecret,
    combine_key_share,
    deal_shares,
    encrypt_ballot,
    generate_trustee,
    partial_decrypt,
    receive_share,
)
from voting.models import Contest, Election, VoterRollEntry
from voting.services.decryption import encrypted_tally

PASSWORD = "a-long-test-password-1"


def district(number: int = 1) -> District:
    return District.objects.get_or_create(number=number, defaults={"name": f"District {number}"})[0]


def make_user(username: str, *roles: str, resident_of: int | None = None) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    for role in roles or (CITIZEN,):
        user.groups.add(Group.objects.get(name=role))
    if resident_of is not None:
        Residency.objects.create(
            user=user,
            document_hash=secrets.token_hex(32),
            district=district(resident_of),
            birth_date=date(1990, 1, 1),
            method=Residency.Method.CENSUS,
        )
    return user


def make_citizens(count: int, *, prefix: str = "citizen", district_number: int = 1) -> list[User]:
    return [make_user(f"{prefix}{i}", resident_of=district_number) for i in range(count)]


def make_admin(username: str = "admin") -> User:
    return make_user(username, CITIZEN, COUNCIL_ADMIN)


def make_trustees(count: int, prefix: str = "trustee") -> list[User]:
    return [make_user(f"{prefix}{i}", CITIZEN, TRUSTEE) for i in range(1, count + 1)]


def draft_election(
    *,
    admin: User | None = None,
    trustees: list[User],
    threshold: int,
    title: str = "Park renovation",
    district_number: int | None = None,
) -> Election:
    """A draft with a 1-of-3 contest and an approval contest, trustees assigned."""
    election = services.create_election(
        title=title,
        description="What should the park get?",
        district=district(district_number) if district_number else None,
        created_by=admin,
    )
    services.add_contest(
        election=election, title="Main feature", options=["Playground", "Pond", "Garden"]
    )
    services.add_contest(
        election=election,
        title="Extras",
        kind=Contest.Kind.APPROVAL,
        options=["Benches", "Lights", "Toilets", "Fountain"],
    )
    services.set_trustees(election=election, users=trustees, threshold=threshold)
    return election


@dataclass
class TrusteeKit:
    """What a trustee keeps on their own device."""

    user: User
    secret: TrusteeSecret
    public: TrusteePublic
    key_share: Scalar | None = None


def run_ceremony(election: Election, trustees: list[User]) -> dict[int, TrusteeKit]:
    """Every trustee generates, publishes, deals, checks and confirms; returns their kits."""
    election.refresh_from_db()
    ceremony = bytes.fromhex(election.ceremony_id)
    kits = {}
    for trustee in election.trustees.select_related("user").order_by("index"):
        secret, public = generate_trustee(
            ceremony, trustee.index, trustee.user.public_alias, election.threshold
        )
        services.post_trustee_public(election=election, user=trustee.user, public=public.to_json())
        kits[trustee.index] = TrusteeKit(trustee.user, secret, public)
    publics = [k.public for k in kits.values()]
    for kit in kits.values():
        boxes = [s.to_json() for s in deal_shares(ceremony, kit.secret, publics)]
        services.post_share_boxes(election=election, user=kit.user, boxes=boxes)
    for index, kit in kits.items():
        received = {}
        for box in election.share_boxes.filter(recipient=index):
            sender = kits[box.sender].public
            received[box.sender] = receive_share(
                ceremony, kit.secret, sender, EncryptedShare.from_json(box.box)
            )
        kit.key_share = combine_key_share(kit.secret, received)
        services.post_share_verdict(election=election, user=kit.user, ok=True)
    return kits


def open_election_with(
    *, voters: int = 3, trustees: int = 3, threshold: int = 2, prefix: str = "", **kwargs: object
) -> tuple[Election, list[User], dict[int, TrusteeKit]]:
    """An open election: citizens resident in district 1, a finished ceremony, frozen, opened.

    The roll is everyone resident at freezing time, so a second election made this way (with
    another ``prefix``) also has the first one's citizens on its roll."""
    citizens = make_citizens(voters, prefix=f"{prefix}citizen")
    trustee_users = make_trustees(trustees, prefix=f"{prefix}trustee")
    election = draft_election(trustees=trustee_users, threshold=threshold, **kwargs)
    services.start_ceremony(election=election)
    kits = run_ceremony(election, trustee_users)
    services.freeze_election(election=election)
    services.open_election(election=election)
    election.refresh_from_db()
    return election, citizens, kits


def alias_of(election: Election, user: User) -> str:
    return VoterRollEntry.objects.get(election=election, user=user).alias


def ballot_for(election: Election, user: User, choices: dict | None = None):
    """(ballot, secrets) encrypted in Python exactly as the booth does in the browser."""
    choices = choices if choices is not None else {"c1": {"o1": 1}}
    return encrypt_ballot(election_context(election), alias_of(election, user), choices)


def cast(election: Election, user: User, choices: dict | None = None):
    ballot, _ = ballot_for(election, user, choices)
    return services.cast_ballot(election=election, user=user, payload=ballot.to_json())


def decrypt_as(election: Election, kit: TrusteeKit):
    """The trustee's partial decryption of the stored encrypted tally, posted."""
    election.refresh_from_db()
    partial = partial_decrypt(
        election_context(election), encrypted_tally(election), kit.public.index, kit.key_share
    )
    return services.post_decryption(election=election, user=kit.user, payload=partial.to_json())
