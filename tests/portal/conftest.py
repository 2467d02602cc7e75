import pytest
from django.core.cache import cache
from wagtail.models import Site

from portal.factories import (
    ContactFactory,
    NewsIndexPageFactory,
    StandardPageFactory,
    UserFactory,
)
from portal.models import SiteSettings

PASSWORD = "Kodeord-til-test-1"  # UserFactory's password


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate limits in the cache; each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_settings(home_page) -> SiteSettings:
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.organisation_name = "Erfa-netværket"
    settings.address = "Weidekampsgade 10\n2300 København S"
    settings.email = "netvaerk@erfa.example"
    settings.phone = "33 70 30 00"
    settings.save()
    return settings


@pytest.fixture
def contact():
    return ContactFactory(
        name="Karen Koordinator",
        title="Netværkskoordinator",
        email="koordinator@erfa.example",
        phone="33 70 30 00",
    )


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page, title="Nyheder", slug="nyheder")


@pytest.fixture
def about_page(home_page):
    return StandardPageFactory(
        parent=home_page, title="Om netværket", slug="om-netvaerket", show_in_menus=True
    )


@pytest.fixture
def member(db):
    return UserFactory(
        email="medlem@aarhus.dk", first_name="Mads", last_name="Medlem", verified=True
    )


@pytest.fixture
def editor(db):
    return UserFactory(
        email="redaktoer@erfa.example",
        first_name="Rikke",
        last_name="Redaktør",
        is_staff=True,
        is_superuser=True,
        verified=True,
    )
