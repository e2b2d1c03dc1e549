"""A trustee's side of an election from their own device, over HTTPS:
``python -m voting.trustee_client --server URL --user NAME --election ID --file FILE STEP``.

    generate   make the secret file (+ FILE.public.json), for the running key ceremony
    post       publish the public record; once every trustee has, send the sealed shares
    verify     open and check the shares sent to you, store your key share, report the verdict
               (a complaint about a bad share reveals your box secret, so anyone can judge it)
    decrypt    post your partial decryption of the encrypted tally, with its proofs

The same steps as the trustee page in the browser and ``manage.py trustee`` on the server, with
the same crypto (``voting.trustee_steps``) and the same secret file (``voting.trustee_file``,
sealed with a passphrase from --passphrase-file, POLITY_TRUSTEE_PASSPHRASE or a prompt;
--no-passphrase writes it plain). Needs only the standard library and Polity's pure modules: no
Django. It logs in as --user (password from --password-file, POLITY_TRUSTEE_PASSWORD or a
prompt), keeps the session cookie in memory only, and sends only public data to the server:
the secret never leaves the file.

Exit status: 0 the step ran (or there is nothing to do yet, which it says); 1 the server or the
file refused it (the reason is printed); 2 the command line is wrong.
"""

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from html.parser import HTMLParser
from http.client import HTTPException
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

from voting import trustee_steps
from voting.crypto import CryptoError, ElectionContext, EncryptedTally, ShareError, TrusteePublic
from voting.trustee_file import TrusteeFileError, dump_trustee_file, is_sealed, load_trustee_file

PASSWORD_ENV = "POLITY_TRUSTEE_PASSWORD"  # noqa: S105 - variable names, not secrets
PASSPHRASE_ENV = "POLITY_TRUSTEE_PASSPHRASE"  # noqa: S105
LOGIN_PATH = "/accounts/login/"
CSRF_COOKIE = "csrftoken"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
TIMEOUT = 120  # seconds; a partial decryption is checked proof by proof on arrival


class Refused(Exception):
    """The step cannot go on; the message (often the server's reason) is for the trustee."""


# What ends a step with its reason printed (exit 1) rather than a traceback.
REFUSALS = (Refused, trustee_steps.StepError, TrusteeFileError, CryptoError, OSError)


class _NoRedirects(HTTPRedirectHandler):
    """A redirect is an answer (the log-in succeeded), not something to follow."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _ErrorText(HTMLParser):
    """The text of the elements marked ``error`` in an HTML page (a refused log-in form)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth or "error" in classes:
            self.depth += 1
            if self.depth == 1:
                self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def _errors_in(html: str) -> str:
    parser = _ErrorText()
    parser.feed(html)
    return " ".join(" ".join(text.split()) for text in parser.found if text.strip())


class Server:
    """One logged-in session with a Polity server; the cookies live in memory only."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise Refused(f"--server must be a URL like https://city.example, not {url!r}")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise Refused("use https:// (plain http is allowed only for this computer)")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), _NoRedirects())

    def _cookie(self, name: str) -> str:
        for cookie in self.cookies:
            if cookie.name == name:
                return cookie.value or ""
        return ""

    def _send(
        self, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        """(status, body) of one request; redirects and HTTP errors are answers too."""
        headers = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            headers |= {"X-CSRFToken": self._cookie(CSRF_COOKIE), "Referer": self.base + path}
        request = Request(self.base + path, data=data, headers=headers)  # noqa: S310 - http(s) only, checked above
        try:
            try:
                answer = self.opener.open(request, timeout=TIMEOUT)
            except HTTPError as exc:
                answer = exc
            with answer:
                return answer.status, answer.read()
        except (URLError, OSError, HTTPException) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise Refused(f"cannot reach {self.base}: {reason}") from None

    def log_in(self, username: str, password: str) -> None:
        status, _ = self._send(LOGIN_PATH, headers={"Accept": "text/html"})
        if status != 200 or not self._cookie(CSRF_COOKIE):
            raise Refused(f"{self.base}{LOGIN_PATH} did not offer a log-in form ({status})")
        form = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": self._cookie(CSRF_COOKIE),
        }
        status, body = self._send(
            LOGIN_PATH,
            urlencode(form).encode(),
            {"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"},
        )
        if status not in (301, 302, 303):
            reason = _errors_in(body.decode("utf-8", "replace")) or f"the server answered {status}"
            raise Refused(f"log-in refused: {reason}")

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        """The JSON answer to an API call; ``Refused`` with the server's reason otherwise."""
        data = None if method == "GET" else json.dumps(body or {}).encode()
        headers = {} if data is None else {"Content-Type": "application/json"}
        status, raw = self._send(path, data, headers)
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = None
        if 200 <= status < 300 and isinstance(doc, dict):
            return doc
        error = doc.get("error") if isinstance(doc, dict) else None
        reason = error.get("reason") if isinstance(error, dict) else None
        if not isinstance(reason, str) or not reason:
            reason = f"{method} {path}: the server answered {status}"
        raise Refused(reason)


