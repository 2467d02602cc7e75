"""One audit trail: memberships, affiliations and registrations are logged once each on
Wagtail's log, with the actor, shown with Danish labels in the History views and the site
history report, and the entries outlive the object."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from meetings import services as meeting_services
from meetings.factories import MeetingPageFactory, VenueFactory
from meetings.models import Registration
from network import services as network_services
from network.factories import (
    VALID_EAN,
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from network.models import Affiliation, Membership
from portal.factories import UserFactory


def entries(obj, action=None):
    qs = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    )
    return list(qs.filter(action=action) if action else qs)


def only_entry(obj, action):
    found = entries(obj, action)
    assert len(found) == 1, f"{action}: {len(found)} entries"
    return found[0]


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")


@pytest.fixture
def staff(db):
    return UserFactory(verified=True, is_staff=True, is_superuser=True, email="k@erfa.example")


@pytest.fixture
def member_org(network):
    org = MunicipalityFactory(name="Testrup Kommune")
    year = timezone.localdate().year
    for y in (year, year + 1):
        MembershipFactory(organisation=org, network=network, year=y)
    return org


def person_at(organisation, **kwargs):
    person = UserFactory(verified=True, **kwargs)
    AffiliationFactory(person=person, organisation=organisation)
    return person


def test_membership_applied_approved_cancelled_ended_each_logged_once(network, staff):
    org = MunicipalityFactory(name="Testrup Kommune")
    person = person_at(org)
    year = timezone.localdate().year
    membership = network_services.sign_up(
        person=person,
        organisation=org,
        network=network,
        year=year,
        ean=VALID_EAN,
        invoice_contact_name="Bente",
        invoice_contact_email="b@testrup.dk",
        accept_terms=True,
    )
    assert only_entry(membership, "network.membership.applied").user_id == person.pk

    network_services.approve_memberships(memberships=[membership], approved_by=staff)
    assert only_entry(membership, "network.membership.approved").user_id == staff.pk
    # Approving again changes nothing, and logs nothing.
    network_services.approve_memberships(memberships=[membership], approved_by=staff)
    assert len(entries(membership, "network.membership.approved")) == 1

    # A membership ends when its year has run out (the rollover, or a coordinator then);
    # during its year it is cancelled instead, and a refused end logs nothing.
    with pytest.raises(ValidationError):
        network_services.end_membership(membership=membership, by=staff)
    assert entries(membership, "network.membership.ended") == []
    after_the_year = datetime.date(year + 1, 1, 2)
    network_services.end_membership(membership=membership, by=staff, on=after_the_year)
    assert only_entry(membership, "network.membership.ended").user_id == staff.pk
    network_services.end_membership(membership=membership, by=staff, on=after_the_year)
    assert len(entries(membership, "network.membership.ended")) == 1

    other = MembershipFactory(organisation=org, network=network, year=year + 1)
    network_services.cancel_membership(membership=other, by=staff)
    entry = only_entry(other, "network.membership.cancelled")
    assert entry.user_id == staff.pk
    assert entry.data == {"previous_status": Membership.Status.ACTIVE}


def test_affiliation_requested_verified_rejected_each_logged_once(staff):
    org = MunicipalityFactory(name="Testrup Kommune", domains=["testrup.dk"])
    asker = UserFactory(verified=True, email="asker@gmail.example")
    affiliation = network_services.join_organisation(person=asker, organisation=org)
    assert only_entry(affiliation, "network.affiliation.requested").user_id == asker.pk
    network_services.decide_affiliation(affiliation=affiliation, decided_by=staff, approve=True)
    assert only_entry(affiliation, "network.affiliation.verified").user_id == staff.pk

    refused = network_services.join_organisation(
        person=UserFactory(verified=True, email="x@gmail.example"), organisation=org
    )
    network_services.decide_affiliation(affiliation=refused, decided_by=staff, approve=False)
    assert only_entry(refused, "network.affiliation.rejected").user_id == staff.pk
    assert not entries(refused, "network.affiliation.verified")

    # A confirmed address on the organisation's domain verifies at once: one entry, by
    # the person, no request.
    colleague = UserFactory(email="bo@testrup.dk")
    EmailAddress.objects.create(user=colleague, email=colleague.email, verified=True, primary=True)
    at_once = network_services.join_organisation(person=colleague, organisation=org)
    assert at_once.status == Affiliation.Status.VERIFIED
    assert only_entry(at_once, "network.affiliation.verified").user_id == colleague.pk
    assert not entries(at_once, "network.affiliation.requested")


def test_registration_actions_each_logged_once_with_the_actor(network, member_org, staff):
    meeting = MeetingPageFactory(parent=network, venue=VenueFactory(), capacity=1, trial_places=0)
    first, second = person_at(member_org), person_at(member_org)
    seat = meeting_services.register(meeting=meeting, person=first, organisation=member_org)
    waiting = meeting_services.register(meeting=meeting, person=second, organisation=member_org)
    assert only_entry(seat, "meetings.registration.confirmed").user_id == first.pk
    assert only_entry(waiting, "meetings.registration.waitlisted").user_id == second.pk

    meeting_services.cancel(registration=seat, cancelled_by=first)
    assert only_entry(seat, "meetings.registration.cancelled").user_id == first.pk
    promoted = only_entry(waiting, "meetings.registration.promoted")
    assert promoted.user_id is None  # the system moved them up

    waiting.refresh_from_db()
    meeting_services.check_in(registration=waiting, checked_in_by=staff)
    assert only_entry(waiting, "meetings.registration.checked_in").user_id == staff.pk

    count = meeting_services.anonymise_registrations(
        Registration.objects.filter(pk=waiting.pk), by=staff
    )
    assert count == 1
    assert only_entry(waiting, "meetings.registration.anonymised").user_id == staff.pk
    # Anonymising twice changes nothing and logs nothing.
    meeting_services.anonymise_registrations(Registration.objects.filter(pk=waiting.pk), by=staff)
    assert len(entries(waiting, "meetings.registration.anonymised")) == 1
    # The earlier entries no longer carry the person's name.
    assert all(str(second.last_name) not in e.label for e in entries(waiting))


def test_entries_outlive_the_object(network, member_org):
    meeting = MeetingPageFactory(parent=network, venue=VenueFactory())
    person = person_at(member_org)
    registration = meeting_services.register(
        meeting=meeting, person=person, organisation=member_org
    )
    pk = registration.pk
    registration.delete()
    entry = ModelLogEntry.objects.get(action="meetings.registration.confirmed", object_id=str(pk))
    assert entry.user_id == person.pk
    assert meeting.title in entry.label


def test_history_views_and_site_history_show_danish_labels(client, network, member_org, staff):
    meeting = MeetingPageFactory(parent=network, venue=VenueFactory())
    person = person_at(member_org)
    registration = meeting_services.register(
        meeting=meeting, person=person, organisation=member_org
    )
    membership = Membership.objects.filter(organisation=member_org).first()
    network_services.cancel_membership(membership=membership, by=staff)
    client.force_login(staff)

    history = client.get(f"/admin/meetings/registrations/history/{registration.pk}/")
    assert history.status_code == 200
    assert "Tilmelding bekræftet" in history.content.decode()

    snippet_history = client.get(f"/admin/snippets/network/membership/history/{membership.pk}/")
    assert snippet_history.status_code == 200
    assert "Medlemskab annulleret" in snippet_history.content.decode()

    report = client.get(
        "/admin/reports/site-history/", {"action": "meetings.registration.confirmed"}
    )
    body = report.content.decode()
    assert report.status_code == 200
    assert "Tilmelding bekræftet" in body
    assert "Medlemskab annulleret" in body  # offered as a filter choice, in Danish
    assert person.get_full_name() in body  # the registration's row
    # Filtered by the other action, the registration's row is gone.
    other = client.get("/admin/reports/site-history/", {"action": "network.membership.cancelled"})
    assert person.get_full_name() not in other.content.decode()
    assert str(membership.organisation) in other.content.decode()
