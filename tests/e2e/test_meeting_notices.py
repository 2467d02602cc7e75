"""Meeting communication in Chromium: an editor moves a meeting's start time, publishes and
tells the registrants from the screen offered right after publishing; staff write a
message to a meeting's participants, look at the preview and send it. The participants'
e-mails are read from django.core.mail.outbox, where the locmem backend puts them."""

import datetime
import re
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from meetings import services
from meetings.factories import MeetingPageFactory, VenueFactory
from meetings.models import MeetingPage, Message
from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def meeting(home_page):
    """Forårsmøde 2030 at 9.30, published once; Anna and Bent confirmed, Carl waitlisted."""
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", slug="netvaerk")
    aarhus = MunicipalityFactory(name="Aarhus Kommune")
    MembershipFactory(organisation=aarhus, network=network, year=2030)
    meeting = MeetingPageFactory(
        parent=network,
        title="Forårsmøde 2030",
        start=datetime.datetime(2030, 3, 12, 9, 30, tzinfo=CPH),
        end=datetime.datetime(2030, 3, 12, 15, 0, tzinfo=CPH),
        capacity=2,
        seats_per_organisation=3,
        venue=VenueFactory(),
    )
    meeting.save_revision().publish()
    for first in ("Anna", "Bent", "Carl"):
        user = UserFactory(
            verified=True, email=f"{first.lower()}@aarhus.dk", first_name=first, last_name="Aarhus"
        )
        AffiliationFactory(person=user, organisation=aarhus)
        services.register(meeting=meeting, person=user, organisation=aarhus)
    mail.outbox = []
    return MeetingPage.objects.get(pk=meeting.pk)


@pytest.fixture
def coordinator(db):
    """Wagtail's Moderators publish pages and manage registrations."""
    user = UserFactory(
        verified=True,
        email="koordinator@erfa.example",
        first_name="Karen",
        last_name="Koordinator",
        password=PASSWORD,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def logged_in(new_context, live_server, email, next_path):
    page = new_context(viewport=DESK).new_page()
    page.goto(f"{live_server.url}/konto/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_second_factor(page, email, PASSWORD, next_path)
    page.wait_for_url(re.compile(re.escape(next_path)))
    return page


def test_an_editor_moves_the_start_time_publishes_and_tells_the_registrants(
    new_context, live_server, meeting, coordinator
):
    edit = f"/admin/pages/{meeting.pk}/edit/"
    page = logged_in(new_context, live_server, coordinator.email, edit)
    page.locator("#id_start").fill("2030-03-12 10:00")
    page.locator("#id_title").click()  # close the date picker
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()

    # Straight to the choice: what changed, who would be told, the e-mail itself.
    page.wait_for_url(re.compile(rf"/admin/meetings/notice/{meeting.pk}/$"))
    expect(page.get_by_text("Mødet »Forårsmøde 2030« er udgivet.")).to_be_visible()
    changes = page.locator("[data-notice-changes]")
    expect(changes).to_have_text("Mødet starter nu kl. 10.00 i stedet for kl. 9.30.")
    expect(
        page.get_by_label("Bekræftede og dem, der venter på en plads (3 personer)")
    ).to_be_checked()
    expect(page.locator("[data-recipient-count]")).to_have_text(
        "E-mailen går til 3 personer, hver sin egen."
    )
    expect(page.locator("[data-notice-preview]")).to_contain_text(
        "Ændringer til mødet: Forårsmøde 2030"
    )
    page.get_by_label("Kun bekræftede (2 personer)").check()
    page.get_by_label("Et par ord fra dig (valgfrit)").fill("Kaffen står klar kl. 9.45.")
    page.get_by_role("button", name="Send e-mailen").click()

    page.wait_for_url(re.compile(re.escape(edit)))
    expect(page.get_by_text("2 tilmeldte har fået besked om ændringerne.")).to_be_visible()
    expect(page.locator("[data-notice-history]")).to_contain_text(
        "Karen Koordinator: gav 2 personer besked"
    )

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@aarhus.dk", "bent@aarhus.dk"]
    anna = next(m for m in mail.outbox if m.to == ["anna@aarhus.dk"])
    assert "Mødet starter nu kl. 10.00 i stedet for kl. 9.30." in anna.body
    assert "Kaffen står klar kl. 9.45." in anna.body
    ((_name, content, _type),) = anna.attachments
    event = next(iter(Calendar.from_ical(content).walk("VEVENT")))
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime.datetime(2030, 3, 12, 10, 0, tzinfo=CPH)


def test_staff_write_a_message_to_the_participants_preview_and_send_it(
    new_context, live_server, meeting, coordinator
):
    add = "/admin/meetings/messages/new/"
    page = logged_in(new_context, live_server, coordinator.email, add)
    expect(page.get_by_role("heading", name="Besked", exact=True)).to_be_visible()
    page.get_by_label("Et mødes bekræftede deltagere").check()
    page.get_by_label("Møde", exact=True).select_option(label="Forårsmøde 2030")
    page.get_by_label("Emne").fill("Husk madpakken")
    editor = page.locator("[data-contentpath='body'] [contenteditable='true']")
    editor.click()
    page.keyboard.type("Der er ingen frokost i år.")
    # Draftail writes the text into the form's field a moment after typing stops.
    expect(page.locator("input[name=body]")).to_have_value(re.compile("ingen frokost"))
    page.get_by_role("button", name="Vis modtagere og forhåndsvisning").click()

    preview = page.locator("[data-message-preview]")
    expect(preview).to_contain_text("2 modtagere, der hver får sin egen e-mail.")
    expect(preview).to_contain_text("Der er ingen frokost i år.")
    assert mail.outbox == []
    page.get_by_role("button", name="Send til 2 personer").click()

    expect(page.get_by_text("Beskeden er på vej til 2 personer.")).to_be_visible()
    expect(page.locator("[data-message-recipients]")).to_contain_text("anna@aarhus.dk")
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@aarhus.dk", "bent@aarhus.dk"]
    assert all("Der er ingen frokost i år." in m.body for m in mail.outbox)
    assert Message.objects.get().recipient_count == 2


def test_an_editor_finds_untold_changes_on_the_meeting_and_chooses_not_to_tell(
    new_context, live_server, meeting, coordinator
):
    # Published by a scheduled publication or a workflow: nobody was offered the choice.
    meeting.status = MeetingPage.Status.POSTPONED
    meeting.save_revision().publish()
    edit = f"/admin/pages/{meeting.pk}/edit/"
    page = logged_in(new_context, live_server, coordinator.email, edit)
    warning = page.locator("[data-pending-notice]")
    expect(warning).to_contain_text("De tilmeldte har ikke fået besked om disse udgivne ændringer:")
    expect(warning).to_contain_text("Mødet er udskudt.")
    warning.get_by_role("link", name="Giv tilmeldte besked").click()

    page.wait_for_url(re.compile(rf"/admin/meetings/notice/{meeting.pk}/$"))
    expect(page.locator("[data-notice-changes]")).to_have_text("Mødet er udskudt.")
    page.get_by_role("button", name="Giv dem ikke besked").click()

    page.wait_for_url(re.compile(re.escape(edit)))
    expect(
        page.get_by_text("Ændringerne er udgivet; de tilmeldte har ikke fået besked.")
    ).to_be_visible()
    expect(page.locator("[data-pending-notice]")).to_have_count(0)
    expect(page.locator("[data-notice-history]")).to_contain_text(
        "Karen Koordinator: udgivet uden besked til de tilmeldte"
    )
    assert mail.outbox == []