class TrusteeClient:
    """The four steps, each reading the public state from the API and posting the result."""

    def __init__(self, server: Server, options: argparse.Namespace, out=None) -> None:
        self.server = server
        self.o = options
        self.out = out or sys.stdout
        self.api = f"/api/elections/{options.election}"

    def say(self, text: str) -> None:
        print(text, file=self.out)

    # The public state ------------------------------------------------------------------------
    def state(self) -> dict:
        return self.server.call("GET", f"{self.api}/ceremony")

    def ceremony(self, state: dict) -> trustee_steps.Ceremony:
        if state.get("me") is None:
            raise Refused(f"{self.o.user} is not a trustee of election {self.o.election}")
        try:
            trustees = {t["index"]: t for t in state["trustees"]}
            return trustee_steps.Ceremony(
                election=state["election"],
                ceremony=bytes.fromhex(state["ceremony"]),
                threshold=state["threshold"],
                index=state["me"],
                name=trustees[state["me"]]["name"],
                publics={
                    i: None if t["public"] is None else TrusteePublic.from_json(t["public"])
                    for i, t in sorted(trustees.items())
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Refused(f"the server's ceremony record is malformed: {exc}") from None

    @staticmethod
    def mine(state: dict) -> dict:
        return next(t for t in state["trustees"] if t["index"] == state["me"])

    # The passphrase and the file -------------------------------------------------------------
    def passphrase(self, *, confirm: bool) -> str | None:
        if self.o.no_passphrase:
            return None
        if self.o.passphrase_file:
            return self.o.passphrase_file.read_text().strip()
        if os.environ.get(PASSPHRASE_ENV):
            return os.environ[PASSPHRASE_ENV]
        first = getpass.getpass("Passphrase for the trustee file: ")
        if confirm and getpass.getpass("Again: ") != first:
            raise Refused("the passphrases differ")
        return first

    def read(self):
        """(the trustee file, its passphrase or None)."""
        if not self.o.file.exists():
            raise Refused(f"{self.o.file} does not exist (run 'generate' first)")
        text = self.o.file.read_text()
        passphrase = self.passphrase(confirm=False) if is_sealed(text) else None
        return load_trustee_file(text, passphrase), passphrase

    def write(self, tf, passphrase: str | None) -> None:
        path = self.o.file
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(dump_trustee_file(tf, passphrase))
        tmp.chmod(0o600)
        tmp.replace(path)

    @property
    def public_path(self) -> Path:
        return self.o.file.with_name(self.o.file.name + ".public.json")

    # The steps -------------------------------------------------------------------------------
    def step_generate(self) -> None:
        if self.o.file.exists() and not self.o.force:
            raise Refused(f"{self.o.file} exists; it may hold a key you need (use --force)")
        state = self.state()
        c = self.ceremony(state)
        if state["state"] != "key_ceremony":
            raise Refused("the key ceremony of this election is not running")
        if self.mine(state)["public"] is not None:
            raise Refused("you already published a key record in this ceremony; keep its file")
        tf, public = trustee_steps.generate(c)
        self.write(tf, self.passphrase(confirm=True))
        self.public_path.write_text(json.dumps(public.to_json(), indent=2) + "\n")
        self.say(f"Trustee {c.index}: secret written to {self.o.file} (keep it safe)")
        self.say(f"Public record written to {self.public_path}; next: post")

    def step_post(self) -> None:
        tf, _ = self.read()
        state = self.state()
        c = self.ceremony(state)
        trustee_steps.check_file(c, tf)
        if self.mine(state)["public"] is None:
            if not self.public_path.exists():
                raise Refused(f"{self.public_path} is missing (it was written by 'generate')")
            public = json.loads(self.public_path.read_text())
            self.server.call("POST", f"{self.api}/ceremony/public", {"public": public})
            self.say(f"Published the key record of trustee {c.index}.")
            state = self.state()
            c = self.ceremony(state)
        if self.mine(state)["shares_sent"]:
            self.say("Your shares were already sent; next: verify")
            return
        waiting = sum(1 for p in c.publics.values() if p is None)
        if waiting:
            self.say(f"Waiting for {waiting} trustee(s) to publish; run 'post' again later.")
            return
        boxes = trustee_steps.deal(c, tf)
        self.server.call("POST", f"{self.api}/ceremony/boxes", {"boxes": boxes})
        self.say(f"Sent {len(boxes)} sealed share(s); next: verify")

    def step_verify(self) -> None:
        tf, passphrase = self.read()
        c = self.ceremony(self.state())
        trustee_steps.check_file(c, tf)
        sealed = self.server.call("GET", f"{self.api}/ceremony/boxes").get("boxes")
        if not isinstance(sealed, list) or not all(
            isinstance(b, dict) and type(b.get("sender")) is int for b in sealed
        ):
            raise Refused("the server's list of shares is malformed")
        boxes = [(b["sender"], b) for b in sealed]
        try:
            completed = trustee_steps.check_shares(c, tf, boxes)
        except ShareError as exc:
            verdict = trustee_steps.complaint(tf, exc)
            self.server.call("POST", f"{self.api}/ceremony/verdict", verdict)
            raise Refused(
                f"complaint upheld against trustee {exc.trustee}: {exc} "
                "(your box secret was revealed as evidence; the ceremony must restart)"
            ) from None
        self.write(completed, passphrase)
        self.server.call("POST", f"{self.api}/ceremony/verdict", {"ok": True})
        self.say(f"All shares check out; your key share is now in {self.o.file}.")

    def step_decrypt(self) -> None:
        tf, _ = self.read()
        state = self.state()
        c = self.ceremony(state)
        trustee_steps.check_file(c, tf)
        if state.get("context") is None or state.get("tally") is None:
            raise Refused("the ballots have not been counted yet; try again later")
        ctx = ElectionContext.from_json(state["context"])
        partial = trustee_steps.decrypt(c, tf, ctx, EncryptedTally.from_json(state["tally"]))
        answer = self.server.call("POST", f"{self.api}/decryptions", {"partial": partial.to_json()})
        self.say(
            f"Partial decryption posted ({answer.get('decryptions')} of "
            f"{answer.get('threshold')} needed)."
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m voting.trustee_client",
        description="A trustee's key ceremony and decryption, from this device over HTTPS.",
    )
    p.add_argument("step", choices=["generate", "post", "verify", "decrypt"])
    p.add_argument("--server", required=True, help="the Polity server, e.g. https://city.example")
    p.add_argument("--election", type=int, required=True, help="election id")
    p.add_argument("--user", required=True, help="your user name on the server")
    p.add_argument("--file", required=True, type=Path, help="your secret trustee file")
    p.add_argument("--password-file", type=Path, help=f"read the password here (or {PASSWORD_ENV})")
    p.add_argument(
        "--passphrase-file",
        type=Path,
        help=f"read the file's passphrase here (or {PASSPHRASE_ENV})",
    )
    p.add_argument("--no-passphrase", action="store_true", help="write the secret file unsealed")
    p.add_argument("--force", action="store_true", help="overwrite an existing secret file")
    return p


def password(path: Path | None) -> str:
    if path is not None:
        return path.read_text().strip()
    return os.environ.get(PASSWORD_ENV) or getpass.getpass("Password: ")


def run(args: argparse.Namespace, out=None) -> None:
    """Log in and run one step; raises ``Refused`` (or a file or crypto error) when refused."""
    server = Server(args.server)
    server.log_in(args.user, password(args.password_file))
    client = TrusteeClient(server, args, out)
    getattr(client, f"step_{args.step}")()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        run(args)
    except REFUSALS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("\ninterrupted", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
