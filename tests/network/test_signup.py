import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from network import services
from network.factories import VALID_EAN, AffiliationFactory, MembershipFactory, MunicipalityFactory
from network.models import Affiliation, Membership, TrialUse
from portal.factories import UserFactory
from tests.form_markup import check_form_page

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
NOVEMBER_2021 = datetime.datetime(2021, 11, 19, 10, 0, tzinfo=CPH)


@pytest.fixture
def november():
    with time_machine.travel(NOVEMBER_2021, tick=False):
        yield


def form_data(network, organisation, **overrides):
    return {
        "network": network.pk,
        "organisation": organisation.pk,
        "year": 2022,
        "ean": VALID_EAN,
        "purchase_reference": "PO 2022-17",
        "invoice_contact_name": "Bente Bogholder",
        "invoice_contact_email": "faktura@testrup.dk",
        "accept_terms": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("moment", "years"),
    [
        (datetime.datetime(2021, 9, 30, 23, 59, tzinfo=CPH), [2021]),
        (datetime.datetime(2021, 10, 1, 0, 0, tzinfo=CPH), [2021, 2022]),
        (datetime.datetime(2021, 12, 31, 23, 59, tzinfo=CPH), [2021, 2022]),
        (datetime.datetime(2022, 1, 1, 0, 1, tzinfo=CPH), [2022]),
    ],
)
def test_next_year_is_offered_from_1_october(moment, years):
    with time_machine.travel(moment, tick=False):
        assert services.allowed_signup_years() == years


def test_sign_up_for_next_year_notifies_staff_and_the_person(
    client,
    network,
    municipality,
    person,
    staff,
    mailoutbox,
    november,
    django_capture_on_commit_callbacks,
):
    client.force_login(person)
    page = client.get(f"/netvaerk/tilmelding/?netvaerk={network.pk}").content.decode()
    assert "Tilmelding til netværk" in page
    assert '<option value="2022" selected>2022</option>' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            "/netvaerk/tilmelding/", form_data(network, municipality), follow=True
        )
    membership = Membership.objects.get()
    assert (membership.organisation, membership.network, membership.year) == (
        municipality,
        network,
        2022,
    )
    assert membership.status == Membership.Status.APPLIED
    assert membership.signed_up_by == person
    assert membership.terms_accepted_at is not None
    body = response.content.decode()
    assert "Vi har modtaget jeres tilmelding" in body
    assert "Ansøgt" in body

    staff_mail, person_mail = mailoutbox
    assert set(staff_mail.to) == {"koordinator@erfa.example", "staff@erfa.example"}
    assert "Ny medlemstilmelding: Testrup Kommune" in staff_mail.subject
    assert VALID_EAN in staff_mail.body and "PO 2022-17" in staff_mail.body
    assert person_mail.to == ["anna@testrup.dk"]
    assert "Vi har modtaget jeres tilmelding" in person_mail.subject


def test_double_submit_gives_one_membership(client, network, municipality, person, november):
    client.force_login(person)
    first = client.submit("/netvaerk/tilmelding/", form_data(network, municipality))
    second = client.submit("/netvaerk/tilmelding/", form_data(network, municipality), follow=True)
    assert Membership.objects.count() == 1
    membership = Membership.objects.get()
    assert first.url == f"/netvaerk/tilmelding/{membership.pk}/"
    assert second.redirect_chain[-1][0] == first.url
    assert "Testrup Kommune er allerede tilmeldt" in second.content.decode()


def test_service_refuses_a_second_sign_up_for_the_same_year(
    network, municipality, person, november
):
    arguments = {
        "person": person,
        "organisation": municipality,
        "network": network,
        "year": 2022,
        "ean": VALID_EAN,
        "invoice_contact_name": "Bente",
        "invoice_contact_email": "b@testrup.dk",
        "accept_terms": True,
    }
    services.sign_up(**arguments)
    with pytest.raises(services.AlreadySignedUp) as exc:
        services.sign_up(**arguments)
    assert exc.value.membership.year == 2022
    assert Membership.objects.count() == 1


def test_cancelled_membership_can_be_applied_for_again(network, municipality, person, november):
    MembershipFactory(
        organisation=municipality, network=network, year=2022, status=Membership.Status.CANCELLED
    )
    membership = services.sign_up(
        person=person,
        organisation=municipality,
        network=network,
        year=2022,
        ean=VALID_EAN,
        invoice_contact_name="Bente",
        invoice_contact_email="b@testrup.dk",
        accept_terms=True,
    )
    assert membership.status == Membership.Status.APPLIED
    assert Membership.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"ean": "5798000000002"}, "kontrolciffer"),
        ({"ean": "12345"}, "Et EAN-nummer har præcis 13 cifre"),
        ({"ean": ""}, "Skriv det EAN-nummer, vi skal fakturere til."),
        ({"invoice_contact_name": ""}, "Skriv, hvem der modtager fakturaen."),
        ({"invoice_contact_email": ""}, "Skriv fakturakontaktens e-mailadresse."),
        ({"invoice_contact_email": "ikke-en-adresse"}, "Indtast en gyldig e-mail-adresse."),
        ({"accept_terms": ""}, "Du skal acceptere betingelserne for at tilmelde."),
        ({"year": "2030"}, "Du kan tilmelde for 2021 / 2022."),
    ],
)
def test_bad_input_gives_a_danish_message_and_saves_nothing(
    client, network, municipality, person, november, mailoutbox, overrides, field_message
):
    client.force_login(person)
    response = client.submit("/netvaerk/tilmelding/", form_data(network, municipality, **overrides))
    assert response.status_code == 200
    assert field_message in response.content.decode()
    # Listed and linked in the error summary, announced at the field.
    soup = check_form_page(response, errors=True)
    assert field_message in soup.select_one('[data-module="error-summary"]').get_text()
    assert not Membership.objects.exists()
    assert mailoutbox == []


