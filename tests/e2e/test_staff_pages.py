"""Staff journeys on pages with private files, in Chromium: an editor builds, publishes,
reopens and previews a meeting with materials, replaces its file, edits inspiration
material with an attachment; a member who attended a past meeting opens its minutes.

The editor is as the demo's staff are, minus superuser: in Wagtail's Editors and
Moderators groups and not `is_staff`, so the permission-based rules are what let them in.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from meetings.factories import MeetingPageFactory, RegistrationFactory
from meetings.models import MeetingMaterial, MeetingPage
from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from network.library.factories import (
    ResourceDocumentFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
)
from network.library.models import ResourceDocument
from network.library.pdf import simple_pdf
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
EDITOR = "koordinator@erfa.example"


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", slug="netvaerk")


@pytest.fixture
def editor(db):
    user = UserFactory(email=EDITOR, password=PASSWORD, verified=True, is_staff=False)
    user.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    return user


def log_in(page, base, email, next_path):
    page.goto(f"{base}/konto/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_second_factor(page, email, PASSWORD, next_path)
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def publish(page):
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()


def pdf_file(tmp_path, name, title):
    path = tmp_path / name
    path.write_bytes(simple_pdf(title, ["Oplæg om Housing First."]))
    return path


def test_an_editor_builds_publishes_reopens_previews_and_replaces_a_material(
    page, live_server, network, editor, tmp_path
):
    base = live_server.url
    add_url = f"/admin/pages/add/meetings/meetingpage/{network.pk}/"
    log_in(page, base, EDITOR, add_url)

    page.locator("#id_title").fill("Efterårsmøde 2030")
    page.locator("#id_start").fill("2030-10-01 09:30")
    page.locator("#id_end").fill("2030-10-01 15:00")
    page.locator("#id_title").click()  # close the date picker
    page.locator(
        "#panel-child-indhold-programme-content button.c-sf-add-button[title='Indsæt en blok']"
    ).last.click()
    page.locator("#programme-0-value-start_time").fill("10:00")
    page.locator("#programme-0-value-end_time").fill("11:00")
    page.locator("#programme-0-value-title").fill("Housing First i praksis")
    page.locator("#programme-0-value-kind").select_option("talk")

    page.get_by_role("tab", name="Materialer").click()
    page.locator("#id_materials-ADD").click()
    page.locator("#id_materials-0-title").fill("Slides fra oplægget")
    page.locator("#id_materials-0-file").set_input_files(
        pdf_file(tmp_path, "Slides Housing First.pdf", "Slides")
    )
    publish(page)
    expect(page.get_by_text("Efterårsmøde 2030").first).to_be_visible()

    meeting = MeetingPage.objects.get(title="Efterårsmøde 2030")
    assert meeting.live
    material = MeetingMaterial.objects.get(meeting=meeting)
    assert material.file_name == "Slides Housing First.pdf"
    assert re.fullmatch(r"materials/[0-9a-f]{32}\.pdf", material.file.name)

    # Reopen the page (this answered 500 "Private files have no URL").
    response = page.goto(f"{base}/admin/pages/{meeting.pk}/edit/")
    assert response.status == 200
    page.get_by_role("tab", name="Materialer").click()
    link = page.locator("#tab-materialer .current-file a")
    expect(link).to_have_text("Slides Housing First.pdf")
    expect(link).to_have_attribute("href", f"/moeder/materiale/{material.pk}/")
    download = page.request.get(f"{base}/moeder/materiale/{material.pk}/")
    assert download.status == 200
    assert download.body().startswith(b"%PDF-")

    # Live preview: the panel's iframe shows the page (it was blocked by the CSP).
    page.get_by_role("tab", name="Indhold").click()
    page.locator("#id_title").fill("Efterårsmøde 2030 (rettet)")
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text(
        "Efterårsmøde 2030 (rettet)", timeout=15_000
    )
    expect(preview.locator("ol.programme-list")).to_contain_text("Housing First i praksis")
    page.locator("[data-side-panel-toggle='preview']").click()

    # Replace the file and republish.
    page.get_by_role("tab", name="Materialer").click()
    page.locator("#id_materials-0-file").set_input_files(
        pdf_file(tmp_path, "Slides rettet.pdf", "Slides, rettet")
    )
    publish(page)
    expect(page.get_by_text("Efterårsmøde 2030 (rettet)").first).to_be_visible()
    replaced = MeetingMaterial.objects.get(meeting=meeting)
    assert replaced.pk == material.pk
    assert replaced.file_name == "Slides rettet.pdf"
    assert replaced.file.name != material.file.name
    assert MeetingPage.objects.get(pk=meeting.pk).title == "Efterårsmøde 2030 (rettet)"

    page.goto(f"{base}/admin/pages/{meeting.pk}/edit/")
    page.get_by_role("tab", name="Materialer").click()
    expect(page.locator("#tab-materialer .current-file a")).to_have_text("Slides rettet.pdf")


def test_an_editor_edits_inspiration_material_with_an_attachment(
    page, live_server, home_page, editor, tmp_path
):
    index = ResourceIndexPageFactory(parent=home_page)
    guide = ResourcePageFactory(parent=index, title="Guide til aftaler")
    guide.save_revision().publish()
    document = ResourceDocumentFactory(page=guide, title="Tjekliste")
    base = live_server.url
    edit_url = f"/admin/pages/{guide.pk}/edit/"
    log_in(page, base, EDITOR, edit_url)

    link = page.locator(".current-file a")
    expect(link).to_have_text(document.file_name)
    expect(link).to_have_attribute("href", f"/aftaler/materiale/{document.pk}/")
    assert page.request.get(f"{base}/aftaler/materiale/{document.pk}/").status == 200

    page.locator("#id_title").fill("Guide til aftaler med kommunen")
    page.locator("#id_documents-0-file").set_input_files(
        pdf_file(tmp_path, "Tjekliste 2030.pdf", "Tjekliste")
    )
    publish(page)
    expect(page.get_by_text("Guide til aftaler med kommunen").first).to_be_visible()
    document.refresh_from_db()
    assert document.file_name == "Tjekliste 2030.pdf"
    assert re.fullmatch(r"resources/[0-9a-f]{32}\.pdf", document.file.name)

    # Removing the document (the row's delete button) and republishing.
    page.goto(f"{base}{edit_url}")
    page.locator("#id_documents-0-DELETE-button").click()
    publish(page)
    expect(page.get_by_text("Guide til aftaler med kommunen").first).to_be_visible()
    assert not ResourceDocument.objects.filter(page=guide).exists()


def test_a_member_who_attended_a_past_meeting_opens_its_minutes(page, live_server, network):
    """Issue 8, item 7, as in the demo: Aarhus is a member now but was not in 2021; the
    member attended the 2021 meeting ("Deltog") and was told to log in."""
    aarhus = MunicipalityFactory(name="Aarhus Kommune")
    this_year = datetime.date.today().year
    MembershipFactory(organisation=aarhus, network=network, year=this_year)
    member = UserFactory(email="medlem@aarhus.dk", password=PASSWORD, verified=True)
    AffiliationFactory(person=member, organisation=aarhus)
    meeting = MeetingPageFactory(
        parent=network,
        title="3. netværksmøde 2021",
        start=datetime.datetime(2021, 12, 8, 8, 30, tzinfo=datetime.UTC),
        end=datetime.datetime(2021, 12, 8, 14, 30, tzinfo=datetime.UTC),
    )
    minutes = MeetingMaterial(meeting=meeting, title="Referat af mødet", kind="minutes")
    MeetingMaterial._meta.get_field("file").attach(
        minutes,
        ContentFile(simple_pdf("Referat", ["8. december 2021"]), name="Referat 2021.pdf"),
    )
    minutes.save()
    RegistrationFactory(
        meeting=meeting,
        person=member,
        organisation=aarhus,
        attended_at=datetime.datetime(2021, 12, 8, 8, 40, tzinfo=datetime.UTC),
    )
    base = live_server.url
    log_in(page, base, "medlem@aarhus.dk", meeting.url)

    materials = page.locator("section.materials")
    expect(materials).not_to_contain_text("Log ind for at se dem")
    link = materials.get_by_role("link", name="Referat af mødet")
    expect(materials).to_contain_text("Referat, PDF, 1\N{NO-BREAK SPACE}kB")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Referat 2021.pdf"
    assert download.path().read_bytes().startswith(b"%PDF-")
