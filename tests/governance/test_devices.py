"""Device readings: signatures, registration and replay refusals; the device condition."""

from datetime import timedelta

import pytest

from governance import device_condition, signing
from governance.device_condition import Sample
from governance.models import Device, DeviceReading, Milestone
from governance.services import evidence
from governance.services import projects as project_services
from governance.services.errors import Conflict, EvidenceRejected, Invalid
from ledger.models import Entry
from tests.governance.helpers import T0, new_key, reading, seconds, street_lighting


@pytest.fixture
def lighting(admin):
    return street_lighting(admin, window=60, gap=20)


@pytest.fixture
def device(admin, lighting):
    key, public = new_key()
    project_services.register_device(
        by=admin,
        project=lighting,
        device_id="lamp-001",
        kind="street_light",
        public_key=public,
        now=T0,
    )
    return key


# --- strict parsing (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"counter": -1}, "counter"),
        ({"counter": True}, "counter"),
        ({"counter": 2**53}, "counter"),
        ({"timestamp": "2026-03-02 09:00:00"}, "timestamp"),
        ({"timestamp": "2026-02-30T09:00:00Z"}, "not a real date"),
        ({"metrics": {}}, "metrics"),
        ({"metrics": {"Working": True}}, "name"),
        ({"metrics": {"lux": 1.5}}, "metrics.lux"),
        ({"metrics": {"lux": "high"}}, "metrics.lux"),
        ({"device": "Lamp 1"}, "device"),
        ({"signature": "00" * 63}, None),
    ],
)
def test_malformed_readings_are_refused_with_the_field_named(change, reason):
    key, _public = new_key()
    data = {**reading(key, "lamp-001", 1, T0), **change}
    if reason is None:  # a short signature parses; it fails at verification
        parsed = signing.parse_reading(data)
        with pytest.raises(signing.EvidenceError, match="signature"):
            signing.verify_reading(parsed, _public)
        return
    with pytest.raises(signing.EvidenceError, match=reason):
        signing.parse_reading(data)


def test_unknown_and_missing_fields_are_refused():
    key, _ = new_key()
    data = reading(key, "lamp-001", 1, T0)
    with pytest.raises(signing.EvidenceError, match="unexpected"):
        signing.parse_reading({**data, "battery": 3})
    del data["counter"]
    with pytest.raises(signing.EvidenceError, match="missing"):
        signing.parse_reading(data)


def test_the_signed_message_is_the_documented_canonical_form():
    body = {
        "device": "lamp-001",
        "counter": 7,
        "timestamp": "2026-03-02T09:00:00Z",
        "metrics": {"working": True, "lux": 1200},
    }
    assert signing.reading_message(body) == (
        b"polity-device-reading-v1\n"
        b'{"counter":7,"device":"lamp-001","metrics":{"lux":1200,"working":true},'
        b'"timestamp":"2026-03-02T09:00:00Z"}'
    )


# --- recording -----------------------------------------------------------------------------------


def test_a_signed_reading_from_a_registered_device_is_stored(device):
    stored = evidence.record_reading(data=reading(device, "lamp-001", 1, T0), now=T0)
    assert stored.counter == 1 and stored.metrics == {"working": True}
    assert stored.device.last_counter == 1


def test_an_unregistered_device_is_refused(device):
    other, _ = new_key()
    with pytest.raises(EvidenceRejected, match="not registered"):
        evidence.record_reading(data=reading(other, "lamp-999", 1, T0), now=T0)


def test_a_reading_signed_by_another_key_is_refused(device):
    impostor, _ = new_key()
    with pytest.raises(EvidenceRejected, match="does not verify"):
        evidence.record_reading(data=reading(impostor, "lamp-001", 1, T0), now=T0)
    assert not DeviceReading.objects.exists()


def test_a_tampered_reading_is_refused(device):
    data = reading(device, "lamp-001", 1, T0, working=False)
    data["metrics"] = {"working": True}
    with pytest.raises(EvidenceRejected, match="does not verify"):
        evidence.record_reading(data=data, now=T0)


def test_a_replayed_reading_is_refused(device):
    data = reading(device, "lamp-001", 1, T0)
    evidence.record_reading(data=data, now=T0)
    with pytest.raises(Conflict, match="replayed"):
        evidence.record_reading(data=data, now=T0 + seconds(1))
    assert DeviceReading.objects.count() == 1


