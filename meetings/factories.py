"""factory_boy factories for the meetings app (tests, benchmarks, demo)."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from portal.factories import UserFactory

from .blocks import ProgrammeItemKind
from .models import MeetingPage, Registration, Venue


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = "KL-huset"
    address = "Weidekampsgade 10"
    postcode = "2300"
    city = "København S"
    directions = "Metro til Islands Brygge, derefter 5 minutters gang."
    accessibility = "Niveaufri adgang og elevator til alle etager."
    map_url = "https://www.openstreetmap.org/search?query=Weidekampsgade%2010%20K%C3%B8benhavn"


def _next_month_at(hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=30)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def programme_item(
    start: str,
    end: str,
    title: str,
    kind: str = ProgrammeItemKind.TALK,
    *,
    description="",
    speakers=(),
):
    """A programme stream item as raw data, e.g. programme_item("9.30", "10.00", "Kaffe", "break")."""

    def parse(value: str) -> str:
        hours, minutes = value.replace(".", ":").split(":")
        return f"{int(hours):02d}:{int(minutes):02d}:00"

    return {
        "type": "item",
        "value": {
            "start_time": parse(start),
            "end_time": parse(end),
            "title": title,
            "kind": kind,
            "description": description,
            "speakers": [{"name": n, "title": t, "organisation": o} for n, t, o in speakers],
        },
    }


class MeetingPageFactory(wagtail_factories.PageFactory):
    """A meeting next month, open for registration now. Pass `parent=` a NetworkPage."""

    class Meta:
        model = MeetingPage

    title = factory.Sequence(lambda n: f"Netværksmøde {n}")
    start = factory.LazyFunction(lambda: _next_month_at(10))
    end = factory.LazyFunction(lambda: _next_month_at(15, 30))
    venue = factory.SubFactory(VenueFactory)
    lead = "Et dialogbaseret møde for netværkets medlemmer."
    status = MeetingPage.Status.PLANNED
    capacity = 20
    seats_per_organisation = 2
    trial_places = 2
    audience = MeetingPage.Audience.MEMBERS_AND_TRIAL
    programme = factory.LazyFunction(
        lambda: [
            programme_item("10.00", "10.15", "Velkomst", ProgrammeItemKind.TALK),
            programme_item("10.15", "11.00", "Boligsocial monitorering", ProgrammeItemKind.TALK),
            programme_item("11.00", "11.15", "Pause", ProgrammeItemKind.BREAK),
        ]
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written directly (no rules); tests of the rules use the services."""

    class Meta:
        model = Registration

    meeting = None  # pass a MeetingPage
    person = factory.SubFactory(UserFactory, verified=True)
    organisation = None
    registered_by = factory.SelfAttribute("person")
    kind = Registration.Kind.MEMBER
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
