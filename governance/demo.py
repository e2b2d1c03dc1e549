"""The demo's governance: proposal types, initiative thresholds, city services, a PPP
street-lighting project with 20 registered lights (keys in ``DATA_DIR/demo-devices/``) and an
inspector (key in ``DATA_DIR/demo-inspectors/``), two proposals whose trustees' key ceremony is
done (trustee key files in ``DATA_DIR/demo-trustees/proposal-<id>/``), a citizen initiative with
supports, and feedback (one comment moderated).

Idempotent: what exists (matched by name or title) is kept. Run by ``manage.py seed_demo``.
"""

from pathlib import Path
from typing import TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction

from governance import device_keys
from governance.models import (
    CityService,
    Feedback,
    Initiative,
    InitiativePolicy,
    Milestone,
    Partner,
    Project,
    Proposal,
    ProposalAction,
    ProposalType,
)
from governance.services import feedback as feedback_services
from governance.services import initiatives as initiative_services
from governance.services import projects as project_services
from governance.services import proposals as proposal_services
from governance.signing import public_key_hex
from identity.demo import DEMO_PASSWORD
from identity.models import User

HOUR, DAY = 3600, 86400
TYPES = [
    # key, name, delay, period, quorum bps, threshold, timelock, grace
    ("quick", "Demo (minutes)", 60, 600, 1000, "simple_majority", 60, 3600),
    ("ordinance", "Ordinance", 2 * DAY, 7 * DAY, 1000, "simple_majority", DAY, 14 * DAY),
    ("charter", "Charter amendment", 7 * DAY, 14 * DAY, 2500, "two_thirds", 3 * DAY, 30 * DAY),
    ("budget", "Budget decision", DAY, 7 * DAY, 1000, "simple_majority", DAY, 14 * DAY),
]
SERVICES = [
    ("waste", "Waste collection"),
    ("buses", "Buses and trams"),
    ("street-lighting", "Street lighting"),
    ("parks", "Parks and green spaces"),
]
PROJECT = "Harbour street lighting"
LIGHTS = 20
INSPECTOR = "insp-demo-1"
FUND_TITLE = "Fund the Harbour street lighting and approve its first payment"
RIVER_TITLE = "Car-free Sundays on Riverside Avenue"
INITIATIVE = "A weekly farmers' market in the Old Town"


def device_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo-devices"


def inspector_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo-inspectors"


def trustee_dir(proposal: Proposal) -> Path:
    return Path(settings.DATA_DIR) / "demo-trustees" / f"proposal-{proposal.pk}"


def seed_rules() -> None:
    for key, name, delay, period, quorum, threshold, timelock, grace in TYPES:
        ProposalType.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "voting_delay": delay,
                "voting_period": period,
                "quorum_bps": quorum,
                "threshold": threshold,
                "timelock": timelock,
                "grace_period": grace,
            },
        )
    if not InitiativePolicy.objects.exists():
        InitiativePolicy.objects.create(
            name="Demo thresholds", debate_threshold=3, response_threshold=5, response_days=14
        )
    for key, name in SERVICES:
        CityService.objects.get_or_create(key=key, defaults={"name": name})


def seed_project(admin: User) -> Project:
    project = Project.objects.filter(title=PROJECT).first()
    if project is not None:
        return project
    contractor, _ = Partner.objects.get_or_create(
        name="Lumen Works Ltd", defaults={"role": Partner.Role.CONTRACTOR}
    )
    operator, _ = Partner.objects.get_or_create(
        name="City Lights Operations", defaults={"role": Partner.Role.OPERATOR}
    )
    inspection, _ = Partner.objects.get_or_create(
        name="Civic Inspection Office", defaults={"role": Partner.Role.INSPECTION}
    )
    project = project_services.create_project(
        by=admin,
        title=PROJECT,
        description=(
            "Replace the Harbour district's 20 sodium street lamps with connected LED lights. "
            "Lumen Works installs them; City Lights Operations runs them for ten years."
        ),
        contractor=contractor,
        operator=operator,
        contract_reference="PPP-2026-007",
        budget_cents=12_000_000,
        milestones=[
            project_services.MilestoneInput(
                title="Poles and cabling installed",
                amount_cents=4_000_000,
                evidence=Milestone.Evidence.INSPECTOR,
            ),
            project_services.MilestoneInput(
                title="95% of the lights working for 24 hours",
                amount_cents=6_000_000,
                evidence=Milestone.Evidence.DEVICES,
                device_metric="working",
                device_quorum_bps=9500,
                device_window=DAY,
                device_max_gap=30 * 60,
            ),
        ],
    )
    keys = []
    for number in range(1, LIGHTS + 1):
        key = Ed25519PrivateKey.generate()
        device = f"harbour-lamp-{number:03}"
        project_services.register_device(
            by=admin,
            project=project,
            device_id=device,
            kind="street_light",
            public_key=public_key_hex(key),
        )
        keys.append(device_keys.DeviceKey(device, project.pk, key))
    device_keys.write_keys(device_dir(), keys)
    inspector_key = Ed25519PrivateKey.generate()
    project_services.register_inspector(
        by=admin, partner=inspection, key_id=INSPECTOR, public_key=public_key_hex(inspector_key)
    )
    device_keys.write_keys(
        inspector_dir(), [device_keys.DeviceKey(INSPECTOR, project.pk, inspector_key)]
    )
    return project


