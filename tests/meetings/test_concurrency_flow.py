"""Approval, timed waitlist offers and sending a colleague hold the limits under
concurrent requests, on SQLite and PostgreSQL alike (as tests/meetings/test_concurrency.py
does for registering): each runs under the meeting's lock."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count

from meetings import services
from meetings.models import Registration
from portal.factories import UserFactory
from tests.meetings.test_concurrency import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True, verified=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def held(meeting) -> Counter:
    return Counter(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))


def test_twenty_approvals_at_once_respect_capacity_seats_and_trial_places(
    make_meeting, member_org, non_member_org, person_at, editor, mailoutbox
):
    meeting = make_meeting(
        capacity=6, seats_per_organisation=1, trial_places=1, requires_approval=True
    )
    pending = []
    for _ in range(9):  # 9 member organisations, 2 requests each
        org = member_org()
        pending += [
            services.register(meeting=meeting, person=person_at(org), organisation=org)
            for _ in range(2)
        ]
    for _ in range(2):  # 2 organisations on their trial
        org = non_member_org()
        pending.append(
            services.register(meeting=meeting, person=person_at(org), organisation=org, trial=True)
        )
    assert held(meeting) == {"pending": 20}
    mailoutbox.clear()

    _results, errors = run_in_threads(
        [
            (
                lambda registration=registration: services.decide(
                    registration=registration, approve=True, decided_by=editor
                )
            )
            for registration in pending
        ]
    )

    assert errors == []
    assert held(meeting) == {"confirmed": 6, "waitlisted": 14}
    confirmed = Registration.objects.filter(meeting=meeting, status="confirmed")
    per_org = confirmed.values("organisation").annotate(n=Count("pk")).values_list("n", flat=True)
    assert max(per_org) == 1
    assert confirmed.filter(kind="trial").count() <= 1
    assert not Registration.objects.filter(
        meeting=meeting, status="waitlisted", waitlist_reason=""
    ).exists()
    assert len(mailoutbox) == 20
    assert sum(1 for message in mailoutbox if message.attachments) == 6


def test_the_same_request_decided_many_times_at_once_is_decided_once(
    meeting, member_org, person_at, editor, mailoutbox
):
    meeting.requires_approval = True
    meeting.save()
    org = member_org()
    registration = services.register(meeting=meeting, person=person_at(org), organisation=org)
    mailoutbox.clear()

    results, errors = run_in_threads(
        [
            (
                lambda approve=(i % 2 == 0): services.decide(
                    registration=registration, approve=approve, decided_by=editor
                )
            )
            for i in range(8)
        ]
    )

    assert len(results) == 1
    assert len(errors) == 7
    assert all(isinstance(e, ValidationError) and e.code == "decided" for e in errors)
    registration.refresh_from_db()
    assert registration.status in ("confirmed", "declined")
    assert len(mailoutbox) == 1


def test_freed_seats_offered_and_new_requests_at_once_never_exceed_the_capacity(
    make_meeting, member_org, person_at, mailoutbox
):
    meeting = make_meeting(capacity=10, seats_per_organisation=2, waitlist_offers=True)
    confirmed, waiting = [], []
    for _ in range(5):
        org = member_org()
        confirmed += [
            services.register(meeting=meeting, person=person_at(org), organisation=org)
            for _ in range(2)
        ]
    for _ in range(8):
        org = member_org()
        waiting.append(services.register(meeting=meeting, person=person_at(org), organisation=org))
    newcomers = []
    for _ in range(5):
        org = member_org()
        newcomers.append((person_at(org), org))
    assert held(meeting) == {"confirmed": 10, "waitlisted": 8}

    calls = [
        (lambda r=r: services.cancel(registration=r, cancelled_by=r.person)) for r in confirmed[:5]
    ] + [
        (lambda p=p, o=o: services.register(meeting=meeting, person=p, organisation=o))
        for p, o in newcomers
    ]
    _results, errors = run_in_threads(calls)

    assert errors == []
    counts = held(meeting)
    assert counts["confirmed"] + counts["offered"] == 10
    assert counts["offered"] == 5
    # The offers went to the five who waited longest, never to a newcomer.
    offered = set(
        Registration.objects.filter(meeting=meeting, status="offered").values_list("pk", flat=True)
    )
    assert offered == {r.pk for r in waiting[:5]}

    # All five accept at once, while the scheduled run runs twice: nothing ran out.
    offers = list(Registration.objects.filter(pk__in=offered))
    calls = [
        (lambda r=r: services.accept_offer(registration=r, accepted_by=r.person)) for r in offers
    ] + [services.expire_offers, services.expire_offers]
    _results, errors = run_in_threads(calls)

    assert errors == []
    assert held(meeting)["confirmed"] == 10
    assert held(meeting)["offered"] == 0


def test_an_offer_accepted_as_it_runs_out_is_moved_on_exactly_once(
    make_meeting, member_org, person_at, mailoutbox
):
    meeting = make_meeting(
        capacity=1, seats_per_organisation=1, trial_places=0, waitlist_offers=True
    )
    orgs = [member_org() for _ in range(3)]
    first, second, third = (
        services.register(meeting=meeting, person=person_at(org), organisation=org) for org in orgs
    )
    services.cancel(registration=first, cancelled_by=first.person)
    second.refresh_from_db()
    assert second.is_offered

    with time_machine.travel(second.offer_expires_at + datetime.timedelta(minutes=1), tick=False):
        mailoutbox.clear()
        calls = [
            (lambda: services.accept_offer(registration=second, accepted_by=second.person))
            for _ in range(4)
        ] + [services.expire_offers for _ in range(4)]
        _results, errors = run_in_threads(calls)

    assert errors == []
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "cancelled"
    assert third.is_offered
    assert held(meeting) == {"cancelled": 2, "offered": 1}
    subjects = [message.subject for message in mailoutbox]
    assert sum("udløbet" in s for s in subjects) == 1
    assert sum("plads til dig" in s for s in subjects) == 1


def test_a_seat_sent_to_two_colleagues_at_once_goes_to_one(
    meeting, member_org, person_at, mailoutbox
):
    org = member_org()
    anna = person_at(org)
    colleagues = [person_at(org) for _ in range(2)]
    seat = services.register(meeting=meeting, person=anna, organisation=org)

    results, errors = run_in_threads(
        [
            (
                lambda colleague=colleagues[i % 2]: services.send_colleague(
                    registration=seat, colleague=colleague, sent_by=anna
                )
            )
            for i in range(6)
        ]
    )

    assert len(results) == 1
    assert all(isinstance(e, ValidationError) and e.code == "not_confirmed" for e in errors)
    assert held(meeting) == {"cancelled": 1, "confirmed": 1}
    assert (
        Registration.objects.get(meeting=meeting, status="confirmed").substitute_for_id == seat.pk
    )
