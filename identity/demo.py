"""Demo accounts for development. The shared password is a development default, printed on
purpose; ``seed_demo`` refuses to run in production.

The digital ID part imports a small census and verifies the demo citizens (alice, bob, carol
and dan in four districts; the trustees and the auditor too), each with a credential. Idempotent:
a second run changes nothing. One census row has no account yet, to try the census match."""

from typing import TextIO

from django.contrib.auth.models import Group
from django.db import transaction

from identity.models import District, User
from identity.roles import AUDITOR, CITIZEN, COUNCIL_ADMIN, TRUSTEE

DEMO_PASSWORD = "demo-city-2026"  # noqa: S105 - development default, refused in production
DISTRICTS = ["Old Town", "Harbour", "Riverside", "University", "Hillcrest", "Market"]
ACCOUNTS = [
    # username, role, staff
    ("admin", COUNCIL_ADMIN, True),
    ("alice", CITIZEN, False),
    ("bob", CITIZEN, False),
    ("carol", CITIZEN, False),
    ("dan", CITIZEN, False),
    ("trustee1", TRUSTEE, False),
    ("trustee2", TRUSTEE, False),
    ("trustee3", TRUSTEE, False),
    ("auditor", AUDITOR, False),
]


@transaction.atomic
def seed(stdout: TextIO) -> None:
    for number, name in enumerate(DISTRICTS, start=1):
        District.objects.get_or_create(number=number, defaults={"name": name})
    for username, role, staff in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.polity.localhost",
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if role != CITIZEN:
            user.groups.add(Group.objects.get(name=CITIZEN))
    seed_residents()
    stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):\n")
    for username, role, _staff in ACCOUNTS:
        stdout.write(f"  {username:<10} {role}\n")
    document, district, born = UNCLAIMED_CENSUS_ROW
    stdout.write(
        f"Digital ID: sign up and verify at /id/ with document {document}, district {district}, "
        f"born {born} (a census row with no account yet).\n"
    )


# username -> (document number, district, birth date); bob is 17: over 16, not over 18.
DEMO_CENSUS = {
    "alice": ("DEMO0001A", 1, "1990-04-01"),
    "bob": ("DEMO0002B", 2, "2009-03-10"),
    "carol": ("DEMO0003C", 3, "1975-07-15"),
    "dan": ("DEMO0004D", 4, "2001-12-01"),
    "trustee1": ("DEMO0005E", 5, "1968-02-29"),
    "trustee2": ("DEMO0006F", 6, "1982-10-10"),
    "trustee3": ("DEMO0007G", 1, "1979-05-05"),
    "auditor": ("DEMO0008H", 2, "1986-08-18"),
}
UNCLAIMED_CENSUS_ROW = ("DEMO0099Z", 6, "1999-09-09")


def seed_residents() -> None:
    """Import the demo census and verify the demo citizens (credentials issued once)."""
    from identity.census import import_census
    from identity.document_hash import document_hash
    from identity.models import CensusRecord, Residency
    from identity.services import verify_resident

    rows = [*DEMO_CENSUS.values(), UNCLAIMED_CENSUS_ROW]
    csv = "document_number,district,birth_date\n" + "".join(
        f"{document},{district},{born}\n" for document, district, born in rows
    )
    import_census(data=csv.encode())
    for username, (document, _district, _born) in DEMO_CENSUS.items():
        user = User.objects.get(username=username)
        record = CensusRecord.objects.get(document_hash=document_hash(document))
        verify_resident(
            user=user,
            document_hash=record.document_hash,
            district=record.district,
            birth_date=record.birth_date,
            method=Residency.Method.CENSUS,
        )
