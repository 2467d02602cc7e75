"""Min side's three lists of meetings are paged with counts taken in one query
(`services.list_counts`): each count must be the one its own list shows."""

import datetime
import re

from django.utils import timezone

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
