"""Evidence that a milestone was delivered: signed device readings (stored, then evaluated by a
worker) and inspectors' signed sign-offs. An accepted attestation is anchored and may release
the milestone's payment (``milestones.release_if_ready``).

Replay protection for readings: each device's ``counter`` must grow strictly and its
``timestamp`` must not go back, both checked under a lock on the device row; ``(device,
counter)`` is also unique in the database. Timestamps more than ``MAX_CLOCK_SKEW`` ahead of the
server's clock are refused.

History cannot be made up after the fact: a reading timestamped before its device's registration
is refused, and so is one older than ``reading_max_age()`` when the server receives it (a device
may buffer readings while offline and send them later, but only that far back). Without these
bounds one burst of backdated readings, posted the moment a device is registered, would "prove"
a day of operation. The evaluation also ignores readings from before a device's registration.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import device_condition, signing
from governance.models import Attestation, Device, DeviceReading, Inspector, Milestone
from governance.services.anchoring import anchor, stamp
from governance.services.errors import Conflict, EvidenceRejected, Invalid, WrongState
from governance.services.milestones import release_if_ready

MAX_CLOCK_SKEW = timedelta(minutes=5)
# How long a device may buffer readings before sending them (store-and-forward), in seconds;
# the Django setting GOVERNANCE_READING_MAX_AGE overrides it.
DEFAULT_READING_MAX_AGE = 6 * 3600
ATTESTATION_KIND = "milestone.attested"


def counts_from(device: Device) -> datetime:
    """The earliest reading timestamp accepted from `device`: its registration, to the second
    (readings are stamped to the second, registrations to the microsecond)."""
    return device.registered_at.replace(microsecond=0)


def reading_max_age() -> timedelta:
    """The oldest a reading may be when it arrives (store-and-forward buffer)."""
    return timedelta(
        seconds=getattr(settings, "GOVERNANCE_READING_MAX_AGE", DEFAULT_READING_MAX_AGE)
    )


@transaction.atomic
def record_reading(*, data: object, now: datetime | None = None) -> DeviceReading:
    """Store one signed reading, or refuse with the reason and store nothing."""
    now = now or timezone.now()
    try:
        reading = signing.parse_reading(data)
    except signing.EvidenceError as exc:
        raise Invalid(str(exc)) from None
    device = Device.objects.select_for_update().filter(device_id=reading.device).first()
    if device is None:
        raise EvidenceRejected(
            _("device: %(device)s is not registered") % {"device": reading.device}
        )
    if not device.active:
        raise EvidenceRejected(
            _("device: %(device)s has been deactivated") % {"device": reading.device}
        )
    try:
        signing.verify_reading(reading, device.public_key)
    except signing.EvidenceError as exc:
        raise EvidenceRejected(str(exc)) from None
    if reading.counter <= device.last_counter:
        raise Conflict(
            _(
                "counter: %(counter)s is not above the last accepted %(last_counter)s (replayed or out of order)"
            )
            % {"counter": reading.counter, "last_counter": device.last_counter}
        )
    if device.last_timestamp and reading.timestamp < device.last_timestamp:
        raise Conflict(
            _("timestamp: goes back before the last accepted %(value)s")
            % {"value": stamp(device.last_timestamp)}
        )
    if reading.timestamp > now + MAX_CLOCK_SKEW:
        raise Invalid(_("timestamp: more than 5 minutes in the future"))
    if reading.timestamp < counts_from(device):
        raise EvidenceRejected(
            _("timestamp: before the device was registered at %(value)s")
            % {"value": stamp(device.registered_at)}
        )
    max_age = reading_max_age()
    if reading.timestamp < now - max_age:
        raise Invalid(
            _("timestamp: more than %(hours)s hours old when received")
            % {"hours": f"{max_age.total_seconds() / 3600:g}"}
        )
    device.last_counter = reading.counter
    device.last_timestamp = reading.timestamp
    device.save(update_fields=["last_counter", "last_timestamp"])
    return DeviceReading.objects.create(
        device=device,
        counter=reading.counter,
        timestamp=reading.timestamp,
        metrics=reading.metrics,
        signature=reading.signature,
        received_at=now,
    )


def _attest(
    milestone: Milestone, statement: dict, *, now: datetime, **fields: object
) -> Attestation:
    entry = anchor(
        ATTESTATION_KIND,
        {"project": milestone.project_id, "milestone": milestone.pk, **statement},
        now=now,
        project=milestone.project,
        milestone=milestone,
    )
    return Attestation.objects.create(
        milestone=milestone, statement=statement, created_at=now, entry=entry, **fields
    )


@transaction.atomic
def attest_by_inspector(
    *, milestone: Milestone, statement: object, signature: object, now: datetime | None = None
) -> Attestation:
    """Accept an inspector's signed sign-off (docs/spec/governance.md §5.2) for `milestone`."""
    now = now or timezone.now()
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    if milestone.evidence != Milestone.Evidence.INSPECTOR:
        raise WrongState(_("this milestone is attested by the project's devices, not an inspector"))
    if Attestation.objects.filter(milestone=milestone).exists():
        raise Conflict(_("this milestone already has an accepted attestation"))
    try:
        statement = signing.parse_statement(statement)
    except signing.EvidenceError as exc:
        raise Invalid(str(exc)) from None
    expected = {
        "site": settings.POLITY_DOMAIN,
        "project": milestone.project_id,
        "milestone": milestone.pk,
        "amount_cents": milestone.amount_cents,
    }
    for name, value in expected.items():
        if statement[name] != value:
            raise EvidenceRejected(
                _("statement.%(name)s: signed %(value)s, expected %(value2)s")
                % {"name": name, "value": repr(statement[name]), "value2": repr(value)}
            )
    if signing.parse_time(statement["inspected_at"], "inspected_at") > now + MAX_CLOCK_SKEW:
        raise Invalid(_("statement.inspected_at: in the future"))
    inspector = Inspector.objects.filter(key_id=statement["inspector"], active=True).first()
    if inspector is None:
        raise EvidenceRejected(
            _("statement.inspector: %(value)s is not registered")
            % {"value": statement["inspector"]}
        )
    try:
        signing.verify_statement(statement, signature, inspector.public_key)
    except signing.EvidenceError as exc:
        raise EvidenceRejected(str(exc)) from None
    attestation = _attest(
        milestone,
        {"evidence": "inspector", "statement": statement, "signature": signature},
        now=now,
        evidence=Milestone.Evidence.INSPECTOR,
        inspector=inspector,
        signature=signature,
    )
    release_if_ready(milestone=milestone, now=now)
    return attestation


