"""100 signed-in members register at once for a meeting with 20 seats, through nginx and
both app servers: the seats are never oversold, nobody is dropped, nobody sees an error."""

from tests.stack.burst import describe, run_burst


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
