import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied

from network import services
from network.factories import AffiliationFactory, MembershipFactory, MunicipalityFactory
from network.models import Affiliation, Organisation
from portal.factories import UserFactory
from tests.form_markup import check_form_page


def test_unconfirmed_address_on_the_domain_neither_suggests_nor_verifies(municipality):
    newcomer = UserFactory(email="bo@testrup.dk")
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=False, primary=True)

    assert list(services.suggested_organisations(newcomer)) == []
    affiliation = services.join_organisation(person=newcomer, organisation=municipality)
    assert affiliation.status == Affiliation.Status.REQUESTED
    assert list(Organisation.objects.verified_for(newcomer)) == []


def test_confirmed_address_on_the_domain_is_suggested_and_verifies_at_once(municipality):
    newcomer = UserFactory(email="bo@TESTRUP.dk")
    address = EmailAddress.objects.create(
        user=newcomer, email=newcomer.email, verified=False, primary=True
    )
    address.verified = True  # what clicking allauth's confirmation link does
    address.save()

    assert list(services.suggested_organisations(newcomer)) == [municipality]
    affiliation = services.join_organisation(person=newcomer, organisation=municipality)
    assert affiliation.status == Affiliation.Status.VERIFIED
    assert affiliation.verified_via == Affiliation.VerifiedVia.EMAIL_DOMAIN
    assert affiliation.verified_email == "bo@TESTRUP.dk"
    assert list(services.suggested_organisations(newcomer)) == []


def test_min_side_offers_joining_only_with_a_confirmed_address(client, municipality):
    newcomer = UserFactory(email="bo@testrup.dk")
    address = EmailAddress.objects.create(
        user=newcomer, email=newcomer.email, verified=False, primary=True
    )
    client.force_login(newcomer)
    offer = "Det ser ud til, at du arbejder i Testrup Kommune"
    assert offer not in client.get("/min-side/").content.decode()

    address.verified = True
    address.save()
    page = client.get("/min-side/").content.decode()
    assert offer in page

    response = client.submit(
        "/netvaerk/tilknytning/", {"organisation": municipality.pk}, page="/min-side/", follow=True
    )
    assert "Du er nu tilknyttet Testrup Kommune" in response.content.decode()
    assert Affiliation.objects.get(person=newcomer).is_verified


def test_request_without_domain_is_approved_by_the_contact_person(
    client, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    contact = UserFactory(verified=True, email="chef@testrup.dk")
    AffiliationFactory(
        person=contact, organisation=municipality, role=Affiliation.Role.CONTACT_PERSON
    )
    outsider = UserFactory(verified=True, email="konsulent@example.org")
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            "/netvaerk/tilknytning/",
            {"organisation": municipality.pk},
            page="/min-side/",
            follow=True,
        )
    assert "Din anmodning om tilknytning til Testrup Kommune er sendt" in response.content.decode()
    request_ = Affiliation.objects.get(person=outsider)
    assert request_.status == Affiliation.Status.REQUESTED
    assert "chef@testrup.dk" in mailoutbox[0].to
    assert "koordinator@erfa.example" in mailoutbox[0].to

    # The requester cannot approve themselves.
    assert (
        client.post_with_token(
            f"/netvaerk/tilknytning/{request_.pk}/afgoer/",
            {"decision": "approve"},
            page="/min-side/",
        ).status_code
        == 403
    )

    client.force_login(contact)
    page = client.get("/min-side/").content.decode()
    assert "beder om tilknytning til Testrup Kommune" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.submit(
            f"/netvaerk/tilknytning/{request_.pk}/afgoer/",
            {"decision": "approve"},
            page="/min-side/",
        )
    request_.refresh_from_db()
    assert request_.status == Affiliation.Status.VERIFIED
    assert request_.verified_via == Affiliation.VerifiedVia.CONTACT_PERSON
    assert request_.decided_by == contact
    assert mailoutbox[-1].to == ["konsulent@example.org"]
    assert "Du er nu tilknyttet Testrup Kommune" in mailoutbox[-1].subject


def test_contact_person_of_another_organisation_cannot_decide(municipality):
    other = MunicipalityFactory()
    stranger = AffiliationFactory(organisation=other, role=Affiliation.Role.CONTACT_PERSON).person
    request_ = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
    )
    with pytest.raises(PermissionDenied):
        services.decide_affiliation(affiliation=request_, decided_by=stranger, approve=True)
    request_.refresh_from_db()
    assert request_.status == Affiliation.Status.REQUESTED


