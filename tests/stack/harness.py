"""The running stack, as the tests and the bench see it: DIR/stack.json read into a
`Stack`, `scripts/stack` to start, stop, restart and kill its services, `manage.py` and
`tests/stack/seed.py` run with the stack's environment, and the e-mails in its mail folder.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
PYTHON = str(REPO / ".venv" / "bin" / "python")
STACK = str(REPO / "scripts" / "stack")


class StackError(RuntimeError):
    pass


def _run(command: list[str], *, env=None, timeout: float = 300, what: str = "") -> str:
    result = subprocess.run(  # noqa: S603 (our own scripts, no shell)
        command,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise StackError(
            f"{what or ' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


@dataclass(frozen=True)
class Email:
    path: Path
    recipients: tuple[str, ...]
    subject: str
    message: email.message.EmailMessage


@dataclass
class Stack:
    dir: Path
    url: str
    app_urls: list[str]
    mail_dir: Path
    env: dict
    pids: dict
    static_path: str = ""

    @classmethod
    def from_dir(cls, directory) -> Stack:
        directory = Path(directory)
        data = json.loads((directory / "stack.json").read_text())
        return cls(
            dir=directory,
            url=data["url"].rstrip("/"),
            app_urls=[url.rstrip("/") for url in data["app_urls"]],
            mail_dir=Path(data["mail_dir"]),
            env={key: str(value) for key, value in data["env"].items()},
            pids=data.get("pids", {}),
            static_path=data.get("static_path", ""),
        )

    # --- Addresses --------------------------------------------------------------------

    @property
    def base_port(self) -> int:
        return urlsplit(self.url).port

    def port_url(self, offset: int) -> str:
        return f"http://127.0.0.1:{self.base_port + offset}"

    @property
    def s3_url(self) -> str:
        """The object store's S3 endpoint (P+4)."""
        return self.env.get("S3_ENDPOINT_URL", "").rstrip("/") or self.port_url(4)

    # --- Commands with the stack's environment -------------------------------------------

    def process_env(self) -> dict:
        return {**os.environ, **self.env, "PYTHONDONTWRITEBYTECODE": "1"}

    def manage(self, *args: str, timeout: float = 600) -> str:
        return _run([PYTHON, "manage.py", *args], env=self.process_env(), timeout=timeout)

    def seed(self, command: str, timeout: float = 600, **options) -> dict:
        """Run a `tests/stack/seed.py` command against the stack's database."""
        out = _run(
            [PYTHON, "-m", "tests.stack.seed", command, json.dumps(options)],
            env=self.process_env(),
            timeout=timeout,
            what=f"seed {command}",
        )
        return json.loads(out.strip().splitlines()[-1])

    def control(self, action: str, service: str, timeout: float = 180) -> str:
        """`scripts/stack restart|kill SERVICE --dir DIR`."""
        return _run(
            [PYTHON, STACK, action, service, "--dir", str(self.dir)],
            timeout=timeout,
            what=f"scripts/stack {action} {service}",
        )

    # --- Mail -----------------------------------------------------------------------------

    def emails(self) -> list[Email]:
        """Every message the SMTP sink has written, oldest first."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            recipients = message.get("X-Sink-Rcpt-To") or message.get("To") or ""
            messages.append(
                Email(
                    path=path,
                    recipients=tuple(r.strip().lower() for r in recipients.split(",") if r),
                    subject=str(message.get("Subject", "")),
                    message=message,
                )
            )
        return messages

    def emails_to(self, address: str) -> list[Email]:
        return [m for m in self.emails() if address.lower() in m.recipients]

    def wait_for_emails(self, address: str, count: int = 1, timeout: float = 60) -> list[Email]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.emails_to(address)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.25)

    def duplicate_emails(self, domain: str = "@stak.example") -> dict:
        """(recipient, subject) pairs delivered more than once, among the people the stack
        tests made (tests/stack/seed.py), each of whom gets one message per event."""
        counts = Counter(
            (r, m.subject) for m in self.emails() for r in m.recipients if r.endswith(domain)
        )
        return {key: n for key, n in counts.items() if n > 1}


def start(directory: Path, *, base_port: int, demo: bool = True, timeout: float = 900) -> Stack:
    """`scripts/stack up --detach`: returns when every service answers."""
    command = [PYTHON, STACK, "up", "--detach", "--dir", str(directory)]
    command += ["--base-port", str(base_port)]
    if demo:
        command.append("--demo")
    started = time.monotonic()
    output = _run(command, timeout=timeout, what="scripts/stack up")
    sys.stdout.write(output)
    sys.stdout.write(f"stack: up in {time.monotonic() - started:.0f} s\n")
    return Stack.from_dir(directory)


def stop(directory: Path) -> None:
    _run([PYTHON, STACK, "down", "--dir", str(directory)], timeout=180, what="scripts/stack down")