def _samples(milestone: Milestone, start: datetime, end: datetime) -> dict:
    devices = list(milestone.project.devices.filter(active=True).order_by("device_id"))
    readings: dict[str, list] = {d.device_id: [] for d in devices}
    rows = DeviceReading.objects.filter(
        device__in=devices, timestamp__gte=start, timestamp__lte=end
    ).values_list("device__device_id", "timestamp", "metrics", "counter", "signature")
    # A reading from before its device's registration never counts (none is accepted now; this
    # also keeps out any stored before that rule).
    earliest = {d.device_id: counts_from(d) for d in devices}
    digest = hashlib.sha256()
    for device_id, timestamp, metrics, counter, signature in rows.order_by(
        "device__device_id", "counter"
    ):
        if timestamp < earliest[device_id]:
            continue
        readings[device_id].append(
            device_condition.Sample(timestamp, metrics.get(milestone.device_metric) is True)
        )
        digest.update(f"{device_id} {counter} {signature}\n".encode())
    return {"readings": readings, "digest": digest.hexdigest()}


@transaction.atomic
def evaluate_devices(*, milestone: Milestone, now: datetime | None = None) -> Attestation | None:
    """Evaluate a device-attested milestone's condition at `now`; when it holds, record the
    attestation (with a digest of the readings it rests on) and try to release the payment."""
    now = now or timezone.now()
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    if milestone.evidence != Milestone.Evidence.DEVICES:
        raise WrongState(_("this milestone is attested by an inspector"))
    if Attestation.objects.filter(milestone=milestone).exists():
        return None
    window = timedelta(seconds=milestone.device_window)
    found = _samples(milestone, now - window - timedelta(seconds=milestone.device_max_gap), now)
    evaluation = device_condition.evaluate(
        found["readings"],
        now=now,
        window=window,
        max_gap=timedelta(seconds=milestone.device_max_gap),
        quorum_bps=milestone.device_quorum_bps,
    )
    if not evaluation.met:
        return None
    summary = {
        "evidence": "devices",
        "metric": milestone.device_metric,
        "window_start": stamp(evaluation.window_start),
        "max_gap": milestone.device_max_gap,
        "window_end": stamp(evaluation.window_end),
        "devices": evaluation.devices,
        "meeting": evaluation.meeting,
        "required": evaluation.required,
        # SHA-256 over "<device> <counter> <signature>\n" of every reading from window_start -
        # max_gap to window_end, in (device, counter) order: the evidence can be re-checked.
        "readings_sha256": found["digest"],
    }
    attestation = _attest(milestone, summary, now=now, evidence=Milestone.Evidence.DEVICES)
    release_if_ready(milestone=milestone, now=now)
    return attestation


def evaluate_due(*, now: datetime | None = None) -> int:
    """Evaluate every device-attested milestone that has no attestation yet (the worker's job);
    returns how many were attested now."""
    attested = 0
    pending = Milestone.objects.filter(
        evidence=Milestone.Evidence.DEVICES, attestation__isnull=True
    ).values_list("pk", flat=True)
    for pk in pending:
        if evaluate_devices(milestone=Milestone(pk=pk), now=now) is not None:
            attested += 1
    return attested
