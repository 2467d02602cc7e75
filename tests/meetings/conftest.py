import datetime
import zoneinfo

import pytest
from django.utils import timezone

from meetings.factories import MeetingPageFactory, VenueFactory
from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from portal.factories import UserFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def cph(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CPH)


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")


@pytest.fixture
def venue(db):
    return VenueFactory()


@pytest.fixture
def make_meeting(network, venue):
    def make(**kwargs):
        kwargs.setdefault("parent", network)
        kwargs.setdefault("venue", venue)
        return MeetingPageFactory(**kwargs)

    return make


@pytest.fixture
def meeting(make_meeting):
    """Next month, capacity 20, 2 seats per organisation, 2 trial places, members and
    trial, registration open now."""
    return make_meeting(title="Netværksmøde om anvisning")


@pytest.fixture
def member_org(network):
    """A municipality factory with an active membership of `network` this year (and next,
    so tests near New Year hold)."""

    def make(name=None, *, years=None):
        org = MunicipalityFactory(**({"name": name} if name else {}))
        this_year = timezone.localdate().year
        for year in years or (this_year, this_year + 1):
            MembershipFactory(organisation=org, network=network, year=year)
        return org

    return make


@pytest.fixture
def person_at():
    """A person with a verified affiliation with `organisation`."""

    def make(organisation, **kwargs):
        person = UserFactory(verified=True, **kwargs)
        AffiliationFactory(person=person, organisation=organisation)
        return person

    return make


@pytest.fixture
def non_member_org(db):
    def make(name=None):
        return MunicipalityFactory(**({"name": name} if name else {}))

    return make