def test_staff_can_reject_and_a_rejected_person_cannot_rejoin(municipality, staff):
    request_ = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
    )
    services.decide_affiliation(affiliation=request_, decided_by=staff, approve=False)
    request_.refresh_from_db()
    assert request_.status == Affiliation.Status.REJECTED
    with pytest.raises(Exception, match="blev afvist"):
        services.join_organisation(person=request_.person, organisation=municipality)


def test_unverified_affiliation_grants_no_membership(network, municipality):
    MembershipFactory(organisation=municipality, network=network)
    requester = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
    ).person
    assert not Organisation.objects.verified_for(requester).members_of(network).exists()
    assert not services.can_sign_up(person=requester, organisation=municipality)


def test_directory_opt_in_is_the_persons_own_choice(client, person):
    affiliation = Affiliation.objects.get(person=person)
    client.force_login(person)
    client.submit(
        f"/netvaerk/tilknytning/{affiliation.pk}/medlemsoversigt/",
        {"listed": "1"},
        page="/min-side/",
    )
    affiliation.refresh_from_db()
    assert affiliation.listed_in_directory

    someone_else = UserFactory(verified=True)
    client.force_login(someone_else)
    response = client.post_with_token(
        f"/netvaerk/tilknytning/{affiliation.pk}/medlemsoversigt/",
        {"listed": "0"},
        page="/min-side/",
    )
    assert response.status_code == 404
    affiliation.refresh_from_db()
    assert affiliation.listed_in_directory


def test_organisation_rules(db):
    from django.core.exceptions import ValidationError

    municipality = Organisation(kind=Organisation.Kind.MUNICIPALITY, name="Ny Kommune")
    with pytest.raises(ValidationError) as exc:
        municipality.full_clean()
    assert "En kommune skal have sin kommunekode." in exc.value.message_dict["municipality_code"]

    company = Organisation.objects.create(
        kind=Organisation.Kind.ADMINISTRATION_COMPANY, name="Boligadministration A/S"
    )
    housing = Organisation.objects.create(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Afd. Solgården", administered_by=company
    )
    assert list(company.administered_organisations.all()) == [housing]
    duplicate = Organisation(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Aarhus igen",
        municipality_code="751",
        region="1082",
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_min_side_without_organisations_asks_to_join_an_organisation_not_another(client, db):
    person = UserFactory(verified=True, email="gaest@example.org")
    client.force_login(person)
    page = client.get("/min-side/").content.decode()
    assert "Bed om tilknytning til en organisation" in page
    assert "en anden organisation" not in page


def test_the_bulk_approval_page_names_each_request_with_its_status_once(
    client, municipality, staff
):
    """Found by QA on `make run`: the confirmation read "Eva Esbjerg, Aarhus Kommune
    (Anmodet) (Anmodet)"; approving from it still works and tells the person."""
    person = UserFactory(verified=True, first_name="Eva", last_name="Esbjerg")
    request_ = AffiliationFactory(person=person, organisation=municipality, status="requested")
    client.force_login(staff)
    url = f"/admin/bulk/network/affiliation/approve/?next=/admin/&id={request_.pk}"

    page = client.get(url).content.decode()
    assert page.count("(Anmodet)") == 1
    assert f"Eva Esbjerg, {municipality.name} (Anmodet)" in page

    client.submit(url, {}, page=url)
    request_.refresh_from_db()
    assert request_.status == Affiliation.Status.VERIFIED


def test_joining_without_choosing_an_organisation_is_a_linked_error_on_min_side(
    client, municipality
):
    person = UserFactory(email="bo@andetsteds.dk", verified=True)
    client.force_login(person)
    check_form_page(client.get("/min-side/"), errors=False)

    response = client.submit("/netvaerk/tilknytning/", {"organisation": ""}, page="/min-side/")

    assert response.status_code == 200
    soup = check_form_page(response, errors=True)
    (link,) = soup.select('[data-module="error-summary"] a')
    assert link["href"] == "#id_organisation"
    assert link.get_text(" ", strip=True) == "Organisation: Vælg en organisation på listen."
    # The choice sits in the opened "ask to join" box, so the link reaches it.
    assert soup.find(id="id_organisation").find_parent("details").has_attr("open")
    assert not Affiliation.objects.filter(person=person).exists()