def complete_ceremony(proposal: Proposal) -> None:
    """The demo trustees' key ceremony for the proposal's election, as each would run it on
    their own machine; their sealed key files go to ``trustee_dir(proposal)``."""
    from voting import services as elections
    from voting import trustee_local
    from voting.trustee_file import dump_trustee_file

    election = proposal.election
    trustees = [t.user for t in election.trustees.select_related("user").order_by("index")]
    files = {}
    for user in trustees:
        tf, public = trustee_local.generate(election, user)
        elections.post_trustee_public(election=election, user=user, public=public.to_json())
        files[user] = tf
    for user in trustees:
        boxes = trustee_local.deal(election, user, files[user])
        elections.post_share_boxes(election=election, user=user, boxes=boxes)
    folder = trustee_dir(proposal)
    folder.mkdir(parents=True, exist_ok=True)
    for user in trustees:
        completed = trustee_local.check_shares(election, user, files[user])
        elections.post_share_verdict(election=election, user=user, ok=True)
        path = folder / f"{user.username}.json"
        path.write_text(dump_trustee_file(completed, DEMO_PASSWORD))
        path.chmod(0o600)


def seed_proposals(admin: User, project: Project) -> list[Proposal]:
    Kind = ProposalAction.Kind
    specs = [
        (
            FUND_TITLE,
            "quick",
            "Move 100,000.00 into the project's escrow and approve the payment for the "
            "installed poles and cabling, to be released once the city's inspector signs off.",
            [
                proposal_services.ActionInput(
                    Kind.PUBLISH_DECISION,
                    text="Residents approved funding the Harbour street lighting.",
                ),
                proposal_services.ActionInput(
                    Kind.ALLOCATE_BUDGET, project=project, amount_cents=10_000_000
                ),
                proposal_services.ActionInput(
                    Kind.RELEASE_MILESTONE, milestone=project.milestones.get(position=1)
                ),
            ],
        ),
        (
            RIVER_TITLE,
            "ordinance",
            "Close Riverside Avenue to motor traffic on Sundays from May to September.",
            [],
        ),
    ]
    found = []
    for title, type_key, summary, actions in specs:
        proposal = Proposal.objects.filter(title=title).exclude(state="canceled").first()
        if proposal is None:
            proposal = proposal_services.create_proposal(
                proposer=admin,
                proposal_type=ProposalType.objects.get(key=type_key),
                title=title,
                summary=summary,
                vote_type="for_against_abstain",
                actions=actions,
            )
            complete_ceremony(proposal)
        found.append(proposal)
    return found


def seed_initiative() -> Initiative:
    initiative = Initiative.objects.filter(title=INITIATIVE).first()
    if initiative is None:
        alice = User.objects.get(username="alice")
        initiative = initiative_services.create_initiative(
            author=alice,
            title=INITIATIVE,
            text="Every Saturday morning on the main square, for local growers and bakers.",
        )
        for name in ("bob", "carol"):
            initiative_services.support_initiative(
                initiative=initiative, user=User.objects.get(username=name)
            )
    return initiative


def seed_feedback(admin: User, project: Project, proposals: list[Proposal]) -> None:
    if Feedback.objects.exists():
        return
    people = {name: User.objects.get(username=name) for name in ("alice", "bob", "carol", "dan")}
    waste = CityService.objects.get(key="waste")
    buses = CityService.objects.get(key="buses")
    post = feedback_services.post_feedback
    post(author=people["alice"], target=waste, rating=4, text="Collection is on time again.")
    post(author=people["bob"], target=waste, rating=2, text="Recycling bins overflow on Mondays.")
    post(author=people["carol"], target=buses, rating=3)
    post(author=people["dan"], target=project, rating=5, text="The new lights look great.")
    post(author=people["alice"], target=proposals[1], text="Good idea, but what about deliveries?")
    rude = post(
        author=people["bob"], target=buses, rating=1, text="Driver J. Smith on line 4 is rude."
    )
    feedback_services.moderate_feedback(
        feedback=rude, by=admin, reason="Names an individual employee."
    )
    feedback_services.anchor_pending()


def seed(stdout: TextIO) -> None:
    with transaction.atomic():
        admin = User.objects.get(username="admin")
        seed_rules()
        project = seed_project(admin)
        proposals = seed_proposals(admin, project)
        initiative = seed_initiative()
        seed_feedback(admin, project, proposals)
    quick = proposals[0]
    stdout.write(f"Governance: /proposals/ · project /projects/{project.pk}/ · /feedback/\n")
    stdout.write(
        f"  “{quick.title}” ({quick.get_state_display().lower()}): voting opens "
        f"{quick.vote_start:%H:%M} UTC for {quick.voting_period // 60} min; vote as alice at "
        f"/proposals/{quick.pk}/\n"
    )
    stdout.write(
        f"  trustees' key files for proposal {quick.pk}: {trustee_dir(quick)}/trustee1..3.json "
        f"(decrypt with manage.py trustee decrypt --election {quick.election_id} ...)\n"
    )
    stdout.write(f"  initiative /proposals/initiatives/{initiative.pk}/ (3 supports = debate)\n")
    poles = project.milestones.get(position=1)
    stdout.write(
        f"  inspector sign-off: .venv/bin/python manage.py sign_attestation --milestone "
        f"{poles.pk} --project {project.pk} --amount-cents {poles.amount_cents} --inspector "
        f"{INSPECTOR} --key-file {inspector_dir()}/{INSPECTOR}.key --post http://127.0.0.1:8000\n"
    )
    stdout.write(
        f"  device keys: {device_dir()}/; simulate readings: .venv/bin/python manage.py "
        f"simulate_devices --backfill 86400 --interval 900\n"
    )
