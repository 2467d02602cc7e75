"""Min side's agreements section is kept for its person (`fragments.body`, see
`network.library.views.my_page_section`): an answer, a consent or an affiliation that
changes shows at once, and one person's section is never shown to anyone else."""

import pytest

from network.factories import AffiliationFactory
from network.library import services
from network.library.factories import AgreementFactory, municipality
from network.library.models import Agreement
from network.models import Affiliation
from portal.factories import UserFactory

TITLE = "Aftale om anvisning i Åbo-afdelingerne"


@pytest.fixture
def aarhus(db):
    return municipality("751")


@pytest.fixture
def contact(aarhus):
    person = UserFactory(verified=True, email="kontakt@aarhus.dk")
    AffiliationFactory(person=person, organisation=aarhus, role=Affiliation.Role.CONTACT_PERSON)
    return person


@pytest.fixture
def asked(submitter, housing_org, aarhus):
    return AgreementFactory(
        title=TITLE,
        municipality=aarhus,
        submitted_by=submitter,
        submitting_organisation=housing_org,
        consent=Agreement.Consent.PUBLIC,
        party_consents={aarhus.pk: None},
    )


def my_page(client) -> str:
    response = client.get("/min-side/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_municipalitys_answer_shows_on_min_side_at_once(client, asked, aarhus, contact):
    client.force_login(contact)
    assert "ikke besvaret endnu" in my_page(client)
    link = services.consent_path(agreement=asked, organisation=aarhus, person=contact)
    client.submit(link, {"level": "public"})
    page = my_page(client)
    assert TITLE in page and "ikke besvaret endnu" not in page


def test_a_new_answer_and_a_withdrawn_one_show_at_once(client, asked, submitter, housing_org):
    client.force_login(submitter)
    assert TITLE in my_page(client)
    AgreementFactory(
        title="Ny aftale om velkomst", submitted_by=submitter, submitting_organisation=housing_org
    )
    assert "Ny aftale om velkomst" in my_page(client)
    services.withdraw_consent(agreement=asked, person=submitter)
    assert "Samtykke trukket tilbage" in my_page(client)


def test_one_persons_section_is_never_shown_to_another(client, asked, submitter, contact):
    client.force_login(submitter)
    assert TITLE in my_page(client)
    outsider = UserFactory(verified=True)
    client.force_login(outsider)
    assert TITLE not in my_page(client)
    client.force_login(contact)
    page = my_page(client)
    assert TITLE in page and "Aftaler, som jeres kommune bliver bedt om samtykke til" in page


def test_a_contact_person_who_leaves_the_municipality_is_no_longer_asked(client, asked, contact):
    client.force_login(contact)
    assert "Aftaler, som jeres kommune bliver bedt om samtykke til" in my_page(client)
    contact.affiliations.all().delete()
    page = my_page(client)
    assert "Aftaler, som jeres kommune bliver bedt om samtykke til" not in page
    assert TITLE not in page
