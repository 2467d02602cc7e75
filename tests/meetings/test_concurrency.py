"""Capacity holds under concurrent requests, on SQLite and on PostgreSQL alike.

These tests need real concurrent transactions: `transaction=True`, one database
connection per thread (closed at thread end), and a file-based SQLite database (the test
settings use one) or a real PostgreSQL server (`make test` runs the suite on both).
"""

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection, connections
from django.db.models import Count
from wagtail.models import Site

from meetings import services
from meetings.models import MeetingPage, Registration
from network.models import TrialUse
from portal.models import SiteSettings

THREADS = 40


def run_in_threads(calls):
    """Start every call at the same moment (a barrier), each on its own connection."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []
    lock = threading.Lock()

    def worker(call):
        try:
            close_old_connections()
            barrier.wait(timeout=30)
            outcome = call()
            with lock:
                results.append(outcome)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a registration thread hung"
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forty_simultaneous_registrations_respect_capacity_seats_and_trial_places(
    make_meeting, member_org, non_member_org, person_at, mailoutbox
):
    meeting = make_meeting(capacity=10, seats_per_organisation=2, trial_places=2)
    requests = []
    for _ in range(12):  # 12 member organisations with 3 people each: 36 requests
        org = member_org()
        requests += [(person_at(org), org, False) for _ in range(3)]
    for _ in range(4):  # 4 organisations on their free trial: 4 requests
        org = non_member_org()
        requests.append((person_at(org), org, True))
    assert len(requests) == THREADS

    calls = [
        (
            lambda person=person, org=org, trial=trial: services.register(
                meeting=meeting, person=person, organisation=org, trial=trial
            )
        )
        for person, org, trial in requests
    ]
    results, errors = run_in_threads(calls)

    assert errors == []
    assert len(results) == THREADS
    registrations = Registration.objects.filter(meeting=meeting)
    statuses = Counter(registrations.values_list("status", flat=True))
    assert statuses == {"confirmed": 10, "waitlisted": 30}
    per_org = (
        registrations.filter(status="confirmed")
        .values("organisation")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert max(per_org) <= 2
    assert registrations.filter(status="confirmed", kind="trial").count() <= 2
    assert not registrations.filter(status="waitlisted", waitlist_reason="").exists()
    # Every request was answered, and each trial organisation's trial is recorded once.
    assert TrialUse.objects.filter(network=meeting.get_parent()).count() == 4
    assert len(mailoutbox) == THREADS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_person_submitting_many_times_at_once_gets_one_registration(
    meeting, member_org, person_at
):
    org = member_org()
    person = person_at(org)
    calls = [
        lambda: services.register(meeting=meeting, person=person, organisation=org)
        for _ in range(8)
    ]

    results, errors = run_in_threads(calls)

    assert errors == []
    assert len({registration.pk for registration in results}) == 1
    assert Registration.objects.filter(meeting=meeting, person=person).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_that_waits_too_long_for_the_lock_is_asked_to_try_again_in_danish(
    client, meeting, member_org, person_at
):
    org = member_org()
    person = person_at(org)
    client.force_login(person)
    # A running site has its settings row; creating it would itself need the write lock.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    holding, release = threading.Event(), threading.Event()

    def hold_the_meeting_lock():
        from django.db import transaction

        try:
            with transaction.atomic():
                MeetingPage.objects.select_for_update().get(pk=meeting.pk)
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_meeting_lock)
    holder.start()
    assert holding.wait(timeout=10)
    # Give up after 0.3 s instead of the configured wait (PostgreSQL lock_timeout, or
    # SQLite's busy timeout: both end in the same friendly answer).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = '300ms'")
        else:
            cursor.execute("PRAGMA busy_timeout = 300")
    try:
        response = client.submit(
            meeting.register_url,
            {"organisation": str(org.pk), "participant": str(person.pk)},
        )
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("RESET lock_timeout")
            else:
                cursor.execute("PRAGMA busy_timeout = 20000")

    assert response.status_code == 409
    assert "Mange tilmelder sig lige nu. Prøv igen om et øjeblik." in response.content.decode()
    assert not Registration.objects.filter(meeting=meeting).exists()

    # Once the lock is free, the same request goes through.
    response = client.submit(
        meeting.register_url, {"organisation": str(org.pk), "participant": str(person.pk)}
    )
    assert response.status_code == 302
    assert Registration.objects.get(meeting=meeting).is_confirmed
