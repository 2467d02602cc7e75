import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from network.factories import AffiliationFactory, MembershipFactory, MunicipalityFactory
from network.models import Affiliation, Membership, NetworkPage, Organisation
from portal.factories import UserFactory


def test_home_page_lists_the_networks(client, network):
    page = client.get("/").content.decode()
    assert "Kommunernes Netværk for Udsatte Boligområder" in page
    assert "Et erfa-netværk for kommuner." in page


def test_network_page_shows_the_visitors_membership_status(client, network, municipality, person):
    MembershipFactory(organisation=municipality, network=network)
    client.force_login(person)
    page = client.get(network.url).content.decode()
    assert "Aktiv" in page
    assert "Du er medlem af dette netværk." in page
    assert f"/netvaerk/{network.pk}/medlemmer/" in page
    assert "Tilmeld din organisation" in page
    assert "9.500 kr." in page


def test_network_page_for_a_visitor_shows_no_status(client, network):
    page = client.get(network.url).content.decode()
    assert "Du er medlem" not in page
    assert "Tilmeld din organisation" in page


def test_min_side_shows_organisations_and_membership_status(client, network, municipality, person):
    MembershipFactory(organisation=municipality, network=network, status=Membership.Status.APPLIED)
    client.force_login(person)
    page = client.get("/min-side/").content.decode()
    assert "Dine organisationer" in page
    assert "Testrup Kommune" in page
    assert "Bekræftet" in page
    assert "Netværksmedlemskaber" in page
    assert "Ansøgt" in page


def test_min_side_links_an_active_membership_to_the_members_directory(
    client, network, municipality, person
):
    MembershipFactory(organisation=municipality, network=network)
    client.force_login(person)
    page = client.get("/min-side/").content.decode()
    assert f'<a href="/netvaerk/{network.pk}/medlemmer/">Medlemsoversigt</a>' in page
    assert "Tilmeld din organisation til et netværk" in page


def test_min_side_has_no_directory_link_while_the_membership_is_only_applied(
    client, network, municipality, person
):
    MembershipFactory(organisation=municipality, network=network, status=Membership.Status.APPLIED)
    client.force_login(person)
    page = client.get("/min-side/").content.decode()
    assert f"/netvaerk/{network.pk}/medlemmer/" not in page


def test_directory_shows_member_organisations_and_only_opted_in_people(
    client, network, municipality, person, django_assert_max_num_queries
):
    MembershipFactory(organisation=municipality, network=network)
    listed = AffiliationFactory(organisation=municipality, listed_in_directory=True).person
    hidden = AffiliationFactory(organisation=municipality, listed_in_directory=False).person
    non_member = MunicipalityFactory(name="Udenfor Kommune")
    for _ in range(15):  # enough rows to catch a query per organisation or person
        other = MunicipalityFactory()
        MembershipFactory(organisation=other, network=network)
        AffiliationFactory(organisation=other, listed_in_directory=True)
    client.force_login(person)
    with django_assert_max_num_queries(20):
        response = client.get(f"/netvaerk/{network.pk}/medlemmer/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "16 medlemsorganisationer" in page
    assert "Testrup Kommune" in page
    assert listed.email in page
    assert hidden.email not in page
    assert non_member.name not in page


@pytest.mark.parametrize("status", [Affiliation.Status.REQUESTED, Affiliation.Status.REJECTED])
def test_directory_is_closed_to_unverified_people(client, network, municipality, status):
    MembershipFactory(organisation=municipality, network=network)
    requester = AffiliationFactory(organisation=municipality, status=status, verified_via="").person
    client.force_login(requester)
    response = client.get(f"/netvaerk/{network.pk}/medlemmer/")
    assert response.status_code == 403
    assert "kun for netværkets medlemmer" in response.content.decode()


def test_directory_is_closed_to_non_members_and_anonymous(client, network, person):
    assert client.get(f"/netvaerk/{network.pk}/medlemmer/").status_code == 302
    client.force_login(person)  # verified, but Testrup is not a member
    assert client.get(f"/netvaerk/{network.pk}/medlemmer/").status_code == 403


def test_demo_content_loads_twice_without_duplicates(home_page):
    call_command("load_demo")
    call_command("load_demo")
    network = NetworkPage.objects.get()
    assert network.title == "Kommunernes Netværk for Udsatte Boligområder"
    active = Organisation.objects.members_of(network)
    assert {"Aarhus Kommune", "Københavns Kommune"} <= set(active.values_list("name", flat=True))
    assert network.memberships.filter(status=Membership.Status.APPLIED).count() == 1
    member = UserFactory._meta.model.objects.get(email="medlem@aarhus.dk")
    assert Affiliation.objects.get(person=member).organisation.name == "Aarhus Kommune"
    esbjerg_person = UserFactory._meta.model.objects.get(email="boligchef@esbjerg.dk")
    assert EmailAddress.objects.get(user=esbjerg_person).verified
    esbjerg = Organisation.objects.get(name="Esbjerg Kommune")
    assert not esbjerg.memberships.exists()
