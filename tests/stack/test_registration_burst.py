"""100 signed-in members register at once for a meeting with 20 seats, through nginx and
both app servers: the seats are never oversold, nobody is dropped, nobody sees an error,
and each gets the one e-mail that says what they were told on the page."""

import time

from tests.stack.burst import describe, run_burst

SUBJECT = {"confirmed": "Du er tilmeldt:", "waitlisted": "Du er på venteliste:"}


def test_a_burst_of_100_registrations_for_20_seats_confirms_20_and_waitlists_80(stack):
    figures = run_burst(stack, n=100, seats=20)
    print(describe(figures))

    # Every member got an answer; none was a server error (a busy 409 was retried).
    assert figures["server_errors"] == 0, figures["problems"]
    assert figures["unanswered"] == 0, figures["problems"]
    assert set(figures["statuses"]) <= {"302", "409"}, figures["statuses"]
    # The database: one registration each, exactly the seats confirmed, the rest waiting.
    assert figures["registrations"] == figures["distinct_people"] == 100
    assert (figures["confirmed"], figures["waitlisted"]) == (20, 80), figures
    # What each member was told on their page matches what the database holds.
    assert figures["pages"] == {"confirmed": 20, "waitlisted": 80}, figures
    assert figures["pages_agree_with_database"], figures

    # The workers send each member one e-mail, matching the page.
    outcomes = figures["outcomes"]
    deadline = time.monotonic() + 180
    while True:
        received = {address: [] for address in outcomes}
        for message in stack.emails():
            for address in message.recipients:
                if address in received:
                    received[address].append(message)
        if all(received.values()) or time.monotonic() > deadline:
            break
        time.sleep(1)
    missing = [address for address, messages in received.items() if not messages]
    assert missing == [], f"{len(missing)} members got no e-mail"
    for address, messages in received.items():
        assert len(messages) == 1, (address, [m.subject for m in messages])
        assert SUBJECT[outcomes[address]] in messages[0].subject, (address, messages[0].subject)
