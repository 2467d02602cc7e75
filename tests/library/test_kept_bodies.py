"""The library, the overview and the inspiration index keep their bodies in the shared cache
(`network.library.fragments`): what a visitor sees is what the visibility rules give their
access class, and any change shows on the next request, for everyone."""

import pytest

from network.factories import AffiliationFactory
from network.library.factories import (
    AgreementFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    municipality,
)
from network.library.models import Agreement, Audience

from .helpers import listed_titles

PUBLIC = "Aftale om åben anvisning"
MEMBERS_ONLY = "Aftale kun for medlemmer"


@pytest.fixture
def two_agreements(db):
    aarhus = municipality("751")
    AgreementFactory(title=PUBLIC, municipality=aarhus, consent=Agreement.Consent.PUBLIC)
    AgreementFactory(title=MEMBERS_ONLY, municipality=aarhus, consent=Agreement.Consent.MEMBERS)
    return aarhus


def test_a_members_copy_is_never_shown_to_anonymous_visitors_nor_theirs_to_members(
    client, library_page, overview_page, member, two_agreements
):
    search = {"q": "Aftale"}
    client.force_login(member)
    assert sorted(listed_titles(client.get(library_page.url))) == sorted([PUBLIC, MEMBERS_ONLY])
    assert len(listed_titles(client.get(library_page.url, search))) == 2
    assert "Aarhus" in client.get(overview_page.url).content.decode()

    client.logout()
    for _ in range(2):  # built, then kept
        assert listed_titles(client.get(library_page.url)) == [PUBLIC]
        assert listed_titles(client.get(library_page.url, search)) == [PUBLIC]
        overview = client.get(overview_page.url).content.decode()
        assert "Kun aftaler, som parterne har gjort offentlige, er med." in overview
        assert ">log ind</a>" in client.get(library_page.url).content.decode()

    client.force_login(member)
    assert len(listed_titles(client.get(library_page.url))) == 2
    assert len(listed_titles(client.get(library_page.url, search))) == 2


def test_an_edit_shows_at_once(client, library_page, overview_page, two_agreements, member):
    assert listed_titles(client.get(library_page.url)) == [PUBLIC]
    agreement = Agreement.objects.get(title=PUBLIC)
    agreement.title = "Aftale om åben anvisning, fornyet"
    agreement.save()
    assert listed_titles(client.get(library_page.url)) == ["Aftale om åben anvisning, fornyet"]

    # A new agreement in another municipality reaches the overview's table at once (the
    # map names every municipality: the row in the per-municipality table is looked for).
    aalborg_row = '<th scope="row">Aalborg Kommune</th>'
    assert aalborg_row not in client.get(overview_page.url).content.decode()
    AgreementFactory(title="Ny aftale", municipality=municipality("851"))
    assert aalborg_row in client.get(overview_page.url).content.decode()

    # The municipality renamed: its name changes in the listing and the filters.
    two_agreements.name = "Aarhus Kommune (omdøbt)"
    two_agreements.save()
    assert "Aarhus Kommune (omdøbt)" in client.get(library_page.url).content.decode()
    assert "Aarhus Kommune (omdøbt)" in client.get(overview_page.url).content.decode()

    # The page itself edited and published.
    library_page.intro = "<p>Et nyt forord til biblioteket.</p>"
    library_page.save_revision().publish()
    assert "Et nyt forord til biblioteket." in client.get(library_page.url).content.decode()


def test_the_consent_shown_narrowed_takes_it_off_the_public_listing_at_once(
    client, library_page, two_agreements
):
    from network.library import services

    agreement = Agreement.objects.get(title=PUBLIC)
    agreement.party_consents.update_or_create(
        organisation=two_agreements, defaults={"level": "members", "via": "staff"}
    )
    # Not yet the level shown: the listing built and kept with it.
    assert listed_titles(client.get(library_page.url)) == [PUBLIC]
    # The level shown is written with an update, which sends no signal: the kept copy
    # is dropped all the same.
    services._refresh_consent(agreement, by=None)
    assert Agreement.objects.get(pk=agreement.pk).consent == Agreement.Consent.MEMBERS
    assert listed_titles(client.get(library_page.url)) == []


def test_kept_bodies_cost_no_queries_of_their_own(
    client, library_page, overview_page, two_agreements, django_assert_max_num_queries
):
    for url in (library_page.url, f"{library_page.url}?q=Aftale", overview_page.url):
        client.get(url)
        client.get(url)  # the chrome's caches warm too
        # The page as its own model and its responsible contact; nothing for the body.
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200


def test_inspiration_member_material_for_members_only_and_new_material_at_once(
    client, home_page, member
):
    index = ResourceIndexPageFactory(parent=home_page)
    ResourcePageFactory(parent=index, title="Skabelon for medlemmer", audience=Audience.MEMBERS)
    ResourcePageFactory(parent=index, title="Guide for alle")

    client.force_login(member)
    seen = client.get(index.url).content.decode()
    assert "Skabelon for medlemmer" in seen and "Guide for alle" in seen
    client.logout()
    for _ in range(2):
        seen = client.get(index.url).content.decode()
        assert "Guide for alle" in seen and "Skabelon for medlemmer" not in seen

    ResourcePageFactory(parent=index, title="Ny vejledning")
    assert "Ny vejledning" in client.get(index.url).content.decode()
    client.force_login(member)
    assert "Skabelon for medlemmer" in client.get(index.url).content.decode()


def test_a_person_verified_in_a_party_sees_its_consent_at_once(
    client, library_page, member, housing_org
):
    AgreementFactory(title=PUBLIC, submitting_organisation=housing_org, housing_organisations=[])
    client.force_login(member)
    listing = client.get(library_page.url).content.decode()
    assert PUBLIC in listing and "samtykke (offentlig)" not in listing
    AffiliationFactory(person=member, organisation=housing_org)
    assert "samtykke (offentlig)" in client.get(library_page.url).content.decode()
