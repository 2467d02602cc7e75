import pytest
from allauth.account.models import EmailAddress
from wagtail import hooks

from network.factories import AffiliationFactory, MunicipalityFactory, NetworkPageFactory
from network.hooks import NEXT_TRIAL_MEETING
from portal.factories import StandardPageFactory, UserFactory


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(
        parent=home_page, title="Kommunernes Netværk for Udsatte Boligområder", price=9500
    )


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Testrup Kommune", domains=["testrup.dk"])


@pytest.fixture
def person(municipality):
    """A person with a confirmed address at, and a verified affiliation with, Testrup."""
    user = UserFactory(email="anna@testrup.dk", first_name="Anna", last_name="Andersen")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    AffiliationFactory(person=user, organisation=municipality)
    return user


@pytest.fixture
def staff(db):
    return UserFactory(verified=True, email="staff@erfa.example", is_staff=True, is_superuser=True)


@pytest.fixture
def trial_meeting(home_page):
    """A stand-in for the meetings app: a provider that offers this page as the next
    meeting with trial places."""
    meeting = StandardPageFactory(parent=home_page, title="Netværksmøde 8. december")

    def provider(network, on):
        return meeting

    with hooks.register_temporarily(NEXT_TRIAL_MEETING, provider):
        yield meeting