def test_someone_elses_organisation_is_refused(client, network, person, november):
    other = MunicipalityFactory(name="Andenby Kommune")
    client.force_login(person)
    response = client.submit("/netvaerk/tilmelding/", form_data(network, other))
    assert (
        "Du kan kun tilmelde en organisation, du har en bekræftet tilknytning til."
        in response.content.decode()
    )
    assert not Membership.objects.exists()
    with pytest.raises(ValidationError):
        services.sign_up(
            person=person,
            organisation=other,
            network=network,
            year=2022,
            ean=VALID_EAN,
            invoice_contact_name="Bente",
            invoice_contact_email="b@andenby.dk",
            accept_terms=True,
        )
    assert not Membership.objects.exists()


def test_unverified_person_cannot_sign_up_an_organisation(client, network, municipality, november):
    requester = UserFactory(verified=True, email="kim@example.org")
    AffiliationFactory(
        person=requester,
        organisation=municipality,
        status=Affiliation.Status.REQUESTED,
        verified_via="",
    )
    client.force_login(requester)
    page = client.get("/netvaerk/tilmelding/").content.decode()
    assert "skal du først være tilknyttet den" in page
    assert 'name="ean"' not in page

    # The form is not offered; a hand-made request with the session's token is refused too.
    response = client.post_with_token(
        "/netvaerk/tilmelding/", form_data(network, municipality), page="/netvaerk/tilmelding/"
    )
    assert response.status_code == 200
    assert not Membership.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, network):
    response = client.get("/netvaerk/tilmelding/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_confirmation_offers_the_free_trial_meeting_to_a_non_member(
    client,
    network,
    municipality,
    person,
    trial_meeting,
    november,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            "/netvaerk/tilmelding/", form_data(network, municipality), follow=True
        )
    body = response.content.decode()
    assert "Kom gratis til et møde" in body
    assert "Netværksmøde 8. december" in body
    assert f'href="{trial_meeting.url}"' in body
    assert "Netværksmøde 8. december" in mailoutbox[1].body
    assert trial_meeting.url in mailoutbox[1].body


def test_no_trial_offer_when_the_trial_was_used(
    client, network, municipality, person, trial_meeting, november
):
    TrialUse.objects.create(organisation=municipality, network=network)
    client.force_login(person)
    response = client.submit("/netvaerk/tilmelding/", form_data(network, municipality), follow=True)
    assert "Kom gratis til et møde" not in response.content.decode()


def test_no_trial_offer_to_a_member_renewing(
    client, network, municipality, person, trial_meeting, november
):
    MembershipFactory(organisation=municipality, network=network, year=2021)
    client.force_login(person)
    response = client.submit("/netvaerk/tilmelding/", form_data(network, municipality), follow=True)
    assert Membership.objects.filter(year=2022).exists()
    assert "Kom gratis til et møde" not in response.content.decode()


def test_no_trial_offer_without_a_meeting_with_trial_places(
    client, network, municipality, person, november
):
    client.force_login(person)
    response = client.submit("/netvaerk/tilmelding/", form_data(network, municipality), follow=True)
    assert "Vi har modtaget jeres tilmelding" in response.content.decode()
    assert "Kom gratis til et møde" not in response.content.decode()


def test_confirmation_page_is_only_for_the_organisations_people(client, network, municipality):
    membership = MembershipFactory(organisation=municipality, network=network)
    outsider = AffiliationFactory(organisation=MunicipalityFactory()).person
    client.force_login(outsider)
    assert client.get(f"/netvaerk/tilmelding/{membership.pk}/").status_code == 404


def test_approval_activates_and_tells_the_person(
    network, municipality, person, staff, mailoutbox, django_capture_on_commit_callbacks
):
    applied = MembershipFactory(
        organisation=municipality,
        network=network,
        status=Membership.Status.APPLIED,
        signed_up_by=person,
    )
    already_cancelled = MembershipFactory(
        network=network, status=Membership.Status.CANCELLED, signed_up_by=person
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.approve_memberships(
            memberships=[applied, already_cancelled], approved_by=staff
        )
    assert changed == 1
    applied.refresh_from_db()
    already_cancelled.refresh_from_db()
    assert applied.status == Membership.Status.ACTIVE
    assert applied.approved_by == staff
    assert already_cancelled.status == Membership.Status.CANCELLED
    assert [m.to for m in mailoutbox] == [["anna@testrup.dk"]]
    assert "er nu aktivt" in mailoutbox[0].body