def test_an_older_counter_is_refused(device):
    evidence.record_reading(data=reading(device, "lamp-001", 5, T0), now=T0)
    with pytest.raises(Conflict, match="not above the last accepted 5"):
        evidence.record_reading(data=reading(device, "lamp-001", 4, T0 + seconds(1)), now=T0)


def test_a_timestamp_going_back_is_refused(device):
    evidence.record_reading(data=reading(device, "lamp-001", 1, T0), now=T0)
    with pytest.raises(Conflict, match="timestamp"):
        evidence.record_reading(data=reading(device, "lamp-001", 2, T0 - seconds(1)), now=T0)


def test_a_timestamp_in_the_future_is_refused(device):
    with pytest.raises(Invalid, match="future"):
        evidence.record_reading(data=reading(device, "lamp-001", 1, T0 + seconds(301)), now=T0)


def test_a_reading_from_before_the_devices_registration_is_refused(device):
    with pytest.raises(EvidenceRejected, match="before the device was registered"):
        evidence.record_reading(data=reading(device, "lamp-001", 1, T0 - seconds(1)), now=T0)
    assert not DeviceReading.objects.exists()
    # The registration's own second counts (readings are stamped to the second).
    evidence.record_reading(data=reading(device, "lamp-001", 2, T0), now=T0 + seconds(0.5))


def test_a_reading_older_than_the_store_and_forward_buffer_is_refused(device, settings):
    settings.GOVERNANCE_READING_MAX_AGE = 3600
    late = T0 + seconds(3601)
    with pytest.raises(Invalid, match="more than 1 hours old"):
        evidence.record_reading(data=reading(device, "lamp-001", 1, T0), now=late)
    assert not DeviceReading.objects.exists()
    evidence.record_reading(data=reading(device, "lamp-001", 2, T0 + seconds(1)), now=late)


def test_the_buffer_defaults_to_six_hours(device):
    assert evidence.reading_max_age() == timedelta(hours=6)
    with pytest.raises(Invalid, match="more than 6 hours old"):
        evidence.record_reading(
            data=reading(device, "lamp-001", 1, T0), now=T0 + timedelta(hours=6, seconds=1)
        )


def test_a_deactivated_device_is_refused(device):
    Device.objects.update(active=False)
    with pytest.raises(EvidenceRejected, match="deactivated"):
        evidence.record_reading(data=reading(device, "lamp-001", 1, T0), now=T0)


def test_registering_a_key_twice_is_refused_and_registration_is_anchored(admin, lighting, device):
    _, public = new_key()
    with pytest.raises(Conflict):
        project_services.register_device(
            by=admin,
            project=lighting,
            device_id="lamp-001",
            kind="street_light",
            public_key=public,
        )
    with pytest.raises(Invalid, match="public_key"):
        project_services.register_device(
            by=admin,
            project=lighting,
            device_id="lamp-002",
            kind="street_light",
            public_key="zz" * 32,
        )
    registered = Entry.objects.filter(kind="device.registered")
    assert [e.payload["device"] for e in registered] == ["lamp-001"]


# --- the condition (pure) -----------------------------------------------------------------------


def samples(start, count, step, ok=True):
    return [Sample(start + timedelta(seconds=i * step), ok) for i in range(count)]


WINDOW, GAP = timedelta(seconds=60), timedelta(seconds=20)


def evaluate(readings, now):
    return device_condition.evaluate(readings, now=now, window=WINDOW, max_gap=GAP, quorum_bps=9500)


def test_ninety_five_percent_of_twenty_devices_is_nineteen():
    now = T0 + seconds(60)
    good = samples(T0, 7, 10)
    readings = {f"d{i}": good for i in range(19)} | {"d19": []}
    result = evaluate(readings, now)
    assert result.met and (result.meeting, result.required) == (19, 19)
    readings["d18"] = []
    assert not evaluate(readings, now).met


def test_a_failure_inside_the_window_breaks_the_streak():
    now = T0 + seconds(60)
    broken = samples(T0, 7, 10)
    broken[3] = Sample(broken[3].timestamp, False)
    assert not device_condition.device_meets(broken, start=T0, end=now, gap=GAP)


