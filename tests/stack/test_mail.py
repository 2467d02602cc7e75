"""E-mail goes through the queue: an app server queues it, a worker sends it to the SMTP
server (the stack's sink writes each accepted message to DIR/mail/*.eml). A worker killed
while it is sending does not lose the message (it is sent again), and no message is
delivered twice.

To kill a worker "mid-job" reliably the sink has a slow mode (scripts/smtp_sink.py):
while DIR/mail/.slow exists it holds every message it has received without answering,
and lists the held message's recipients in DIR/mail/.held. A message whose sender
disappears before the answer is not delivered (the sender never heard "accepted").
"""

import time

from tests.stack.browser import Browser

PASSWORD = "Stak-post-kodeord-2026"
# A message left "sending" by a dead worker is sent again after EMAIL_STALE_AFTER seconds,
# by the scheduled retry job (every minute); allow both, and the worker's start.
RESEND_WITHIN = 300


def _register(stack, base: str) -> tuple[str, dict]:
    meeting = stack.seed("meeting", capacity=20)
    email = stack.seed("member_for_meeting", meeting=meeting["meeting"], password=PASSWORD)["email"]
    browser = Browser(base)
    assert browser.login(email, PASSWORD).status_code == 302
    form = browser.open_form(meeting["register_url"])
    started = time.monotonic()
    response = browser.submit(form)
    assert response.status_code == 302, response.status_code
    # The request did not wait for the mail server.
    assert time.monotonic() - started < 10
    return email, meeting


def test_an_email_queued_by_an_app_server_is_sent_by_the_worker(stack):
    email, _meeting = _register(stack, stack.app_urls[0])
    [message] = stack.wait_for_emails(email, timeout=60)
    assert "bekræftet" in message.subject.lower() or "tilmeld" in message.subject.lower(), (
        message.subject
    )
    assert message.message["X-Sink-Mail-From"]


def test_a_worker_killed_while_sending_loses_no_email_and_sends_none_twice(stack):
    slow = stack.mail_dir / ".slow"
    held = stack.mail_dir / ".held"
    slow.write_text("120")
    try:
        email, _meeting = _register(stack, stack.app_urls[1])
        # Wait until a worker has handed this message to the mail server and waits for
        # the answer, then kill the workers.
        deadline = time.monotonic() + 60
        while not (held.exists() and email in held.read_text()):
            assert time.monotonic() < deadline, "no worker started sending the message"
            time.sleep(0.1)
        stack.control("kill", "worker")
    finally:
        slow.unlink(missing_ok=True)
    time.sleep(1)
    assert stack.emails_to(email) == [], "delivered although the sender was killed"

    stack.control("restart", "worker")
    started = time.monotonic()
    delivered = stack.wait_for_emails(email, timeout=RESEND_WITHIN)
    print(f"mail: sent again {time.monotonic() - started:.0f} s after the worker restarted")
    assert len(delivered) == 1, "the message was lost"
    time.sleep(5)  # a second delivery would come now
    assert len(stack.emails_to(email)) == 1
    assert stack.duplicate_emails() == {}
