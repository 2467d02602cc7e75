"""Min side's three lists of meetings are paged with counts taken in one query
(`services.list_counts`): each count must be the one its own list shows."""

import datetime
import re

import time_machine
from django.utils import timezone

from meetings import services
from meetings.factories import RegistrationFactory
from meetings.models import Registration
from meetings.services import list_counts, person_registrations


def test_each_list_is_counted_as_it_is_shown(client, make_meeting, member_org, person_at):
    org = member_org(years=[2020, 2021, timezone.localdate().year])
    me, colleague = person_at(org), person_at(org)
    start = timezone.now() - datetime.timedelta(days=400)
    past = [
        make_meeting(
            start=start + datetime.timedelta(days=day),
            end=start + datetime.timedelta(days=day, hours=5),
        )
        for day in range(12)
    ]
    for meeting in past:
        RegistrationFactory(meeting=meeting, person=me, organisation=org)
    RegistrationFactory(  # cancelled: history, not shown among past meetings
        meeting=make_meeting(start=start, end=start + datetime.timedelta(hours=5)),
        person=me,
        organisation=org,
        status=Registration.Status.CANCELLED,
    )
    upcoming = make_meeting()
    # Registered, cancelled, registered again: one line.
    RegistrationFactory(
        meeting=upcoming, person=me, organisation=org, status=Registration.Status.CANCELLED
    )
    RegistrationFactory(meeting=upcoming, person=me, organisation=org)
    RegistrationFactory(meeting=upcoming, person=colleague, organisation=org, registered_by=me)

    lists = person_registrations(person=me)
    assert (
        list_counts(person=me, lists=lists)
        == {name: queryset.count() for name, queryset in lists.items()}
        == {"upcoming": 1, "past": 12, "colleagues": 1}
    )

    client.force_login(me)
    body = client.get("/min-side/").content.decode()
    past_list = body[body.index('id="my-past-heading"') :]
    assert len(re.findall(r'<li class="registration', past_list)) == 10
    assert "Side 1 af 2" in past_list
    second = client.get("/min-side/", {"tidligere": 2}).content.decode()
    second = second[second.index('id="my-past-heading"') :]
    assert len(re.findall(r'<li class="registration', second)) == 2


# --- Kept for the person (wagtail_hooks.my_registrations) ------------------------------


def section(client) -> str:
    body = client.get("/min-side/").content.decode()
    if 'id="mine-moeder"' not in body:
        return ""
    return body[
        body.index('id="mine-moeder"') : body.index("</section>", body.index('id="mine-moeder"'))
    ]


def test_registering_cancelling_and_a_colleagues_new_name_show_at_once(
    client, make_meeting, member_org, person_at
):
    org = member_org()
    me = person_at(org)
    colleague = person_at(org, first_name="Kirsten", last_name="Kollega")
    meeting = make_meeting(title="Netværksmøde om anvisning")
    client.force_login(me)
    assert "Netværksmøde om anvisning" not in section(client)

    mine = services.register(meeting=meeting, person=me, organisation=org)
    cancel_link = f"/moeder/tilmelding/{mine.pk}/afmeld/"
    assert "Netværksmøde om anvisning" in section(client)
    assert cancel_link in section(client)

    services.register(meeting=meeting, person=colleague, organisation=org, registered_by=me)
    assert "Kirsten Kollega" in section(client)
    colleague.first_name = "Karen"
    colleague.save()
    assert "Karen Kollega" in section(client) and "Kirsten" not in section(client)

    services.cancel(registration=mine, cancelled_by=me)
    assert cancel_link not in section(client)


def test_a_meeting_that_ends_moves_to_the_past_without_any_change(
    client, make_meeting, member_org, person_at
):
    org = member_org()
    me = person_at(org)
    # Ends within the cache's safety timeout (15 minutes), so only the rule can rebuild it.
    soon = timezone.now() + datetime.timedelta(minutes=2)
    meeting = make_meeting(
        title="Netværksmøde om anvisning", start=soon, end=soon + datetime.timedelta(minutes=3)
    )
    services.register(meeting=meeting, person=me, organisation=org)
    client.force_login(me)
    upcoming = section(client)
    assert "Kommende" in upcoming and "Tidligere møder" not in upcoming
    with time_machine.travel(meeting.end + datetime.timedelta(minutes=1)):
        later = section(client)
    assert "Tidligere møder" in later and "Netværksmøde om anvisning" in later
    assert "Du er ikke tilmeldt nogen kommende møder." in later


def test_one_persons_meetings_are_never_shown_to_another(
    client, make_meeting, member_org, person_at
):
    org = member_org()
    me, other = person_at(org), person_at(org)
    services.register(
        meeting=make_meeting(title="Netværksmøde om anvisning"), person=me, organisation=org
    )
    client.force_login(me)
    assert "Netværksmøde om anvisning" in section(client)
    client.force_login(other)
    assert "Netværksmøde om anvisning" not in section(client)
