"""Secret key files: created once with mode 0600, race-free, never overwritten. No Django here,
so the standalone witness server uses it too."""

import os
from pathlib import Path

from ledger.note import generate_signer_key


def write_secret(path: Path, text: str) -> bool:
    """Create `path` (mode 0600) holding `text` unless it exists; True if this call created it.

    The file is complete before it appears under its name, and of two concurrent writers only one
    wins (``link`` refuses an existing name), so a reader never sees half a key.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)


def signer_key_file(path: Path, name: str, key_type: int) -> str:
    """The signer key string stored at `path`, generating (name, key_type) there on first use."""
    if not path.exists():
        skey, _vkey = generate_signer_key(name, key_type)
        write_secret(path, skey + "\n")
    return path.read_text().strip()
