"""One rule per action (network/access.py), and the admin screens, the views and the
services agree with it, for each kind of person (tests/roles.py): a superuser, an editor
and a moderator who are NOT is_staff, a contact person, a member, and anonymous."""

import pytest
from django.core.exceptions import PermissionDenied

from network import access, services
from network.factories import AffiliationFactory, MembershipFactory, OrganisationFactory
from network.models import Affiliation, Membership
from portal.factories import UserFactory
from tests.roles import COORDINATORS, ROLES, log_in, make_person

MEMBERSHIPS = "/admin/snippets/network/membership/"
AFFILIATIONS = "/admin/snippets/network/affiliation/"


def bulk_url(model: str, action: str, *ids, next_url: str = "") -> str:
    query = "&".join(f"id={pk}" for pk in ids)
    return f"/admin/bulk/network/{model}/{action}/?next={next_url}&{query}"


# --- Approving memberships ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_approve_memberships(
    role, client, network, municipality, django_capture_on_commit_callbacks
):
    person = make_person(role, network=network, organisation=municipality)
    may = role in COORDINATORS
    assert access.can_approve_memberships(person) is may
    applied = MembershipFactory(network=network, status=Membership.Status.APPLIED)
    log_in(client, person)

    # The admin: the listing with the row's "Godkend" button, the confirmation page.
    listing = client.get(MEMBERSHIPS)
    url = bulk_url("membership", "approve", applied.pk, next_url=MEMBERSHIPS)
    if may:
        assert listing.status_code == 200
        assert (
            f"/admin/bulk/network/membership/approve/?next={MEMBERSHIPS.replace('/', '%2F')}&amp;id={applied.pk}"
            in (listing.content.decode())
        )
        confirm = client.get(url)
        assert "Godkend disse ansøgte medlemskaber?" in confirm.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.submit(url)
    else:
        assert listing.status_code in (302, 403)
        assert client.get(url).status_code in (302, 403)
        client.post_with_token(url)
    applied.refresh_from_db()
    assert (applied.status == Membership.Status.ACTIVE) is may

    # The service, whoever calls it.
    another = MembershipFactory(network=network, status=Membership.Status.APPLIED)
    if may:
        assert services.approve_memberships(memberships=[another], approved_by=person) == 1
    else:
        with pytest.raises(PermissionDenied):
            services.approve_memberships(memberships=[another], approved_by=person)
        another.refresh_from_db()
        assert another.status == Membership.Status.APPLIED


def test_a_staff_flag_alone_approves_nothing(network):
    flagged = UserFactory(verified=True, is_staff=True)
    applied = MembershipFactory(network=network, status=Membership.Status.APPLIED)
    assert not access.can_approve_memberships(flagged)
    with pytest.raises(PermissionDenied):
        services.approve_memberships(memberships=[applied], approved_by=flagged)


def test_an_organisations_own_people_may_withdraw_an_application_only(
    network, municipality, person
):
    applied = MembershipFactory(
        network=network, organisation=municipality, status=Membership.Status.APPLIED
    )
    active = MembershipFactory(network=network, organisation=municipality, year=2020)
    assert access.can_cancel_membership(person, applied)
    assert not access.can_cancel_membership(person, active)
    assert access.can_cancel_membership(make_person("editor"), active)
    assert not access.can_cancel_membership(make_person("member", network=network), applied)
    with pytest.raises(PermissionDenied):
        services.cancel_membership(membership=active, by=person)
    services.cancel_membership(membership=applied, by=person)


