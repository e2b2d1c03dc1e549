"""Device key files for the demo and the simulator (``manage.py simulate_devices``).

A folder holds one ``<device id>.key`` file per device (the raw 32-byte Ed25519 private key as
64 hex digits and a newline, mode 0600) and ``devices.json`` listing them:
``{"devices": [{"device": "lamp-001", "project": 3, "key_file": "lamp-001.key"}, ...]}``.
Real devices keep their key in hardware; these files stand in for them in development.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

MANIFEST = "devices.json"


@dataclass(frozen=True)
class DeviceKey:
    device: str
    project: int
    key: Ed25519PrivateKey


def private_hex(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex()


def write_keys(folder: Path, keys: list[DeviceKey]) -> None:
    """Write (or add to) a folder of device keys and its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = {d["device"]: d for d in read_manifest(folder)}
    for item in keys:
        path = folder / f"{item.device}.key"
        path.write_text(private_hex(item.key) + "\n")
        path.chmod(0o600)
        entries[item.device] = {
            "device": item.device,
            "project": item.project,
            "key_file": path.name,
        }
    manifest = {"devices": sorted(entries.values(), key=lambda d: d["device"])}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def read_manifest(folder: Path) -> list[dict]:
    path = folder / MANIFEST
    if not path.exists():
        return []
    return json.loads(path.read_text())["devices"]


def read_keys(folder: Path, project: int | None = None) -> list[DeviceKey]:
    """The keys in a folder (optionally of one project), in device order."""
    found = []
    for entry in read_manifest(folder):
        if project is not None and entry["project"] != project:
            continue
        raw = bytes.fromhex((folder / entry["key_file"]).read_text().strip())
        found.append(
            DeviceKey(entry["device"], entry["project"], Ed25519PrivateKey.from_private_bytes(raw))
        )
    return found
