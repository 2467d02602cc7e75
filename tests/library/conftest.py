import pytest
from django.contrib.auth.models import Group

from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    NetworkPageFactory,
    OrganisationFactory,
)
from network.library.factories import (
    AgreementCallPageFactory,
    AgreementLibraryPageFactory,
    NationalOverviewPageFactory,
)
from network.models import Organisation
from portal.factories import UserFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Each test gets its own private and public media folders.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def library_page(home_page):
    return AgreementLibraryPageFactory(parent=home_page)


@pytest.fixture
def overview_page(home_page):
    return NationalOverviewPageFactory(parent=home_page)


@pytest.fixture
def call_page(home_page):
    return AgreementCallPageFactory(parent=home_page, slug="indberet")


@pytest.fixture
def network_a(home_page):
    return NetworkPageFactory(parent=home_page, title="Netværk A")


@pytest.fixture
def network_b(home_page):
    return NetworkPageFactory(parent=home_page, title="Netværk B")


def _member_of(network):
    person = UserFactory(verified=True)
    membership = MembershipFactory(network=network)
    AffiliationFactory(person=person, organisation=membership.organisation)
    return person


@pytest.fixture
def member(network_a):
    """A person verified in a municipality with an active membership of network A."""
    return _member_of(network_a)


@pytest.fixture
def other_member(network_b):
    """A member of another network (B) only."""
    return _member_of(network_b)


@pytest.fixture
def non_member(db):
    """Signed in, verified in an organisation that is not a member of any network."""
    person = UserFactory(verified=True)
    AffiliationFactory(person=person)
    return person


@pytest.fixture
def staff(db):
    """An editor: Wagtail's Editors group (granted the agreement review permissions)."""
    person = UserFactory(verified=True, is_staff=True)
    person.groups.add(Group.objects.get(name="Editors"))
    return person


@pytest.fixture
def housing_org(db):
    return OrganisationFactory(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Åbo"
    )


@pytest.fixture
def submitter(housing_org):
    """An employee verified in a housing organisation."""
    person = UserFactory(verified=True, email="anna@aabo.dk")
    AffiliationFactory(person=person, organisation=housing_org)
    return person
