"""PPP projects: partners, projects with their contract's milestones, devices and inspectors.

Council admins (``identity.manage_proposals``) do all of this; every registration is anchored,
so the keys that may attest a milestone are public and cannot be swapped silently.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import signing
from governance.models import Device, Inspector, Milestone, Partner, Project
from governance.services.anchoring import anchor, stamp
from governance.services.errors import Conflict, Invalid, NotAllowed

MANAGE = "identity.manage_proposals"
MAX_MILESTONES = 50
MAX_CENTS = 2**53 - 1


def _require_council(user: object) -> None:
    if not user.has_perm(MANAGE):
        raise NotAllowed(_("only council admins may manage projects"))


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    amount_cents: int
    evidence: str
    description: str = ""
    device_metric: str = ""
    device_quorum_bps: int | None = None
    device_window: int | None = None
    device_max_gap: int | None = None


def _check_milestone(m: MilestoneInput, where: str) -> None:
    if not m.title.strip() or len(m.title) > 200:
        raise Invalid(_("%(where)s.title: required, at most 200 characters") % {"where": where})
    if isinstance(m.amount_cents, bool) or not 0 < m.amount_cents <= MAX_CENTS:
        raise Invalid(
            _("%(where)s.amount_cents: must be a positive number of cents") % {"where": where}
        )
    if m.evidence == Milestone.Evidence.DEVICES:
        if not m.device_metric or not signing._METRIC.fullmatch(m.device_metric):
            raise Invalid(
                _("%(where)s.device_metric: a metric name such as 'working'") % {"where": where}
            )
        if not m.device_quorum_bps or not 0 < m.device_quorum_bps <= 10_000:
            raise Invalid(
                _("%(where)s.device_quorum_bps: 1 to 10000 basis points") % {"where": where}
            )
        if not m.device_window or m.device_window <= 0:
            raise Invalid(
                _("%(where)s.device_window: a positive number of seconds") % {"where": where}
            )
        if not m.device_max_gap or not 0 < m.device_max_gap <= m.device_window:
            raise Invalid(
                _("%(where)s.device_max_gap: positive, at most the window") % {"where": where}
            )
    elif m.evidence == Milestone.Evidence.INSPECTOR:
        if m.device_metric or m.device_quorum_bps or m.device_window or m.device_max_gap:
            raise Invalid(
                _("%(where)s: device conditions belong to device-attested milestones")
                % {"where": where}
            )
    else:
        raise Invalid(
            _("%(where)s.evidence: must be one of %(values)s")
            % {"where": where, "values": Milestone.Evidence.values}
        )


@transaction.atomic
def create_partner(
    *, by: object, name: str, role: str, registration: str = "", website: str = ""
) -> Partner:
    _require_council(by)
    name = name.strip()
    if not name or len(name) > 200:
        raise Invalid(_("name: required, at most 200 characters"))
    if role not in Partner.Role.values:
        raise Invalid(_("role: must be one of %(values)s") % {"values": Partner.Role.values})
    if Partner.objects.filter(name=name).exists():
        raise Conflict(_("name: a partner with this name exists"))
    return Partner.objects.create(
        name=name, role=role, registration=registration.strip(), website=website.strip()
    )


@transaction.atomic
def create_project(
    *,
    by: object,
    title: str,
    description: str,
    contractor: Partner,
    contract_reference: str,
    budget_cents: int,
    milestones: list[MilestoneInput],
    operator: Partner | None = None,
    district: object = None,
    now: datetime | None = None,
) -> Project:
    """A project with its contract's milestones, whose payments add up to at most the budget."""
    now = now or timezone.now()
    _require_council(by)
    title, description = title.strip(), description.strip()
    if not title or len(title) > 200:
        raise Invalid(_("title: required, at most 200 characters"))
    if not description:
        raise Invalid(_("description: required"))
    if contractor.role != Partner.Role.CONTRACTOR:
        raise Invalid(_("contractor: this partner is not a contractor"))
    if operator is not None and operator.role != Partner.Role.OPERATOR:
        raise Invalid(_("operator: this partner is not an operator"))
    if not contract_reference.strip() or len(contract_reference) > 64:
        raise Invalid(_("contract_reference: required, at most 64 characters"))
    if isinstance(budget_cents, bool) or not 0 < budget_cents <= MAX_CENTS:
        raise Invalid(_("budget_cents: must be a positive number of cents"))
    if not 1 <= len(milestones) <= MAX_MILESTONES:
        raise Invalid(
            _("milestones: give 1 to %(MAX_MILESTONES)s") % {"MAX_MILESTONES": MAX_MILESTONES}
        )
    for i, m in enumerate(milestones):
        _check_milestone(m, f"milestones[{i}]")
    total = sum(m.amount_cents for m in milestones)
    if total > budget_cents:
        raise Invalid(
            _("milestones: payments add up to %(total)s cents, over the budget") % {"total": total}
        )
    project = Project.objects.create(
        title=title,
        description=description,
        district=district,
        contractor=contractor,
        operator=operator,
        contract_reference=contract_reference.strip(),
        budget_cents=budget_cents,
        created_by=by,
        created_at=now,
    )
    for position, m in enumerate(milestones, start=1):
        Milestone.objects.create(
            project=project,
            position=position,
            title=m.title.strip(),
            description=m.description.strip(),
            amount_cents=m.amount_cents,
            evidence=m.evidence,
            device_metric=m.device_metric,
            device_quorum_bps=m.device_quorum_bps,
            device_window=m.device_window,
            device_max_gap=m.device_max_gap,
        )
    anchor("project.created", project_payload(project), now=now, project=project)
    return project


