"""Start signing credentials with a new issuer key; the old public key stays in the DID document.

Development: writes new key material to DATA_DIR/keys/issuer-bbs.key. Production: the key comes
from POLITY_ISSUER_KEY; set new material there and restart (the command explains and refuses).
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from identity import did, issuer
from identity.models import IssuerKey


class Command(BaseCommand):
    help = "Rotate the city's BBS issuer key (old keys stay published until their credentials are revoked)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            key = issuer.rotate_signing_key()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Now signing with {key.verification_method}")
        self.stdout.write(f"  publicKeyMultibase {did.public_key_multibase(key.public_key)}")
        retired = IssuerKey.objects.filter(retired_at__isnull=False).count()
        self.stdout.write(f"{retired} earlier key(s) remain in /.well-known/did.json")
