"""Consent per party in Chromium: staff publish an answer the housing organisation shares
with the public; it stays out of the library until the municipality agrees. The
municipality's contact person opens the link from the e-mail (without logging in), sees
what is to be shared, agrees, and the agreement appears in the library for the public.

The live server runs in the test process, so the e-mail is read from
django.core.mail.outbox, where the locmem backend puts it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from network.factories import AffiliationFactory, OrganisationFactory
from network.library.factories import AgreementFactory, AgreementLibraryPageFactory
from network.library.models import Agreement
from network.models import Affiliation, Organisation
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
TITLE = "Aarhus Kommune og Boligforeningen Kastanjen"
SUMMARY = "Kommunen anviser 25 boliger om året, og beboerværter byder nye beboere velkommen."


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


def test_municipality_contact_agrees_from_the_e_mail_link_and_the_public_sees_it(
    new_context, live_server, home_page
):
    base = live_server.url
    library = AgreementLibraryPageFactory(parent=home_page)
    aarhus = Organisation.objects.get(municipality_code="751")
    contact = UserFactory(
        verified=True, email="boligsekretariat@aarhus.dk", first_name="Bente", last_name="Bolig"
    )
    AffiliationFactory(person=contact, organisation=aarhus, role=Affiliation.Role.CONTACT_PERSON)
    housing = OrganisationFactory(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Kastanjen"
    )
    UserFactory(
        verified=True,
        email="redaktoer@erfa.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    answer = AgreementFactory(
        title=TITLE,
        summary=SUMMARY,
        municipality=aarhus,
        submitting_organisation=housing,
        status=Agreement.Status.SUBMITTED,
        consent=Agreement.Consent.PUBLIC,
    )

    # Staff publish it in the admin: the parties' panel says the municipality has not answered.
    staff = new_context().new_page()
    staff.goto(f"{base}/konto/login/?next=/admin/aftaler/edit/{answer.pk}/")
    staff.fill("input[name=login]", "redaktoer@erfa.example")
    staff.fill("input[name=password]", PASSWORD)
    staff.locator("main form button[type=submit]").click()
    pass_second_factor(
        staff, "redaktoer@erfa.example", PASSWORD, f"/admin/aftaler/edit/{answer.pk}/"
    )
    expect(staff.locator(".library-consent-parties")).to_contain_text("Ikke besvaret endnu")
    staff.get_by_role("button", name="Flere handlinger").click()
    staff.get_by_role("button", name="Udgiv").click()
    expect(staff.locator(".messages")).to_contain_text("er udgivet")

    # Published, but internal until the municipality answers: the public does not see it.
    visitor = new_context().new_page()
    visitor.goto(base + library.url)
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)

    # The contact person's e-mail, with a personal link.
    request = next(m for m in mail.outbox if m.to == ["boligsekretariat@aarhus.dk"])
    assert TITLE in request.subject
    path = re.search(r"/aftaler/samtykke/\S+/", request.body)[0]

    # Opened without logging in: what is to be shared, and the choices.
    municipality = new_context().new_page()
    municipality.goto(base + path)
    expect(municipality.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(municipality.locator("main")).to_contain_text(SUMMARY)
    expect(municipality.locator("main")).to_contain_text(
        "Du svarer som Bente Bolig for Aarhus Kommune."
    )
    expect(municipality.locator(".consent-list")).to_contain_text(
        "Boligforeningen Kastanjen: samtykke (offentlig)"
    )
    expect(municipality.locator(".consent-list")).to_contain_text(
        "Aarhus Kommune: ikke besvaret endnu"
    )
    municipality.get_by_label("Offentlig: alle må læse aftalen").check()
    municipality.get_by_role("button", name="Gem mit svar").click()
    expect(municipality.get_by_text("Tak: jeres svar er registreret.")).to_be_visible()
    expect(municipality.locator(".consent-list")).to_contain_text(
        "Aarhus Kommune: samtykke (offentlig)"
    )
    # Now anyone may read it, so the page offers the document as well.
    expect(municipality.get_by_role("link", name=re.compile("Hent aftalen"))).to_be_visible()

    # The public finds it in the library, with its summary and the document.
    visitor.goto(base + library.url)
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.locator("main")).to_contain_text(SUMMARY)
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name=re.compile("Hent aftalen")).click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # Visitors do not see who consented; staff do, in the history too.
    expect(visitor.locator(".consent-rows")).to_have_count(0)
    staff.goto(f"{base}/admin/aftaler/history/{answer.pk}/")
    expect(staff.locator("main")).to_contain_text("Samtykke givet af part")
    answer.refresh_from_db()
    assert answer.consent == Agreement.Consent.PUBLIC