def project_payload(project: Project) -> dict:
    from governance.services.proposals import sha256_text

    return {
        "project": project.pk,
        "title": project.title,
        "description_sha256": sha256_text(project.description),
        "district": project.district.number if project.district_id else None,
        "contractor": project.contractor.name,
        "operator": project.operator.name if project.operator_id else None,
        "contract": project.contract_reference,
        "budget_cents": project.budget_cents,
        "milestones": [
            {
                "milestone": m.pk,
                "title": m.title,
                "amount_cents": m.amount_cents,
                "evidence": m.evidence,
                "device_metric": m.device_metric or None,
                "device_quorum_bps": m.device_quorum_bps,
                "device_window": m.device_window,
                "device_max_gap": m.device_max_gap,
            }
            for m in project.milestones.order_by("position")
        ],
    }


def _check_key(public_key: str) -> str:
    public_key = public_key.strip().lower()
    try:
        signing.public_key_from_hex(public_key)
    except (signing.EvidenceError, ValueError) as exc:
        raise Invalid(_("public_key: %(exc)s") % {"exc": exc}) from None
    return public_key


@transaction.atomic
def register_device(
    *,
    by: object,
    project: Project,
    device_id: str,
    kind: str,
    public_key: str,
    now: datetime | None = None,
) -> Device:
    now = now or timezone.now()
    _require_council(by)
    if not signing._ID.fullmatch(device_id):
        raise Invalid(_("device_id: must match [a-z0-9][a-z0-9_-]{0,63}"))
    if not kind.strip() or len(kind) > 40:
        raise Invalid(_("kind: required, at most 40 characters"))
    public_key = _check_key(public_key)
    try:
        with transaction.atomic():
            device = Device.objects.create(
                project=project,
                device_id=device_id,
                kind=kind.strip(),
                public_key=public_key,
                registered_at=now,
            )
    except IntegrityError:
        raise Conflict(_("device_id or public_key: already registered")) from None
    payload = {
        "project": project.pk,
        "device": device_id,
        "kind": device.kind,
        "public_key": public_key,
        "at": stamp(now),
    }
    anchor("device.registered", payload, now=now, project=project)
    return device


@transaction.atomic
def register_inspector(
    *, by: object, partner: Partner, key_id: str, public_key: str, now: datetime | None = None
) -> Inspector:
    now = now or timezone.now()
    _require_council(by)
    if partner.role != Partner.Role.INSPECTION:
        raise Invalid(_("partner: inspectors belong to an inspection body"))
    if not signing._ID.fullmatch(key_id):
        raise Invalid(_("key_id: must match [a-z0-9][a-z0-9_-]{0,63}"))
    public_key = _check_key(public_key)
    try:
        with transaction.atomic():
            inspector = Inspector.objects.create(
                partner=partner, key_id=key_id, public_key=public_key, registered_at=now
            )
    except IntegrityError:
        raise Conflict(_("key_id or public_key: already registered")) from None
    payload = {
        "inspection_body": partner.name,
        "inspector": key_id,
        "public_key": public_key,
        "at": stamp(now),
    }
    anchor("inspector.registered", payload, now=now)
    return inspector
