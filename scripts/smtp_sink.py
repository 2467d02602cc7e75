"""A real SMTP server that keeps every message as a file instead of delivering it.

    .venv/bin/python scripts/smtp_sink.py --port 8009 --dir var/stack/mail

Each message accepted is written to DIR/<time>-<n>.eml (written under a temporary name and
renamed, so a reader never sees half a message), with the envelope's sender and recipients
in X-Sink-Mail-From / X-Sink-Rcpt-To headers on top. `scripts/stack` runs it as the stack's
mail server; the stack tests read the files.
"""

import argparse
import asyncio
import itertools
import os
import signal
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class FileHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        name = f"{time.time_ns()}-{os.getpid()}-{number:06d}"
        header = (
            f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
            f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(header + content)
        temporary.rename(self.folder / f"{name}.eml")
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    controller = Controller(FileHandler(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"smtp_sink: listening on {args.host}:{args.port}, writing to {args.dir}", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()
        print("smtp_sink: stopped", flush=True)


if __name__ == "__main__":
    main()
