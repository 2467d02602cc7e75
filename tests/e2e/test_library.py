"""The agreement journey in Chromium: a housing organisation answers the questionnaire
with a PDF; staff publish the answer in the Wagtail admin; a network member finds it by
search and downloads it; an anonymous visitor can do neither."""

import re
import time

import pytest
from playwright.sync_api import expect

from network.factories import AffiliationFactory, MembershipFactory, NetworkPageFactory
from network.library.factories import AgreementCallPageFactory, AgreementLibraryPageFactory
from network.library.models import Agreement
from network.library.pdf import simple_pdf
from network.models import Organisation
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

# Live-server tests flush the database afterwards; serialized_rollback gives this test the
# data migrations (the 98 municipalities, the topics, Wagtail's groups and root page).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"


def log_in(page, base, email):
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    pass_second_factor(page, email, PASSWORD)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


def test_housing_organisation_answers_staff_publish_member_downloads(
    new_context, live_server, home_page
):
    base = live_server.url
    call = AgreementCallPageFactory(
        parent=home_page, title="Fortæl os om jeres aftale med kommunen", slug="indberet"
    )
    library = AgreementLibraryPageFactory(parent=home_page)
    housing = Organisation.objects.create(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Kastanjen"
    )
    AffiliationFactory(
        person=UserFactory(verified=True, email="udlejning@kastanjen.dk", password=PASSWORD),
        organisation=housing,
    )
    UserFactory(
        verified=True,
        email="redaktoer@erfa.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    network = NetworkPageFactory(parent=home_page, title="Netværket")
    membership = MembershipFactory(network=network)
    AffiliationFactory(
        person=UserFactory(verified=True, email="medlem@kommune.dk", password=PASSWORD),
        organisation=membership.organisation,
    )

    # 1. The housing organisation answers the questionnaire with a PDF.
    submitter = new_context().new_page()  # one browser session per person
    log_in(submitter, base, "udlejning@kastanjen.dk")
    started = time.monotonic()
    submitter.goto(base + call.url)
    submitter.get_by_role("link", name="Start spørgeskemaet").click()
    expect(submitter.get_by_label("Din organisation")).to_have_value(str(housing.pk))
    submitter.get_by_role("button", name="Næste").click()
    submitter.get_by_role("combobox", name=re.compile(r"^Kommune( \(.*\))?$")).select_option(
        label="Aarhus Kommune"
    )
    submitter.get_by_label("Ja, der er underskrevet en aftale").check()
    submitter.get_by_label("Boligplacering").check()
    submitter.get_by_label("Modtagelse og integration").check()
    submitter.get_by_label("Dato for underskrift").fill("2016-01-12")
    submitter.get_by_label("Kort beskrivelse").fill(
        "Kastanjeaftalen: kommunen anviser, og beboerværter byder velkommen."
    )
    submitter.get_by_label("Aftalen (PDF, DOCX eller ODT, højst 20 MB)").set_input_files(
        {
            "name": "Kastanjeaftalen.pdf",
            "mimeType": "application/pdf",
            "buffer": simple_pdf("Kastanjeaftalen", ["Aftale om boligplacering"]),
        }
    )
    submitter.get_by_role("button", name="Næste").click()
    submitter.get_by_label("Medlemmer: kun netværkenes medlemmer må læse den").check()
    submitter.get_by_label("Parterne i aftalen er enige i, at den må deles").check()
    submitter.get_by_role("button", name="Næste").click()
    expect(submitter.get_by_text("Kastanjeaftalen.pdf")).to_be_visible()
    submitter.get_by_role("button", name="Send svar").click()
    expect(submitter.get_by_role("heading", name="Tak for dit svar")).to_be_visible()
    assert time.monotonic() - started < 5 * 60
    answer = Agreement.objects.get()
    assert answer.status == Agreement.Status.SUBMITTED
    assert answer.document_name == "Kastanjeaftalen.pdf"

    # 2. Staff review it in the Wagtail admin: give it a summary, then publish.
    staff = new_context().new_page()  # one browser session per person
    log_in(staff, base, "redaktoer@erfa.example")
    staff.goto(f"{base}/admin/aftaler/")
    staff.get_by_role("link", name="Aarhus Kommune og Boligforeningen Kastanjen").click()
    staff.locator("#id_summary").fill(
        "Kastanjeaftalen: kommunen anviser boliger, og beboerværter byder nye beboere velkommen."
    )
    staff.locator("footer button.button-longrunning[type=submit]").click()
    expect(staff.locator(".messages")).to_contain_text(
        "Aarhus Kommune og Boligforeningen Kastanjen"
    )
    staff.goto(f"{base}/admin/aftaler/edit/{answer.pk}/")
    staff.get_by_role("button", name="Flere handlinger").click()
    staff.get_by_role("button", name="Udgiv").click()
    expect(staff.locator(".messages")).to_contain_text("er udgivet")
    answer.refresh_from_db()
    assert answer.status == Agreement.Status.PUBLISHED
    assert answer.summary.startswith("Kastanjeaftalen")
    # Internal until the municipality has answered; it answered by letter, so staff
    # register its consent with a note (the e-mailed link: tests/e2e/test_consent.py).
    assert answer.consent == Agreement.Consent.INTERNAL
    staff.goto(f"{base}/admin/aftaler/edit/{answer.pk}/")
    staff.get_by_role("link", name="Registrér samtykke").click()
    staff.get_by_label("Part").select_option(label="Aarhus Kommune")
    staff.get_by_label("Medlemmer: kun netværkenes medlemmer må læse den").check()
    staff.get_by_label("Note").fill("Brev fra kommunen af 3. marts")
    staff.get_by_role("button", name="Registrér samtykke").click()
    expect(staff.locator(".messages")).to_contain_text("Samtykket er registreret.")
    answer.refresh_from_db()
    assert answer.consent == Agreement.Consent.MEMBERS

    # 3. A member finds it by search and downloads it.
    member = new_context().new_page()  # one browser session per person
    log_in(member, base, "medlem@kommune.dk")
    member.goto(base + library.url)
    member.get_by_label("Søg", exact=True).fill("Kastanjeaftalen")
    member.locator(".library-filters").get_by_role("button", name="Søg").click()
    member.get_by_role("link", name="Aarhus Kommune og Boligforeningen Kastanjen").click()
    expect(member.get_by_text("Kun delt med netværkenes medlemmer.")).to_be_visible()
    with member.expect_download() as download_info:
        member.get_by_role("link", name=re.compile("Hent aftalen")).click()
    download = download_info.value
    assert download.suggested_filename == "Kastanjeaftalen.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # 4. An anonymous visitor cannot: not in the library, and the links give 404.
    visitor = new_context().new_page()  # one browser session per person
    visitor.goto(f"{base}{library.url}?q=Kastanjeaftalen")
    expect(visitor.get_by_text("0 aftaler")).to_be_visible()
    expect(visitor.locator("main").get_by_role("link", name="log ind")).to_be_visible()
    assert visitor.goto(base + library.agreement_url(answer)).status == 404
    assert visitor.request.get(f"{base}/aftaler/dokument/{answer.pk}/").status == 404
