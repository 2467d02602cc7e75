"""The grace period after New Year (issue 11) in the library's kept bodies: a member whose
renewal is missing reads member material until the network's grace end and not a day
longer, although no row changes that day (the kept bodies are keyed by the visitor's
access class, asked of the membership querysets on every request)."""

import datetime
import zoneinfo

import time_machine

from network.factories import AffiliationFactory, MembershipFactory
from network.library.factories import (
    AgreementFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    municipality,
)
from network.library.models import Agreement, Audience
from portal.factories import UserFactory

from .helpers import listed_titles

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def test_grace_opens_member_material_to_its_end_and_closes_it_after(
    client, home_page, library_page, network_a
):
    aarhus = municipality("751")
    AgreementFactory(title="Offentlig aftale", municipality=aarhus)
    AgreementFactory(
        title="Aftale for medlemmer", municipality=aarhus, consent=Agreement.Consent.MEMBERS
    )
    index = ResourceIndexPageFactory(parent=home_page)
    ResourcePageFactory(parent=index, title="Skabelon for medlemmer", audience=Audience.MEMBERS)
    person = UserFactory(verified=True)
    membership = MembershipFactory(network=network_a, year=2026)
    AffiliationFactory(person=person, organisation=membership.organisation)

    for day, member in ((31, True), (1, False)):
        month = 1 if member else 2
        with time_machine.travel(datetime.datetime(2027, month, day, 9, tzinfo=CPH), tick=False):
            client.force_login(person)
            for _ in range(2):  # built, then kept
                titles = listed_titles(client.get(library_page.url))
                assert ("Aftale for medlemmer" in titles) is member, (day, titles)
                inspiration = client.get(index.url).content.decode()
                assert ("Skabelon for medlemmer" in inspiration) is member
