"""The admin's dashboard shows what waits for staff, each line linking to the listing
filtered to exactly those rows, each panel only to whom may act on it; the number of
queries does not grow with what waits."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.factories import MeetingPageFactory, RegistrationFactory
from meetings.models import Registration
from network.factories import AffiliationFactory, MembershipFactory
from network.library.factories import AgreementFactory
from network.library.models import Agreement
from network.models import Affiliation, Membership
from portal.factories import UserFactory
from tests.roles import COORDINATORS, ROLES, log_in, make_person


@pytest.fixture
def waiting(network, municipality):
    """2 applications, 3 affiliation requests, 2 answers to review, and waitlists: 2 at
    the first upcoming meeting, 1 at the second, none at a third; a past meeting's
    waitlist does not count."""
    applied = [
        MembershipFactory(network=network, status=Membership.Status.APPLIED) for _ in range(2)
    ]
    active = MembershipFactory(network=network)  # not waiting
    for _ in range(3):
        AffiliationFactory(
            organisation=municipality, status=Affiliation.Status.REQUESTED, verified_via=""
        )
    for _ in range(2):
        AgreementFactory(status=Agreement.Status.SUBMITTED)
    AgreementFactory()  # published: not waiting
    first = MeetingPageFactory(parent=network, title="Forårsmødet")
    second = MeetingPageFactory(
        parent=network,
        title="Sommermødet",
        start=first.start + datetime.timedelta(days=30),
        end=first.end + datetime.timedelta(days=30),
    )
    MeetingPageFactory(parent=network, title="Mødet uden venteliste")
    past = MeetingPageFactory(
        parent=network,
        title="Sidste års møde",
        start=timezone.now() - datetime.timedelta(days=300),
        end=timezone.now() - datetime.timedelta(days=300) + datetime.timedelta(hours=5),
    )
    for meeting, count in ((first, 2), (second, 1), (past, 4)):
        for _ in range(count):
            RegistrationFactory(
                meeting=meeting, status=Registration.Status.WAITLISTED, confirmed_at=None
            )
    RegistrationFactory(meeting=first)  # confirmed: not waiting
    return {"first": first, "second": second, "past": past, "applied": applied, "active": active}


def lines(html: str) -> list[str]:
    """The dashboard's "waiting" links as (text) in order, from the panels we add."""
    import re

    found = []
    for panel_id in ("network-pending", "library-review", "meeting-waitlists"):
        match = re.search(rf'id="{panel_id}-section".*?</section>', html, re.S)
        if match:
            found += [
                f"{text.strip()} → {href.replace('&amp;', '&')}"
                for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(0))
            ]
    return found


def test_the_coordinator_sees_what_waits_with_links_to_the_filtered_listings(client, waiting):
    editor = make_person("editor")
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    first, second = waiting["first"], waiting["second"]
    assert lines(html) == [
        "2 medlemstilmeldinger venter på godkendelse → /admin/snippets/network/membership/?status=applied",
        "3 anmodninger om tilknytning venter på afgørelse → /admin/snippets/network/affiliation/?status=requested",
        "2 aftalesvar venter på behandling → /admin/aftaler/?status=submitted",
        f"Forårsmødet: 2 på venteliste → /admin/meetings/registrations/?meeting={first.pk}&status=waitlisted",
        f"Sommermødet: 1 på venteliste → /admin/meetings/registrations/?meeting={second.pk}&status=waitlisted",
    ]
    assert "Sidste års møde" not in html and "Mødet uden venteliste" not in html
    assert "Venter på dig i netværkene" in html and "Ventelister til kommende møder" in html

    # Each link opens the listing with exactly what waits.
    waitlisted = client.get(
        f"/admin/meetings/registrations/?meeting={first.pk}&status=waitlisted"
    ).content.decode()
    for registration in first.registrations.filter(status=Registration.Status.WAITLISTED):
        assert registration.person.get_full_name() in waitlisted
    confirmed = first.registrations.get(status=Registration.Status.CONFIRMED)
    assert confirmed.person.get_full_name() not in waitlisted
    applied = client.get("/admin/snippets/network/membership/?status=applied").content.decode()
    for membership in waiting["applied"]:
        assert membership.organisation.name in applied
    assert waiting["active"].organisation.name not in applied
    submitted = client.get("/admin/aftaler/?status=submitted").content.decode()
    for answer in Agreement.objects.filter(status=Agreement.Status.SUBMITTED):
        assert answer.title in submitted
    assert Agreement.objects.get(status=Agreement.Status.PUBLISHED).title not in submitted


@pytest.mark.parametrize("role", ROLES)
def test_the_panels_are_for_whom_may_act(role, client, network, waiting):
    person = make_person(role, network=network)
    log_in(client, person)
    response = client.get("/admin/")
    if role not in COORDINATORS:
        assert response.status_code in (302, 403)
        return
    assert len(lines(response.content.decode())) == 5


def test_each_panel_needs_its_own_permission(client, waiting):
    """A user who may only approve memberships sees that line and nothing else waiting."""
    group = Group.objects.create(name="Kun medlemskaber")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="network", codename="change_membership"),
        Permission.objects.get(content_type__app_label="network", codename="view_membership"),
    )
    person = UserFactory(verified=True)
    person.groups.add(group)
    client.force_login(person)
    assert lines(client.get("/admin/").content.decode()) == [
        "2 medlemstilmeldinger venter på godkendelse → /admin/snippets/network/membership/?status=applied"
    ]

    group.permissions.add(
        Permission.objects.get(content_type__app_label="library", codename="view_agreement"),
        Permission.objects.get(content_type__app_label="library", codename="change_agreement"),
    )
    person = UserFactory._meta.model.objects.get(pk=person.pk)  # fresh permission cache
    client.force_login(person)
    found = lines(client.get("/admin/").content.decode())
    assert [line.split(" → ")[0] for line in found] == [
        "2 medlemstilmeldinger venter på godkendelse",
        "2 aftalesvar venter på behandling",
    ]


def test_nothing_waiting_shows_no_panel(client, db):
    client.force_login(make_person("editor"))
    html = client.get("/admin/").content.decode()
    assert lines(html) == []
    assert "Venter på dig i netværkene" not in html


def test_the_dashboard_query_count_does_not_grow_with_what_waits(client, network, waiting):
    editor = make_person("editor")
    client.force_login(editor)
    client.get("/admin/")  # warm caches (content types, site)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    before = queries()
    for n in range(6):
        meeting = MeetingPageFactory(parent=network, title=f"Ekstra møde {n}")
        RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED)
        MembershipFactory(network=network, status=Membership.Status.APPLIED)
        AgreementFactory(status=Agreement.Status.SUBMITTED)
    client.get("/admin/")  # new pages made the tree cache obsolete (portal.tree_cache): refill
    after = queries()
    assert after == before, f"{before} queries with 2 waitlists, {after} with 8"
    assert before <= 27, before  # measured: 25 (Wagtail's own panels included)
