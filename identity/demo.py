"""Demo accounts for development. The shared password is a development default, printed on
purpose; ``seed_demo`` refuses to run in production."""

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
    stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):\n")
    for username, role, _staff in ACCOUNTS:
        stdout.write(f"  {username:<10} {role}\n")
