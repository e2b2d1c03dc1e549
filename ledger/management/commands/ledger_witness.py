"""``manage.py ledger_witness``: register partner witnesses and run the ones kept on this machine.

    ledger_witness init NAME --label "City Audit Office" --url http://127.0.0.1:8101
    ledger_witness add --key 'NAME+ID+KEY' --label "..." --url https://witness.partner.example
    ledger_witness list [--local]
    ledger_witness serve [NAME ...]         (default: every witness with a key in DATA_DIR)
    ledger_witness activate|deactivate NAME

``init`` generates a witness key in ``DATA_DIR/witnesses/`` (the demo's partners); a real partner
runs ``python -m ledger.witness_server`` on its own machine and gives you its verifier key for
``add``. ``serve`` runs local witnesses with the standalone server, one thread each, on the port of
their URL, trusting this log's verifier key.
"""

import threading
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledger import cosigning, keys
from ledger.models import Witness
from ledger.note import NoteError
from ledger.witness_server import Witness as WitnessService
from ledger.witness_server import WitnessStateError, make_server


class Command(BaseCommand):
    help = "Register partner witnesses, list them, or serve the witnesses kept on this machine."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="create a local witness key and register it")
        init.add_argument("name", help="key name, e.g. audit.example/witness")
        init.add_argument("--label", required=True, help="the partner, as the public sees it")
        init.add_argument("--url", required=True, help="its submission URL (http://host:port)")
        add = sub.add_parser("add", help="register a partner's witness by its verifier key")
        add.add_argument("--key", required=True, help="the witness's verifier key string")
        add.add_argument("--label", required=True)
        add.add_argument("--url", default="")
        listing = sub.add_parser("list", help="print the registered witnesses")
        listing.add_argument("--local", action="store_true", help="only those with a local key")
        serve = sub.add_parser("serve", help="run local witnesses until interrupted")
        serve.add_argument("names", nargs="*")
        for action in ("activate", "deactivate"):
            sub.add_parser(action).add_argument("name")

    def handle(self, *args: object, action: str, **options: object) -> None:
        getattr(self, f"_{action}")(**options)

    def _init(self, name: str, label: str, url: str, **_: object) -> None:
        witness = cosigning.create_local_witness(name=name, label=label, url=url)
        self.stdout.write(witness.verifier_key)

    def _add(self, key: str, label: str, url: str, **_: object) -> None:
        try:
            witness = cosigning.register_witness(verifier_key=key, label=label, url=url)
        except NoteError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"registered {witness.name}")

    def _list(self, local: bool, **_: object) -> None:
        for witness in Witness.objects.order_by("name"):
            if local and not cosigning.local_witness_files(witness.name)[0].exists():
                continue
            state = "active" if witness.active else "inactive"
            self.stdout.write(f"{witness.name}\t{state}\t{witness.url}\t{witness.label}")

    def _set_active(self, name: str, active: bool) -> None:
        if not Witness.objects.filter(name=name).update(active=active):
            raise CommandError(f"no witness named {name!r}")

    def _activate(self, name: str, **_: object) -> None:
        self._set_active(name, True)

    def _deactivate(self, name: str, **_: object) -> None:
        self._set_active(name, False)

    def _serve(self, names: list[str], **_: object) -> None:
        witnesses = Witness.objects.order_by("name")
        if names:
            witnesses = witnesses.filter(name__in=names)
        servers = []
        log_key = keys.log_verifier_key()
        for witness in witnesses:
            key_file, state_file = cosigning.local_witness_files(witness.name)
            if not key_file.exists():
                if names:
                    raise CommandError(f"no local key for {witness.name} ({key_file})")
                continue
            url = urlsplit(witness.url)
            if not url.port:
                raise CommandError(f"{witness.name}: URL {witness.url!r} names no port")
            service = WitnessService(key_file.read_text().strip(), [log_key], state_file)
            try:
                service.state.check()
            except WitnessStateError as exc:
                raise CommandError(f"witness {witness.name}: {exc}") from exc
            try:
                servers.append(make_server(service, url.hostname or "127.0.0.1", url.port))
            except OSError as exc:
                self.stderr.write(f"witness {witness.name}: cannot listen on {witness.url}: {exc}")
                continue
            self.stdout.write(f"witness {witness.name} ({witness.label}) on {witness.url}")
        if not servers:
            raise CommandError("no local witness to serve (see `ledger_witness init`)")
        self.stdout.flush()
        threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except KeyboardInterrupt:
            pass
        finally:
            for server in servers:
                server.shutdown()
                server.server_close()
