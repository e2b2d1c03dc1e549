"""A standalone transparency-log witness (c2sp.org/tlog-witness), for partners to run themselves.

Needs no Polity database and no Django: only this package's pure modules, ``cryptography`` and
the standard library. A partner runs::

    python -m ledger.witness_server init --name auditor.example/witness --key auditor.key
    python -m ledger.witness_server serve --key auditor.key --state auditor-state.json \\
        --log-key 'city.example/ledger+1a2b3c4d+AQ...' --port 8101

and gives the log operator the printed verifier key and its URL. ``POST /add-checkpoint`` follows
the protocol: the body is ``old <size>``, the consistency proof lines, an empty line and the signed
checkpoint. The witness cosigns (cosignature/v1) only a checkpoint signed by a log it follows and
consistent with the last checkpoint it cosigned for that log; it answers 409 with its size
(``text/x.tlog.size``) when the old size is not its own, and never cosigns a smaller or forked
tree. The check and the update of its state file are one atomic step (a process lock and an
``flock`` on the state file), and the state is on disk (fsync, rename) before it answers.
"""

import argparse
import fcntl
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ledger.checkpoint import Checkpoint
from ledger.cosignature import (
    COSIGNATURE_V1,
    CosignatureSigner,
    parse_add_checkpoint,
    witness_add_checkpoint,
)
from ledger.keyfile import signer_key_file
from ledger.note import Ed25519Verifier, NoteError, parse_note

logger = logging.getLogger("ledger.witness")

MAX_BODY = 64 * 1024
SIZE_CONTENT_TYPE = "text/x.tlog.size"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class WitnessStateError(Exception):
    """The state file cannot be read; the witness refuses to cosign until an operator restores
    it (starting over from nothing would let the log roll back behind the witness's back)."""


class WitnessState:
    """The latest cosigned checkpoint per log origin, in a JSON file ``{origin: checkpoint}``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @contextmanager
    def locked(self):
        """Hold this process's lock and an exclusive flock, so check-and-update is atomic."""
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_name(self.path.name + ".lock"), "a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise WitnessStateError(f"witness state file {self.path} is damaged: {exc}") from None
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise WitnessStateError(
                f"witness state file {self.path} is damaged: not an object of origin to checkpoint"
            )
        return data

    def latest(self, origin: str) -> Checkpoint | None:
        text = self.read().get(origin)
        try:
            return Checkpoint.parse(text) if text else None
        except ValueError as exc:
            raise WitnessStateError(
                f"witness state file {self.path} is damaged: checkpoint of {origin}: {exc}"
            ) from None

    def check(self) -> None:
        """``WitnessStateError`` unless every stored checkpoint parses (run at start-up)."""
        for origin in self.read():
            self.latest(origin)

    def store(self, checkpoint: Checkpoint) -> None:
        data = self.read()
        data[checkpoint.origin] = checkpoint.format()
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


class Witness:
    """The witness's decision plus its persistent state; HTTP-free so it is easy to test."""

    def __init__(self, signer_key: str, log_keys: Sequence[str], state_path: Path) -> None:
        self.signer = CosignatureSigner(signer_key)
        self.log_keys = [Ed25519Verifier(k) for k in log_keys]
        self.state = WitnessState(state_path)

    @property
    def verifier_key(self) -> str:
        return self.signer.verifier_key()

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            old_size, proof, note = parse_add_checkpoint(body.decode("utf-8"))
            origin = parse_note(note).text.split("\n", 1)[0]
        except (UnicodeDecodeError, ValueError, NoteError) as exc:
            return Answer(HTTPStatus.BAD_REQUEST, f"malformed add-checkpoint request: {exc}\n")
        try:
            with self.state.locked():
                return self._add(origin, old_size, proof, note)
        except WitnessStateError as exc:
            logger.error("%s", exc)
            return Answer(HTTPStatus.INTERNAL_SERVER_ERROR, f"{exc}\n")

    def _add(self, origin: str, old_size: int, proof: list, note: str) -> Answer:
        """The decision and the state update, with the state lock held."""
        outcome = witness_add_checkpoint(
            signer=self.signer,
            log_keys=self.log_keys,
            latest=self.state.latest(origin),
            old_size=old_size,
            proof=proof,
            checkpoint_note=note,
            now=int(time.time()),
        )
        if outcome.accepted:
            self.state.store(outcome.checkpoint)
            logger.info("cosigned %s at size %d", origin, outcome.checkpoint.size)
            return Answer(HTTPStatus.OK, outcome.cosignature.line())
        logger.warning("refused %s (old %d): %s", origin, old_size, outcome.reason)
        if outcome.status == HTTPStatus.CONFLICT:
            return Answer(outcome.status, f"{outcome.size}\n", SIZE_CONTENT_TYPE)
        return Answer(outcome.status, outcome.reason + "\n")

    def describe(self) -> str:
        logs = "".join(f"log {k.name}\n" for k in self.log_keys)
        return f"c2sp.org/tlog-witness\nwitness {self.verifier_key}\n{logs}"


def make_handler(witness: Witness) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "PolityWitness/1"

        def _answer(self, answer: Answer) -> None:
            data = answer.body.encode("utf-8")
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if self.path != "/add-checkpoint":
                self._answer(Answer(HTTPStatus.NOT_FOUND, "not found\n"))
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._answer(Answer(HTTPStatus.LENGTH_REQUIRED, "Content-Length required\n"))
                return
            if not 0 <= length <= MAX_BODY:
                self.close_connection = True
                self._answer(Answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large\n"))
                return
            self._answer(witness.add_checkpoint(self.rfile.read(length)))

        def do_GET(self) -> None:
            if self.path == "/":
                self._answer(Answer(HTTPStatus.OK, witness.describe()))
            else:
                self._answer(Answer(HTTPStatus.NOT_FOUND, "not found\n"))

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("%s " + format, self.address_string(), *args)

    return Handler


def make_server(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    """A bound (not yet serving) HTTP server; port 0 picks a free port (``server.server_port``)."""
    server = ThreadingHTTPServer((host, port), make_handler(witness))
    server.daemon_threads = True
    return server


def _read_key_arg(value: str) -> str:
    path = Path(value)
    return path.read_text().strip() if path.is_file() else value.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ledger.witness_server", description="A c2sp.org/tlog-witness witness."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create a witness key (once) and print its verifier key")
    init.add_argument("--name", required=True, help="key name, e.g. auditor.example/witness")
    init.add_argument("--key", required=True, type=Path, help="file for the secret key (0600)")
    serve = sub.add_parser("serve", help="answer add-checkpoint requests")
    serve.add_argument("--key", required=True, type=Path, help="the witness's secret key file")
    serve.add_argument("--state", required=True, type=Path, help="JSON state file")
    serve.add_argument(
        "--log-key", action="append", required=True, help="verifier key (or file) of a log"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8101)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s witness %(message)s")
    if args.command == "init":
        witness_key = signer_key_file(args.key, args.name, COSIGNATURE_V1)
        print(CosignatureSigner(witness_key).verifier_key())
        return 0
    try:
        witness = Witness(
            args.key.read_text().strip(), [_read_key_arg(k) for k in args.log_key], args.state
        )
        witness.state.check()
    except (OSError, NoteError, WitnessStateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    server = make_server(witness, args.host, args.port)
    logger.info("witness %s listening on http://%s:%d", witness.verifier_key, args.host, args.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
