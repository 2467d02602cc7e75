"""An editor builds a meeting's programme in the Wagtail page editor, and it renders as a
timetable on the published page."""

import datetime
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from meetings.factories import VenueFactory
from meetings.models import MeetingPage
from network.factories import NetworkPageFactory
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
INSERT_BLOCK = (
    "#panel-child-indhold-programme-content button.c-sf-add-button[title='Indsæt en blok']"
)


def add_programme_item(page, index, *, start, end, title, kind, speakers=()):
    """Append a programme item (the last "insert a block" button adds at the end)."""
    page.locator(INSERT_BLOCK).last.click()
    prefix = f"programme-{index}-value"
    page.locator(f"#{prefix}-start_time").fill(start)
    page.locator(f"#{prefix}-end_time").fill(end)
    page.locator(f"#{prefix}-title").fill(title)  # also closes the time picker
    page.locator(f"#{prefix}-kind").select_option(kind)
    for number, (name, job_title, organisation) in enumerate(speakers):
        page.locator(
            f"[data-contentpath] :has(> input[name='{prefix}-speakers-count']) "
            "button[data-streamfield-list-add]"
        ).last.click()
        speaker = f"{prefix}-speakers-{number}-value"
        page.locator(f"#{speaker}-name").fill(name)
        page.locator(f"#{speaker}-title").fill(job_title)
        page.locator(f"#{speaker}-organisation").fill(organisation)


def test_an_editor_builds_a_programme_in_the_page_editor_and_it_renders(
    page, live_server, home_page
):
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", slug="netvaerk")
    VenueFactory()
    UserFactory(
        email="redaktoer@erfa.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
        verified=True,
    )
    base = live_server.url
    add_url = f"/admin/pages/add/meetings/meetingpage/{network.pk}/"
    page.goto(f"{base}/konto/login/?next={add_url}")
    page.fill("input[name=login]", "redaktoer@erfa.example")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_second_factor(page, "redaktoer@erfa.example", PASSWORD, add_url)
    page.wait_for_url(re.compile(re.escape(add_url)))

    page.locator("#id_title").fill("Forårsmøde 2030")
    page.locator("#id_start").fill("2030-03-12 09:30")
    page.locator("#id_end").fill("2030-03-12 15:00")
    page.locator("#id_title").click()  # close the date picker
    page.get_by_role("button", name="Vælg mødested").click()
    page.get_by_role("link", name="KL-huset, København S").click()
    expect(page.locator("#id_venue-title")).to_have_text("KL-huset, København S")

    add_programme_item(page, 0, start="09:30", end="10:00", title="Kaffe og velkomst", kind="meal")
    add_programme_item(
        page,
        1,
        start="10:00",
        end="11:00",
        title="Housing First i praksis",
        kind="talk",
        speakers=[("Jonas Friis", "Socialfaglig konsulent", "Aarhus Kommune")],
    )
    # A wrong item first: the end before the start is refused with a Danish message.
    add_programme_item(page, 2, start="12:00", end="11:00", title="Workshop", kind="workshop")

    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()
    expect(page.get_by_text("Sluttidspunktet skal ligge efter starttidspunktet.")).to_be_visible()
    # Nothing is published. (Wagtail 8 autosaves drafts while the editor types, so a
    # draft may already exist; what the public sees is what matters.)
    assert not MeetingPage.objects.live().exists()

    page.locator("#programme-2-value-end_time").fill("13:00")
    page.locator("#programme-2-value-title").click()
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()
    expect(page.get_by_text("Forårsmøde 2030").first).to_be_visible()

    meeting = MeetingPage.objects.get(title="Forårsmøde 2030")
    assert meeting.live
    assert meeting.start == datetime.datetime(2030, 3, 12, 9, 30, tzinfo=CPH)
    assert [block.value["title"] for block in meeting.programme] == [
        "Kaffe og velkomst",
        "Housing First i praksis",
        "Workshop",
    ]

    # The published page shows the programme, one item after the other.
    page.goto(f"{base}{meeting.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forårsmøde 2030")
    rows = page.locator("ol.programme-list > li")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("9.30\u201310.00")
    expect(rows.nth(0)).to_contain_text("Måltid")
    expect(rows.nth(1)).to_contain_text("Housing First i praksis")
    expect(rows.nth(1)).to_contain_text("Jonas Friis, Socialfaglig konsulent, Aarhus Kommune")
    expect(rows.nth(2)).to_contain_text("12.00\u201313.00")
    expect(page.locator(".meeting-facts")).to_contain_text("Weidekampsgade 10, 2300 København S")
