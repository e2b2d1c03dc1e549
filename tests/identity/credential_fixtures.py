"""A credential signed outside the database, for the pure format tests."""

import uuid
from datetime import UTC, datetime, timedelta

from identity import bbs, did
from identity.credential import ResidentClaims, sign_credential, unsigned_credential
from identity.status_list import status_entry

SECRET_KEY = bbs.keygen(b"credential format test key material!", b"polity")
PUBLIC_KEY = bbs.sk_to_pk(SECRET_KEY)
ISSUER = "did:web:city.example"
METHOD = f"{ISSUER}#{did.key_id(PUBLIC_KEY)}"
VALID_FROM = datetime(2026, 3, 1, tzinfo=UTC)
LISTS = "https://city.example/api/identity/status-lists"


def signed_credential(district: int = 5, birth_year: int = 1990, index: int = 4242) -> dict:
    claims = ResidentClaims(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        district=district,
        birth_year=birth_year,
        age_over_16=True,
        age_over_18=False,
    )
    entries = {
        purpose: status_entry(list_url=f"{LISTS}/{purpose}/1", purpose=purpose, index=index)
        for purpose in ("revocation", "suspension")
    }
    document = unsigned_credential(
        claims=claims,
        issuer=ISSUER,
        valid_from=VALID_FROM,
        valid_until=VALID_FROM + timedelta(days=365),
        status_entries=entries,
    )
    return sign_credential(
        document, secret_key=SECRET_KEY, public_key=PUBLIC_KEY, verification_method=METHOD
    )
