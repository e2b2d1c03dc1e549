"""``manage.py trustee generate|post|verify|decrypt``: a trustee's side of an election from
the command line, the same steps as the trustee page in the browser.

    trustee generate --election 3 --user ada --file ada.json      # secret file + ada.json.public.json
    trustee post     --election 3 --user ada --file ada.json      # publish; later: send the shares
    trustee verify   --election 3 --user ada --file ada.json      # check shares, store the key share
    trustee decrypt  --election 3 --user ada --file ada.json      # post the partial decryption

The secret stays in the file (sealed with a passphrase from --passphrase-file, the
POLITY_TRUSTEE_PASSPHRASE variable or a prompt; --no-passphrase writes it plain).

With ``--server https://city.example`` it runs on the trustee's own device and talks to the
server only over HTTPS, logged in as --user (password from --password-file, the
POLITY_TRUSTEE_PASSWORD variable or a prompt): it hands over to ``voting.trustee_client``, which
also runs without Django as ``python -m voting.trustee_client``. Without --server it talks to
the database directly through the services, acting as --user: the server operator's mode, run
where the server runs.
"""

import argparse
import getpass
import json
import os
from io import StringIO
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from identity.models import User
from voting import services, trustee_client, trustee_local
from voting.crypto import CryptoError, ShareError
from voting.models import Election
from voting.services.errors import ElectionRefusal
from voting.trustee_file import TrusteeFileError, dump_trustee_file, is_sealed, load_trustee_file

PASSPHRASE_ENV = "POLITY_TRUSTEE_PASSPHRASE"  # noqa: S105 - a variable name, not a secret


class Command(BaseCommand):
    help = "A trustee's key ceremony and decryption steps, with the secret kept in a local file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["generate", "post", "verify", "decrypt"])
        parser.add_argument("--election", type=int, required=True, help="election id")
        parser.add_argument("--user", required=True, help="the trustee's user name")
        parser.add_argument("--file", required=True, type=Path, help="the trustee's secret file")
        parser.add_argument("--passphrase-file", type=Path, help="read the passphrase from here")
        parser.add_argument(
            "--no-passphrase", action="store_true", help="write the secret file unencrypted"
        )
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")
        parser.add_argument(
            "--server", help="talk to this server over HTTPS (e.g. https://city.example)"
        )
        parser.add_argument(
            "--password-file", type=Path, help="with --server: read the password from here"
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["server"]:
            self.handle_remote(options)
            return
        try:
            election = Election.objects.get(pk=options["election"])
            user = User.objects.get(username=options["user"])
        except (Election.DoesNotExist, User.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        self.options = options
        step = getattr(self, f"step_{options['step']}")
        try:
            step(election, user, options["file"])
        except (ElectionRefusal, TrusteeFileError, CryptoError) as exc:
            raise CommandError(getattr(exc, "reason", None) or str(exc)) from exc

    def handle_remote(self, options: dict) -> None:
        """The trustee's own-device mode: every step through the server's API."""
        fields = ("step", "server", "election", "user", "file", "password_file")
        fields += ("passphrase_file", "no_passphrase", "force")
        args = argparse.Namespace(**{name: options[name] for name in fields})
        out = StringIO()
        try:
            trustee_client.run(args, out)
        except trustee_client.REFUSALS as exc:
            raise CommandError(str(exc)) from exc
        finally:
            self.stdout.write(out.getvalue(), ending="")

    # The passphrase --------------------------------------------------------------------------
    def _passphrase(self, *, confirm: bool) -> str | None:
        if self.options["no_passphrase"]:
            return None
        if self.options["passphrase_file"]:
            return self.options["passphrase_file"].read_text().strip()
        if os.environ.get(PASSPHRASE_ENV):
            return os.environ[PASSPHRASE_ENV]
        first = getpass.getpass("Passphrase for the trustee file: ")
        if confirm and getpass.getpass("Again: ") != first:
            raise CommandError("the passphrases differ")
        return first

    def _read(self, path: Path):
        """(the trustee file, its passphrase or None)."""
        if not path.exists():
            raise CommandError(f"{path} does not exist (run 'trustee generate' first)")
        text = path.read_text()
        passphrase = self._passphrase(confirm=False) if is_sealed(text) else None
        return load_trustee_file(text, passphrase), passphrase

    def _write(self, path: Path, tf, passphrase: str | None) -> None:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(dump_trustee_file(tf, passphrase))
        tmp.chmod(0o600)
        tmp.replace(path)

    # The steps -------------------------------------------------------------------------------
    def step_generate(self, election: Election, user: User, path: Path) -> None:
        if path.exists() and not self.options["force"]:
            raise CommandError(f"{path} exists; it may hold a key you need (use --force)")
        tf, public = trustee_local.generate(election, user)
        self._write(path, tf, self._passphrase(confirm=True))
        public_path = path.with_name(path.name + ".public.json")
        public_path.write_text(json.dumps(public.to_json(), indent=2) + "\n")
        self.stdout.write(f"Trustee {tf.secret.index}: secret written to {path} (keep it safe)")
        self.stdout.write(f"Public record written to {public_path}; next: trustee post")

    def step_post(self, election: Election, user: User, path: Path) -> None:
        tf, _ = self._read(path)
        public_path = path.with_name(path.name + ".public.json")
        trustee = trustee_local.trustee_for(election, user)
        if trustee.public is None:
            public = json.loads(public_path.read_text())
            services.post_trustee_public(election=election, user=user, public=public)
            self.stdout.write(f"Published the key record of trustee {trustee.index}.")
            trustee.refresh_from_db()
        if trustee.shares_posted_at is not None:
            self.stdout.write("Your shares were already sent; next: trustee verify")
            return
        waiting = election.trustees.filter(public__isnull=True).count()
        if waiting:
            self.stdout.write(
                f"Waiting for {waiting} trustee(s) to publish; run 'trustee post' again later."
            )
            return
        boxes = trustee_local.deal(election, user, tf)
        services.post_share_boxes(election=election, user=user, boxes=boxes)
        self.stdout.write(f"Sent {len(boxes)} sealed share(s); next: trustee verify")

    def step_verify(self, election: Election, user: User, path: Path) -> None:
        tf, passphrase = self._read(path)
        try:
            completed = trustee_local.check_shares(election, user, tf)
        except ShareError as exc:
            verdict = trustee_local.complaint(tf, exc)
            services.post_share_verdict(election=election, user=user, **verdict)
            raise CommandError(
                f"complaint upheld against trustee {exc.trustee}: {exc} "
                "(your box secret was revealed as evidence; the ceremony must restart)"
            ) from exc
        self._write(path, completed, passphrase)
        services.post_share_verdict(election=election, user=user, ok=True)
        self.stdout.write(f"All shares check out; your key share is now in {path}.")

    def step_decrypt(self, election: Election, user: User, path: Path) -> None:
        tf, _ = self._read(path)
        partial = trustee_local.decrypt(election, user, tf)
        services.post_decryption(election=election, user=user, payload=partial.to_json())
        election.refresh_from_db()
        self.stdout.write(
            f"Partial decryption posted ({election.decryptions.count()} of "
            f"{election.threshold} needed)."
        )
