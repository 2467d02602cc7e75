import datetime

import time_machine
from django.core.management import call_command

from meetings.models import MeetingPage, Registration, Venue
from network.models import Membership
from portal.models import User

from .conftest import cph


def load_demo():
    call_command("load_demo", verbosity=0)


def test_demo_has_the_december_2021_meeting_and_next_months_open_meeting(db, client):
    with time_machine.travel(cph(2026, 12, 5, 9, 0), tick=False):
        load_demo()
        load_demo()  # idempotent

        december = MeetingPage.objects.get(title="3. netværksmøde 2021")
        assert december.local_start == cph(2021, 12, 8, 9, 30)
        assert december.venue.postal_address == "Weidekampsgade 10, 2300 København S"
        kinds = {block.value["kind"] for block in december.programme}
        assert {"talk", "workshop", "break", "meal", "networking"} <= kinds
        titles = " ".join(block.value["title"] for block in december.programme)
        assert "Boligsocial monitorering" in titles and "Housing First" in titles
        assert "strategiske aftaler" in titles.lower()
        assert Venue.objects.filter(name="KL-huset").count() == 1

        upcoming = MeetingPage.objects.get(slug="naeste-netvaerksmoede")
        assert upcoming.date - datetime.date(2026, 12, 5) >= datetime.timedelta(days=30)
        assert upcoming.registration_is_open()
        assert upcoming.allows_trial
        assert MeetingPage.objects.count() == 2
        # "Next month" is January 2027: the demo members are members then too.
        assert Membership.objects.active_in(2027).exists()

        member = User.objects.get(email="medlem@aarhus.dk")
        assert Registration.objects.filter(meeting=december, person=member).count() == 1
        client.force_login(member)
        page = client.get(upcoming.register_url).content.decode()
        assert "Aarhus Kommune (medlem)" in page