# --- Deciding affiliation requests -------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_decide_an_affiliation_request(
    role, client, network, municipality, django_capture_on_commit_callbacks
):
    person = make_person(role, network=network, organisation=municipality)
    # The contact person decides for their own organisation (here: Testrup) only.
    may_here = role in COORDINATORS or role == "contact"
    request_ = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
    )
    assert access.can_decide_affiliation(person, request_) is may_here
    elsewhere = AffiliationFactory(status=Affiliation.Status.REQUESTED, verified_via="")
    assert access.can_decide_affiliation(person, elsewhere) is (role in COORDINATORS)
    assert access.can_decide_all_affiliations(person) is (role in COORDINATORS)
    log_in(client, person)

    # The admin's bulk approval is for the coordinators (the contact person uses Min side).
    url = bulk_url("affiliation", "approve", elsewhere.pk, next_url=AFFILIATIONS)
    if role in COORDINATORS:
        assert client.get(AFFILIATIONS).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            client.submit(url)
    else:
        assert client.get(AFFILIATIONS).status_code in (302, 403)
        client.post_with_token(url)
    elsewhere.refresh_from_db()
    assert elsewhere.is_verified is (role in COORDINATORS)

    # The public view ("Min side" → Godkend), with a valid token.
    response = client.post_with_token(
        f"/netvaerk/tilknytning/{request_.pk}/afgoer/", {"decision": "approve"}
    )
    request_.refresh_from_db()
    if may_here:
        assert response.status_code == 302
        assert request_.is_verified
        assert request_.decided_by == person
        assert request_.verified_via == (
            Affiliation.VerifiedVia.STAFF
            if role in COORDINATORS
            else Affiliation.VerifiedVia.CONTACT_PERSON
        )
    else:
        assert response.status_code in (302, 403)
        assert request_.status == Affiliation.Status.REQUESTED

    # The service.
    third = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
    )
    if may_here:
        services.decide_affiliation(affiliation=third, decided_by=person, approve=False)
        third.refresh_from_db()
        assert third.status == Affiliation.Status.REJECTED
    else:
        with pytest.raises(PermissionDenied):
            services.decide_affiliation(affiliation=third, decided_by=person, approve=False)


def test_min_side_lists_the_requests_the_rule_allows(client, network, municipality):
    contact = make_person("contact", organisation=municipality)
    mine = AffiliationFactory(
        organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
    )
    other = AffiliationFactory(
        organisation=OrganisationFactory(name="Boligselskabet Andet"),
        status=Affiliation.Status.REQUESTED,
        verified_via="",
    )
    client.force_login(contact)
    page = client.get("/min-side/").content.decode()
    assert f"/netvaerk/tilknytning/{mine.pk}/afgoer/" in page
    assert f"/netvaerk/tilknytning/{other.pk}/afgoer/" not in page


# --- The members' directory --------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_members_directory(role, client, network, municipality):
    person = make_person(role, network=network, organisation=municipality)
    may = role in COORDINATORS or role == "member"  # Testrup is not a member
    assert access.can_see_directory(person, network) is may
    log_in(client, person)
    response = client.get(f"/netvaerk/{network.pk}/medlemmer/")
    if role == "anonymous":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif may:
        assert response.status_code == 200
        assert f"Medlemmer af {network.title}" in response.content.decode()
    else:
        assert response.status_code == 403
        assert "er kun for netværkets medlemmer" in response.content.decode()
    if role == "anonymous":
        with pytest.raises(PermissionDenied):
            services.directory(network=network, person=person)
    elif may:
        services.directory(network=network, person=person)
    else:
        with pytest.raises(PermissionDenied):
            services.directory(network=network, person=person)
    # The network page links to the directory for whom may open it.
    link = f"/netvaerk/{network.pk}/medlemmer/"
    assert (link in client.get(network.url).content.decode()) is may


# --- Who is told -------------------------------------------------------------------------


def test_staff_notices_go_to_those_who_may_decide_not_to_the_staff_flag(
    client, network, municipality, person, mailoutbox, django_capture_on_commit_callbacks
):
    editor = make_person("editor")
    superuser = make_person("superuser")
    UserFactory(verified=True, is_staff=True, email="bare-flag@erfa.example")
    make_person("member", network=network)
    UserFactory(verified=True, is_active=False, is_superuser=True, email="gone@erfa.example")
    expected = {"koordinator@erfa.example", editor.email, superuser.email}
    assert set(access.staff_recipients(access.APPROVE_MEMBERSHIPS)) == expected

    contact = make_person("contact", organisation=municipality)
    outsider = UserFactory(verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.join_organisation(person=outsider, organisation=municipality)
    assert set(mailoutbox[-1].to) == expected | {contact.email}


@pytest.mark.parametrize("role", ROLES)
def test_the_sites_header_links_the_admin_for_whom_may_use_it(role, client, home_page, network):
    """Wagtail's own rule (wagtailadmin.access_admin), not the staff flag."""
    log_in(client, make_person(role, network=network))
    header = client.get("/").content.decode()
    assert ('href="/admin/"' in header) is (role in COORDINATORS)
