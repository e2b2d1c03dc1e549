"""Where the published test vectors live, and how tests ask for them.

The vectors sit beside the repository in ``../shared/vectors``. Tests read them from there and skip
only when that folder is absent (a clone without it); a missing file inside it is a failure.
"""

from pathlib import Path

import pytest

VECTORS = Path(__file__).resolve().parent.parent.parent / "shared" / "vectors"


def vectors_dir(*parts: str) -> Path:
    """Return ``../shared/vectors/<parts>``; skip the calling test if the vectors folder is absent."""
    if not VECTORS.is_dir():
        pytest.skip(f"published vectors not found at {VECTORS}")
    path = VECTORS.joinpath(*parts)
    assert path.exists(), f"vector path missing: {path}"
    return path
