"""A mail server that is down, for the tests that a mail outage never turns a saved change
into an error page: Django's real SMTP backend pointed at a loopback port that refuses
connections (bound by the test, never listening)."""

import logging
import socket

import pytest

from portal.models import OutgoingEmail

PORTS = range(8550, 8570)  # this project's test port range for mail


def refusing_port() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    for port in PORTS:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return sock
    sock.close()
    pytest.fail(f"No free port in {PORTS.start}-{PORTS.stop - 1} for the refusing mail server")


def assert_retrying_and_logged(caplog, recipients: set[str]) -> list[OutgoingEmail]:
    """Every queued message to `recipients` had one failed attempt, is waiting for its
    retry, and the log names its recipient and subject."""
    rows = list(OutgoingEmail.objects.order_by("created_at"))
    assert {address for row in rows for address in row.recipients.split(", ")} == recipients
    for row in rows:
        assert (row.status, row.attempts) == (OutgoingEmail.Status.RETRYING, 1), row
        assert "ConnectionRefusedError" in row.last_error
        logged = [
            r.getMessage()
            for r in caplog.records
            if r.name == "portal.emails" and r.levelno == logging.WARNING
        ]
        assert any(
            row.recipients in line and row.subject in line and "retrying at" in line
            for line in logged
        ), logged
    return rows
