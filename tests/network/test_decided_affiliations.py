"""A decided affiliation is not a contact person's to change (issue 9, hole 3): contact
people decide only requests that wait; staff revoke or restore with a reason, which the
person gets by e-mail and the history keeps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from network import services
from network.factories import AffiliationFactory
from network.models import Affiliation, Organisation
from portal.factories import UserFactory

CHANGE_URL = "/admin/network/tilknytning/{pk}/aendr/"


@pytest.fixture
def contact(municipality):
    user = UserFactory(verified=True, email="chef@testrup.dk")
    AffiliationFactory(person=user, organisation=municipality, role=Affiliation.Role.CONTACT_PERSON)
    return user


@pytest.fixture
def colleague(person, municipality):
    """Anna, verified at Testrup through her confirmed e-mail address on its domain."""
    affiliation = Affiliation.objects.get(person=person, organisation=municipality)
    affiliation.verified_via = Affiliation.VerifiedVia.EMAIL_DOMAIN
    affiliation.verified_email = person.email
    affiliation.save()
    return affiliation


def _entries(affiliation):
    return ModelLogEntry.objects.for_instance(affiliation).order_by("pk")


@pytest.mark.parametrize("decision", ["reject", "approve"])
def test_a_contact_person_cannot_change_a_verified_colleague(
    client, contact, colleague, decision, mailoutbox
):
    client.force_login(contact)
    response = client.post_with_token(
        f"/netvaerk/tilknytning/{colleague.pk}/afgoer/",
        {"decision": decision},
        page="/min-side/",
        follow=True,
    )
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.VERIFIED
    assert colleague.verified_via == Affiliation.VerifiedVia.EMAIL_DOMAIN
    assert colleague.decided_by is None
    assert "er allerede afgjort (bekræftet)" in response.content.decode()
    assert mailoutbox == []


def test_a_contact_person_cannot_undo_a_rejection_either(client, contact, municipality):
    rejected = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REJECTED, verified_via=""
    )
    client.force_login(contact)
    client.post_with_token(
        f"/netvaerk/tilknytning/{rejected.pk}/afgoer/", {"decision": "approve"}, page="/min-side/"
    )
    rejected.refresh_from_db()
    assert rejected.status == Affiliation.Status.REJECTED


def test_a_stranger_still_gets_403_not_the_status(client, colleague):
    stranger = UserFactory(verified=True, email="fremmed@example.org")
    client.force_login(stranger)
    response = client.post_with_token(
        f"/netvaerk/tilknytning/{colleague.pk}/afgoer/", {"decision": "reject"}, page="/min-side/"
    )
    assert response.status_code == 403


def test_the_contact_person_still_decides_a_waiting_request(contact, municipality):
    request_ = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
    )
    services.decide_affiliation(affiliation=request_, decided_by=contact, approve=False)
    request_.refresh_from_db()
    assert request_.status == Affiliation.Status.REJECTED


def test_staff_decide_only_waiting_requests_in_the_one_step_too(staff, colleague):
    with pytest.raises(ValidationError):
        services.decide_affiliation(affiliation=colleague, decided_by=staff, approve=False)


def test_only_staff_change_a_decided_affiliation(contact, colleague):
    with pytest.raises(PermissionDenied):
        services.change_decided_affiliation(affiliation=colleague, by=contact, reason="Stoppet")
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.VERIFIED


def test_a_reason_is_required(staff, colleague):
    with pytest.raises(ValidationError):
        services.change_decided_affiliation(affiliation=colleague, by=staff, reason="   ")
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.VERIFIED


def test_staff_revoke_and_restore_in_the_admin_with_a_reason(
    client, staff, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    listing = client.get("/admin/snippets/network/affiliation/").content.decode()
    assert CHANGE_URL.format(pk=colleague.pk) in listing
    assert "Træk tilbage" in listing

    url = CHANGE_URL.format(pk=colleague.pk)
    form = client.get(url).content.decode()
    assert "Træk tilknytning tilbage" in form and 'name="reason"' in form

    # Without a reason: the form says so, nothing changes.
    response = client.submit(url, {"reason": ""})
    assert response.status_code == 200
    assert "Skriv begrundelsen" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.VERIFIED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(url, {"reason": "Har forladt kommunen."}, follow=True)
    assert "er trukket tilbage" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.REJECTED
    assert colleague.decided_by == staff
    assert mailoutbox[-1].to == [colleague.person.email]
    assert "Din tilknytning til Testrup Kommune er trukket tilbage" in mailoutbox[-1].subject
    assert "Har forladt kommunen." in mailoutbox[-1].body
    assert not Organisation.objects.verified_for(colleague.person).exists()

    revoked = _entries(colleague).get()
    assert revoked.action == "network.affiliation.revoked"
    assert revoked.user == staff
    assert revoked.data["reason"] == "Har forladt kommunen."
    assert revoked.data["old_status"] == "verified"

    # And back again, with a reason of its own.
    with django_capture_on_commit_callbacks(execute=True):
        client.submit(url, {"reason": "Var en fejl."})
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.VERIFIED
    assert colleague.verified_via == Affiliation.VerifiedVia.STAFF
    assert "Var en fejl." in mailoutbox[-1].body
    assert [e.action for e in _entries(colleague)] == [
        "network.affiliation.revoked",
        "network.affiliation.restored",
    ]
    history = client.get(f"/admin/snippets/network/affiliation/history/{colleague.pk}/")
    assert "Tilknytning trukket tilbage" in history.content.decode()


def test_the_revoke_page_is_for_staff_only(client, contact, colleague):
    client.force_login(contact)
    response = client.get(CHANGE_URL.format(pk=colleague.pk))
    assert response.status_code in (302, 403)
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.VERIFIED


def test_the_revoke_page_refuses_a_post_without_a_token(client, staff, colleague):
    client.force_login(staff)
    response = client.post(CHANGE_URL.format(pk=colleague.pk), {"reason": "x"})
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.status == Affiliation.Status.VERIFIED
