"""GDPR self-service: "Hent mine data" (everything held, as JSON and a readable page) and
"Slet min konto" (password first; registrations anonymised with the figures intact,
answers and memberships stay with the organisation); the privacy page linked from the
footer and from every form that collects personal data."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry, Site

from meetings import services as meeting_services
from meetings.factories import MeetingPageFactory, RegistrationFactory, VenueFactory
from meetings.models import Registration
from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
    OrganisationFactory,
)
from network.library.factories import AgreementCallPageFactory, AgreementFactory
from network.models import Affiliation, Membership, Organisation
from portal.factories import StandardPageFactory, UserFactory
from portal.models import SiteSettings, User
from tests.form_markup import check_form_page

from .conftest import PASSWORD

PRIVACY_LINK = "Læs hvordan vi behandler dine oplysninger"


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")


@pytest.fixture
def municipality(network):
    org = MunicipalityFactory(name="Testrup Kommune")
    year = timezone.localdate().year
    for y in (year, year + 1):
        MembershipFactory(organisation=org, network=network, year=y)
    return org


@pytest.fixture
def anna(municipality):
    """A contact person of Testrup (the only one), with a second, unconfirmed address."""
    person = UserFactory(
        verified=True,
        email="anna@testrup.dk",
        first_name="Anna",
        last_name="Andersen",
        job_title="Boligkonsulent",
        phone="12 34 56 78",
    )
    EmailAddress.objects.create(user=person, email="anna@privat.example", verified=False)
    AffiliationFactory(
        person=person, organisation=municipality, role=Affiliation.Role.CONTACT_PERSON
    )
    return person


@pytest.fixture
def history(network, municipality, anna):
    """Anna's traces: a past meeting she attended, a coming one where she holds the only
    seat with a colleague waiting, a membership she signed and an answer she submitted."""
    venue = VenueFactory()
    now = timezone.now()
    past = MeetingPageFactory(
        parent=network,
        venue=venue,
        title="Forårsmødet",
        start=now - datetime.timedelta(days=60),
        end=now - datetime.timedelta(days=60) + datetime.timedelta(hours=5),
    )
    attended = RegistrationFactory(
        meeting=past,
        person=anna,
        organisation=municipality,
        dietary_needs="Vegetar",
        attended_at=past.start,
    )
    others = [
        RegistrationFactory(meeting=past, organisation=municipality, attended_at=past.start)
        for _ in range(2)
    ]
    coming = MeetingPageFactory(
        parent=network, venue=venue, title="Efterårsmødet", capacity=1, trial_places=0
    )
    seat = meeting_services.register(meeting=coming, person=anna, organisation=municipality)
    colleague = UserFactory(verified=True, first_name="Bo")
    AffiliationFactory(person=colleague, organisation=municipality)
    waiting = meeting_services.register(meeting=coming, person=colleague, organisation=municipality)
    assert waiting.status == Registration.Status.WAITLISTED
    membership = Membership.objects.get(
        organisation=municipality, year=timezone.localdate().year + 1
    )
    membership.signed_up_by = anna
    membership.save()
    housing = OrganisationFactory(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Åbo"
    )
    answer = AgreementFactory(
        title="Aftale om anvisning i Testrup",
        submitted_by=anna,
        submitting_organisation=municipality,
        housing_organisations=[housing],
        description="Vi anviser hver fjerde ledige bolig.",
    )
    return {
        "past": past,
        "attended": attended,
        "others": others,
        "coming": coming,
        "seat": seat,
        "waiting": waiting,
        "membership": membership,
        "answer": answer,
    }


def log_entries(action):
    return list(ModelLogEntry.objects.filter(action=action))


# --- Export ------------------------------------------------------------------------------


def test_my_data_json_holds_everything_about_the_person(client, anna, history):
    client.force_login(anna)
    response = client.get("/min-side/mine-data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)

    assert data["profile"]["email"] == "anna@testrup.dk"
    assert data["profile"]["job_title"] == "Boligkonsulent"
    assert data["profile"]["phone"] == "12 34 56 78"
    assert {(a["email"], a["verified"]) for a in data["email_addresses"]} == {
        ("anna@testrup.dk", True),
        ("anna@privat.example", False),
    }
    assert [a["organisation"] for a in data["affiliations"]] == ["Testrup Kommune"]
    assert data["affiliations"][0]["role"] == "Kontaktperson"
    assert [(m["organisation"], m["year"]) for m in data["memberships_signed"]] == [
        ("Testrup Kommune", timezone.localdate().year + 1)
    ]
    meetings = {r["meeting"]: r for r in data["registrations"]}
    assert set(meetings) == {"Forårsmødet", "Efterårsmødet"}
    assert meetings["Forårsmødet"]["dietary_needs"] == "Vegetar"
    assert meetings["Forårsmødet"]["attended_at"]
    assert [a["title"] for a in data["answers_submitted"]] == ["Aftale om anvisning i Testrup"]
    assert data["answers_submitted"][0]["description"] == "Vi anviser hver fjerde ledige bolig."
    assert data["consents_given"][0]["agreement"] == "Aftale om anvisning i Testrup"
    actions = {e["action"] for e in data["audit_entries"]}
    assert "meetings.registration.confirmed" in actions
    # Nothing about the colleague: their registration and its log entry are not Anna's.
    assert "Bo" not in {r.get("meeting") for r in data["registrations"]}
    assert len(data["registrations"]) == 2

    exports = log_entries("portal.account.data_exported")
    assert len(exports) == 1
    assert exports[0].user_id == anna.pk
    assert exports[0].data == {"format": "json"}


def test_my_data_page_is_readable_and_logged(client, anna, history):
    client.force_login(anna)
    body = client.get("/min-side/mine-data/").content.decode()
    assert "Mine data" in body
    assert "Forårsmødet" in body and "Vegetar" in body
    assert "Aftale om anvisning i Testrup" in body
    assert 'href="/min-side/mine-data.json"' in body
    assert len(log_entries("portal.account.data_exported")) == 1
    my_page = client.get("/min-side/").content.decode()
    assert "Hent mine data" in my_page and "Slet min konto" in my_page


def test_my_data_needs_a_login(client, db):
    for url in ("/min-side/mine-data/", "/min-side/mine-data.json", "/min-side/slet-konto/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")


# --- Deletion ----------------------------------------------------------------------------


def test_the_only_contact_is_told_what_happens_before_confirming(client, anna, history):
    client.force_login(anna)
    body = client.get("/min-side/slet-konto/").content.decode()
    assert "Du er eneste kontaktperson for" in body
    assert "Testrup Kommune" in body
    assert "Medlemskabet fortsætter" in body


def test_no_warning_when_the_organisation_has_another_contact(client, anna, municipality):
    AffiliationFactory(organisation=municipality, role=Affiliation.Role.CONTACT_PERSON)
    client.force_login(anna)
    body = client.get("/min-side/slet-konto/").content.decode()
    assert "Du er eneste kontaktperson" not in body
    assert "Slet min konto" in body


def test_a_wrong_password_deletes_nothing(client, anna, history):
    client.force_login(anna)
    response = client.submit("/min-side/slet-konto/", {"password": "forkert-kodeord"})
    assert response.status_code == 200
    assert "Adgangskoden er ikke korrekt." in response.content.decode()
    soup = check_form_page(response, errors=True)
    assert [a["href"] for a in soup.select('[data-module="error-summary"] a')] == ["#id_password"]
    assert User.objects.filter(pk=anna.pk).exists()
    assert not log_entries("portal.account.deleted")


def test_deleting_the_account_keeps_the_figures_and_the_organisations_things(
    client, anna, history, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    past = history["past"]
    confirmed_before = past.registrations.filter(status=Registration.Status.CONFIRMED).count()
    attended_before = past.registrations.filter(attended_at__isnull=False).count()
    client.force_login(anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit("/min-side/slet-konto/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=anna.pk).exists()
    assert not EmailAddress.objects.filter(email__startswith="anna@").exists()
    assert not Affiliation.objects.filter(organisation=municipality, role="contact").exists()
    # Logged out.
    assert client.get("/min-side/").status_code == 302

    # The past meeting's figures are unchanged; Anna's row is there without her.
    assert past.registrations.filter(status="confirmed").count() == confirmed_before
    assert past.registrations.filter(attended_at__isnull=False).count() == attended_before
    attended = Registration.objects.get(pk=history["attended"].pk)
    assert attended.person is None
    assert attended.dietary_needs == ""
    assert attended.attended_at is not None
    assert attended.anonymised_at is not None
    assert attended.organisation == municipality

    # Her coming seat was given up, and the colleague moved up from the waitlist.
    seat = Registration.objects.get(pk=history["seat"].pk)
    assert seat.status == Registration.Status.CANCELLED and seat.person is None
    assert Registration.objects.get(pk=history["waiting"].pk).status == "confirmed"
    assert history["coming"].registrations.filter(status="confirmed").count() == 1

    # The answer and the membership stay with the organisation, without her name.
    answer = type(history["answer"]).objects.get(pk=history["answer"].pk)
    assert answer.submitted_by is None
    assert answer.submitting_organisation == municipality
    assert answer.description == "Vi anviser hver fjerde ledige bolig."
    membership = Membership.objects.get(pk=history["membership"].pk)
    assert membership.signed_up_by is None
    assert membership.organisation == municipality
    assert membership.status == Membership.Status.ACTIVE

    # One deletion entry, without her name, on the log that outlives her.
    deleted = log_entries("portal.account.deleted")
    assert len(deleted) == 1
    assert "Anna" not in deleted[0].label and "anna@" not in str(deleted[0].data)
    assert deleted[0].data["registrations_anonymised"] == 2
    assert deleted[0].data["sole_contact_of"] == ["Testrup Kommune"]
    registration_type = ContentType.objects.get_for_model(Registration)
    for entry in ModelLogEntry.objects.filter(
        content_type=registration_type, object_id=str(history["attended"].pk)
    ):
        assert "Andersen" not in entry.label
    # The coordinators hear that Testrup has no contact person now.
    notices = [m for m in mailoutbox if "kontaktperson" in m.subject.lower()]
    assert notices and "Testrup Kommune" in notices[0].body


def test_an_administrator_cannot_delete_themselves_here(client, db):
    admin = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/min-side/slet-konto/")
    assert response.status_code == 302
    assert User.objects.filter(pk=admin.pk).exists()


# --- Privacy page ------------------------------------------------------------------------


@pytest.fixture
def privacy_page(home_page):
    page = StandardPageFactory(parent=home_page, title="Privatlivspolitik", slug="privatliv")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.privacy_page = page
    site_settings.save()
    return page


def _has_privacy_link(body: str, page) -> bool:
    return PRIVACY_LINK in body and f'href="{page.url}"' in body


def test_privacy_page_is_linked_from_the_footer(client, privacy_page):
    body = client.get("/").content.decode()
    assert "Privatlivspolitik" in body
    assert f'href="{privacy_page.url}"' in body


def test_every_form_that_collects_personal_data_links_the_privacy_page(
    client, privacy_page, network, anna, municipality
):
    assert _has_privacy_link(client.get("/konto/signup/").content.decode(), privacy_page)
    client.force_login(anna)
    meeting = MeetingPageFactory(parent=network, venue=VenueFactory())
    call = AgreementCallPageFactory(parent=privacy_page.get_parent(), slug="indberet")
    for url in (
        "/min-side/",
        f"/moeder/{meeting.pk}/tilmeld/",
        f"/netvaerk/tilmelding/?network={network.pk}",
        "/min-side/slet-konto/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _has_privacy_link(response.content.decode(), privacy_page), url
    # The questionnaire, as an employee of a housing organisation sees it.
    submitter = UserFactory(verified=True)
    AffiliationFactory(
        person=submitter,
        organisation=OrganisationFactory(kind=Organisation.Kind.HOUSING_ORGANISATION),
    )
    client.force_login(submitter)
    body = client.get(call.questionnaire_url() + "?trin=3").content.decode()
    assert 'name="consent"' in body
    assert _has_privacy_link(body, privacy_page)


def test_no_privacy_link_when_no_page_is_chosen(client, home_page):
    assert PRIVACY_LINK not in client.get("/konto/signup/").content.decode()


@pytest.mark.django_db
def test_the_demo_has_a_privacy_page_linked_from_the_footer(client):
    from django.core.management import call_command

    call_command("load_demo")
    page = SiteSettings.for_site(Site.objects.get(is_default_site=True)).privacy_page
    assert page is not None and page.live and page.title == "Privatlivspolitik"
    body = client.get(page.url).content.decode()
    for promise in ("Hvilke oplysninger har vi?", "Hvorfor?", "Hvor længe?", "24 måneder"):
        assert promise in body
    assert "Hent mine data" in body and "Slet min konto" in body
    assert f'href="{page.url}"' in client.get("/").content.decode()