def test_silence_longer_than_the_gap_breaks_the_streak():
    now = T0 + seconds(60)
    sparse = [Sample(T0, True), Sample(T0 + seconds(30), True), Sample(now, True)]
    assert not device_condition.device_meets(sparse, start=T0, end=now, gap=GAP)


def test_a_device_that_started_late_or_stopped_early_does_not_cover_the_window():
    now = T0 + seconds(60)
    assert not device_condition.device_meets(
        samples(T0 + seconds(25), 4, 10), start=T0, end=now, gap=GAP
    )
    assert not device_condition.device_meets(samples(T0, 4, 10), start=T0, end=now, gap=GAP)


def test_no_devices_never_meets_the_condition():
    assert not evaluate({}, T0).met


# --- the worker's evaluation -----------------------------------------------------------------


def test_the_worker_attests_when_the_condition_holds(admin, lighting):
    keys = {}
    for i in range(20):
        key, public = new_key()
        project_services.register_device(
            by=admin,
            project=lighting,
            device_id=f"lamp-{i:03}",
            kind="street_light",
            public_key=public,
            now=T0,
        )
        keys[f"lamp-{i:03}"] = key
    milestone = lighting.milestones.get(evidence=Milestone.Evidence.DEVICES)
    for step in range(7):
        at = T0 + seconds(10 * step)
        for number, (device_id, key) in enumerate(keys.items()):
            working = not (number == 0 and step == 3)  # one lamp flickers: 19 of 20 remain
            evidence.record_reading(
                data=reading(key, device_id, step + 1, at, working=working), now=at
            )
    assert evidence.evaluate_devices(milestone=milestone, now=T0 + seconds(59)) is None  # 59s
    attestation = evidence.evaluate_devices(milestone=milestone, now=T0 + seconds(60))
    assert attestation is not None
    assert attestation.statement["meeting"] == 19 and attestation.statement["devices"] == 20
    assert attestation.entry.kind == "milestone.attested"
    assert len(attestation.statement["readings_sha256"]) == 64
    # Evaluated again: nothing new.
    assert evidence.evaluate_devices(milestone=milestone, now=T0 + seconds(61)) is None
    assert evidence.evaluate_due(now=T0 + seconds(62)) == 0


def register_lamps(admin, project, count, at):
    keys = {}
    for i in range(count):
        key, public = new_key()
        project_services.register_device(
            by=admin,
            project=project,
            device_id=f"lamp-{i:03}",
            kind="street_light",
            public_key=public,
            now=at,
        )
        keys[f"lamp-{i:03}"] = key
    return keys


def test_a_burst_of_backdated_readings_at_registration_does_not_attest(admin, lighting):
    """Registered at T0 + 60s, the lamps post 60 seconds of "history" at once: all refused."""
    registered = T0 + seconds(60)
    keys = register_lamps(admin, lighting, 3, registered)
    milestone = lighting.milestones.get(evidence=Milestone.Evidence.DEVICES)
    for step in range(7):
        for device_id, key in keys.items():
            data = reading(key, device_id, step + 1, T0 + seconds(10 * step))
            if step < 6:
                with pytest.raises(EvidenceRejected, match="before the device was registered"):
                    evidence.record_reading(data=data, now=registered)
            else:
                evidence.record_reading(data=data, now=registered)
    assert DeviceReading.objects.count() == 3  # only the readings stamped at registration
    assert evidence.evaluate_devices(milestone=milestone, now=registered) is None


def test_readings_stored_from_before_registration_are_not_evidence(admin, lighting):
    """Even readings stored before the rule existed: the window cannot open before registration."""
    registered = T0 + seconds(60)
    keys = register_lamps(admin, lighting, 1, registered)
    milestone = lighting.milestones.get(evidence=Milestone.Evidence.DEVICES)
    device = Device.objects.get()
    for step in range(7):
        at = T0 + seconds(10 * step)
        DeviceReading.objects.create(
            device=device,
            counter=step + 1,
            timestamp=at,
            metrics={"working": True},
            signature=reading(keys["lamp-000"], "lamp-000", step + 1, at)["signature"],
            received_at=registered,
        )
    assert evidence.evaluate_devices(milestone=milestone, now=registered) is None
    Device.objects.update(registered_at=T0)  # had it been registered at T0, the same would attest
    assert evidence.evaluate_devices(milestone=milestone, now=registered) is not None
