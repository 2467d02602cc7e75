"""After a meeting, in Chromium: an attendee opens the evaluation link from the e-mail
(no login), gets Danish errors for a missing answer, answers; a coordinator reads the
result in the admin (from the menu, and from the meeting's row in the page explorer),
downloads it, publishes a summary that visitors see on the meeting page at once, and
takes it down again."""

import csv
import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from meetings import evaluation
from meetings.evaluation_models import EvaluationAnswer, EvaluationSummary
from meetings.factories import MeetingPageFactory, RegistrationFactory, VenueFactory, programme_item
from network.factories import NetworkPageFactory
from portal.factories import UserFactory
from tests.e2e.login import STAFF_PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = STAFF_PASSWORD
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://[^/\s]+(/moeder/evaluering/[^/\s]+/)")


@pytest.fixture
def meeting(home_page):
    """Ended yesterday; Anna and Bent were checked in."""
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", slug="netvaerk")
    start = timezone.now() - datetime.timedelta(days=1, hours=5)
    meeting = MeetingPageFactory(
        parent=network,
        title="Efterårsmødet",
        start=start,
        end=start + datetime.timedelta(hours=5),
        venue=VenueFactory(),
        programme=[
            programme_item("10.00", "10.45", "Boligsocial monitorering", "talk"),
            programme_item("10.45", "11.00", "Pause", "break"),
            programme_item("11.00", "12.00", "Værksted om udsættelser", "workshop"),
        ],
    )
    for first in ("Anna", "Bent"):
        RegistrationFactory(
            meeting=meeting,
            person=UserFactory(
                verified=True, first_name=first, last_name="Hansen", email=f"{first.lower()}@x.dk"
            ),
            attended_at=start,
        )
    return meeting


def test_an_attendee_answers_and_staff_read_and_publish_the_result(
    new_context, live_server, meeting, coordinator
):
    assert evaluation.send_due_invitations() == 2
    (message,) = [m for m in mail.outbox if m.to == ["anna@x.dk"]]
    link = LINK.search(message.body).group(1)

    # The attendee, on a phone, without logging in.
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="Hvordan gik mødet?")).to_be_visible()
    overall = page.get_by_role("group", name=re.compile("^Hvordan var mødet samlet set?"))
    expect(overall.get_by_role("radio")).to_have_count(5)
    expect(page.get_by_role("group", name=re.compile("Boligsocial monitorering"))).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Værksted om udsættelser"))).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Pause"))).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Forgets the overall rating: told so in Danish, what was typed is kept.
    page.get_by_label("Hvad skal netværket tage op næste gang?").fill("Klimatilpasning")
    page.get_by_role("button", name="Send evalueringen").click()
    expect(page.locator("#id_overall_error")).to_have_text("Fejl: Vælg en vurdering fra 1 til 5.")
    expect(page.get_by_label("Hvad skal netværket tage op næste gang?")).to_have_value(
        "Klimatilpasning"
    )
    overall.get_by_label("4 (godt)").check()
    page.get_by_role("group", name=re.compile("Boligsocial monitorering")).get_by_label(
        "5 (meget godt)"
    ).check()
    page.get_by_label("Er der andet, du vil fortælle os?").fill("Gode oplæg, for kort pause.")
    page.get_by_role("button", name="Send evalueringen").click()
    expect(page.get_by_role("heading", name="Tak for din evaluering")).to_be_visible()
    (answer,) = EvaluationAnswer.objects.all()
    assert answer.overall == 4 and answer.next_topics == "Klimatilpasning"

    # The coordinator logs in (with the second factor) and finds it from the menu.
    staff = new_context(viewport=DESK).new_page()
    staff.goto(f"{live_server.url}/konto/login/?next=/admin/")
    staff.fill("input[name=login]", coordinator.email)
    staff.fill("input[name=password]", PASSWORD)
    staff.locator("main form button[type=submit]").click()
    pass_second_factor(staff, coordinator.email, PASSWORD, "/admin/")
    staff.wait_for_url(re.compile("/admin/"))
    staff.get_by_role("link", name="Evalueringer").click()
    expect(staff.get_by_role("cell", name="1 af 2")).to_be_visible()
    staff.get_by_role("link", name="Efterårsmødet").click()
    expect(staff.get_by_text("1 af 2 adspurgte har svaret (50 %).")).to_be_visible()
    expect(staff.get_by_text("Gennemsnit 4,0 (1 svar)")).to_have_count(1)
    expect(staff.get_by_text("Gennemsnit 5,0 (1 svar)")).to_be_visible()
    expect(staff.get_by_text("Klimatilpasning")).to_be_visible()
    expect(staff.get_by_text("Gode oplæg, for kort pause.")).to_be_visible()
    expect(staff.get_by_text("Anna")).to_have_count(0)

    # Downloads: CSV for Danish Excel and XLSX.
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Hent CSV").click()
    assert download.value.suggested_filename == f"evaluering-{meeting.slug}.csv"
    raw = Path(download.value.path()).read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        [
            "Samlet vurdering",
            "Boligsocial monitorering",
            "Værksted om udsættelser",
            "Hvad netværket skal tage op næste gang",
            "Kommentar",
        ],
        ["4", "5", "", "Klimatilpasning", "Gode oplæg, for kort pause."],
    ]
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Hent Excel (XLSX)").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [cell.value for cell in sheet[2]][:2] == [4, 5]

    # Publish a summary (averages need three answers, so text only) ...
    expect(staff.get_by_text("når mindst 3 har svaret")).to_be_visible()
    staff.get_by_label("Opsummering til mødesiden").fill("Deltagerne vil høre om klima.")
    staff.get_by_role("button", name="Offentliggør på mødesiden").click()
    expect(staff.get_by_text("Opsummeringen er offentliggjort på mødesiden.")).to_be_visible()
    assert EvaluationSummary.objects.get().is_published

    # ... which a visitor sees on the meeting page at once.
    visitor = new_context(viewport=DESK).new_page()
    visitor.goto(f"{live_server.url}{meeting.url}")
    section = visitor.get_by_role("region", name="Det sagde deltagerne")
    expect(section).to_contain_text("Deltagerne vil høre om klima.")
    expect(visitor.get_by_text("Gode oplæg, for kort pause.")).to_have_count(0)

    # Taken down again.
    staff.get_by_role("button", name="Tag opsummeringen ned").click()
    expect(staff.get_by_text("Opsummeringen vises ikke længere på mødesiden.")).to_be_visible()
    visitor.reload()
    expect(visitor.get_by_role("region", name="Det sagde deltagerne")).to_have_count(0)

    # The meeting's row in the page explorer leads there too.
    staff.goto(f"{live_server.url}/admin/pages/{meeting.get_parent().pk}/")
    row = staff.get_by_role("row").filter(has_text="Efterårsmødet")
    row.get_by_role("button", name=re.compile("^(Flere|Mere)")).click()
    row.get_by_role("link", name="Evaluering").click()
    expect(staff.get_by_text("1 af 2 adspurgte har svaret (50 %).")).to_be_visible()

    # And the meeting's edit page, after the meeting, links to it.
    staff.goto(f"{live_server.url}/admin/pages/{meeting.pk}/edit/")
    staff.get_by_role("link", name="Evaluering", exact=True).click()
    expect(staff.get_by_text("1 af 2 adspurgte har svaret (50 %).")).to_be_visible()
