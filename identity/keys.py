"""Secret key material of the identity app: from the environment in production, from files
under ``DATA_DIR/keys`` (created on first use, mode 0600) in development and tests.

Two secrets live here: the census key (HMAC key for document numbers) and the issuer's BBS key
material. Production refuses to run without them in the environment, so that a key is never
silently generated on one web server and missing on the next.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MINIMUM_KEY_BYTES = 32


def _keys_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "keys"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def key_path(name: str) -> Path:
    return _keys_dir() / name


def write_key_file(name: str, material: bytes) -> None:
    """Write ``material`` (hex) atomically to ``DATA_DIR/keys/name`` with mode 0600."""
    path = key_path(name)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(material.hex() + "\n")
    os.replace(temporary, path)


def _parse_hex(text: str, where: str) -> bytes:
    try:
        material = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{where} must be hex") from exc
    if len(material) < MINIMUM_KEY_BYTES:
        raise ImproperlyConfigured(f"{where} must hold at least {MINIMUM_KEY_BYTES} bytes")
    return material


def secret_material(env_name: str, file_name: str) -> bytes:
    """The key material named by ``env_name`` (hex, 32+ bytes), or in development the content
    of ``DATA_DIR/keys/file_name``, generated with 32 random bytes if absent."""
    from_env = os.environ.get(env_name, "")
    if from_env:
        return _parse_hex(from_env, env_name)
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            f"POLITY_ENV=production needs {env_name} (hex, at least {MINIMUM_KEY_BYTES} random "
            "bytes, e.g. from `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    path = key_path(file_name)
    if not path.exists():
        write_key_file(file_name, secrets.token_bytes(MINIMUM_KEY_BYTES))
    return _parse_hex(path.read_text(), str(path))
