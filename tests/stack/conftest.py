"""The stack tests: the production stack (`scripts/stack`) started once for the session,
driven over HTTP as people's browsers drive it.

Run them with `make test-stack` (`pytest --expect-stack tests/stack`); without
`--expect-stack` the suite leaves them out (tests/conftest.py), and with it a stack test
that did not run and pass fails the run. The stack listens on 127.0.0.1 from
STACK_TEST_BASE_PORT (default 8500) to base + 12, and `down` runs at the end whatever
happened. Set STACK_TEST_KEEP=1 to keep the stack's folder (logs, mail) afterwards, or
STACK_TEST_DIR=DIR to test a stack already running from DIR (left running).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tests.stack import harness

BASE_PORT = int(os.environ.get("STACK_TEST_BASE_PORT", "8500"))

# Modules in the order they run: the ones that stop a service (the worker, Redis) last,
# so a failure there cannot be mistaken for one of the others.
ORDER = [
    "test_registration_burst",
    "test_login_limits",
    "test_private_files",
    "test_publish",
    "test_mail",
    "test_redis_restart",
]


def pytest_collection_modifyitems(items):
    def position(item):
        name = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        return ORDER.index(name) if name in ORDER else len(ORDER)

    items.sort(key=position)


@pytest.fixture(scope="session")
def stack(request):
    """The running stack (tests/stack/harness.py's `Stack`), with the demo content."""
    if os.environ.get("STACK_TEST_DIR"):
        yield harness.Stack.from_dir(os.environ["STACK_TEST_DIR"])
        return
    directory = Path(tempfile.mkdtemp(prefix="erfa-stack-"))
    # mkdtemp makes it 0700; PostgreSQL runs as its own user (as root) and must get in.
    directory.chmod(0o755)
    started = False
    try:
        yield harness.start(directory, base_port=BASE_PORT)
        started = True
    finally:
        stopped = True
        try:
            harness.stop(directory)
        except harness.StackError as error:
            sys.stderr.write(f"\nstack: `down` failed: {error}\n")
            stopped = False
        keep = not (started and stopped) or request.session.testsfailed
        if keep or os.environ.get("STACK_TEST_KEEP"):
            sys.stderr.write(f"\nstack: kept {directory} (logs in {directory / 'logs'})\n")
        else:
            shutil.rmtree(directory, ignore_errors=True)
