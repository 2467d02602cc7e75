"""The agreement questionnaire with the keyboard only (issue 13), at 1280 and 390 px.

A housing organisation's employee goes through the three steps and the last check with
Tab, Shift+Tab, typing, Space, the arrow keys and Enter, and makes a mistake on the way
(the agreement ends before it starts): the error summary takes focus, its link leads to
the field, the chosen file is still attached, and the answer is sent.

The one thing not done with the keyboard is choosing the file: a file dialog is the
operating system's, which headless Chromium does not show, so the test sets the file on
the focused input (`set_input_files`), as the dialog would.
"""

import pytest
from playwright.sync_api import expect

from network.factories import AffiliationFactory
from network.library.factories import AgreementCallPageFactory, municipality
from network.library.models import Agreement
from network.library.pdf import simple_pdf
from network.models import Organisation
from portal.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until `locator` has the focus, as a keyboard user does."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {locator}")


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.innerText || document.activeElement.value")


def log_in_by_keyboard(page, base: str, email: str) -> None:
    page.goto(f"{base}/konto/login/")
    tab_to(page, page.locator("input[name=login]"))
    page.keyboard.type(email)
    tab_to(page, page.locator("input[name=password]"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_the_questionnaire_can_be_completed_with_the_keyboard_only(
    new_context, live_server, home_page, viewport
):
    base = live_server.url
    call = AgreementCallPageFactory(
        parent=home_page, title="Fortæl os om jeres aftale med kommunen", slug="indberet"
    )
    housing = Organisation.objects.create(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Kastanjen"
    )
    AffiliationFactory(
        person=UserFactory(verified=True, email="udlejning@kastanjen.dk", password=PASSWORD),
        organisation=housing,
    )
    page = new_context(viewport=viewport).new_page()
    log_in_by_keyboard(page, base, "udlejning@kastanjen.dk")

    # The call page: skip to the content, then on to the questionnaire.
    page.goto(base + call.url)
    page.keyboard.press("Tab")
    assert focused_text(page) == "Gå til indhold"
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Start spørgeskemaet"))
    page.keyboard.press("Enter")

    # Step 1: the organisation is chosen already (the person's only one).
    expect(page).to_have_title(
        "Trin 1 af 4: Hvem svarer \N{EN DASH} Spørgeskema: " + call.title + " · Erfa-netværket"
    )
    expect(page.get_by_label("Din organisation")).to_have_value(str(housing.pk))
    tab_to(page, page.get_by_role("button", name="Næste"))
    page.keyboard.press("Enter")

    # Step 2, with a mistake: the agreement ends before it starts.
    expect(page.locator(".step-indicator [aria-current=step]")).to_contain_text("Aftalen")
    tab_to(page, page.get_by_label("Kommune", exact=False).first)
    page.keyboard.type("Aarhus")
    expect(page.get_by_role("combobox", name="Kommune")).to_have_value(str(municipality("751").pk))
    signed = page.get_by_label("Ja, der er underskrevet en aftale")
    topics_legend = page.locator("legend", has_text="Hvad handler aftalen om?")
    document_label = page.locator("label[for=id_document]").first
    expect(topics_legend).to_have_text("Hvad handler aftalen om? (frivilligt)")
    tab_to(page, signed)
    page.keyboard.press("Space")
    expect(signed).to_be_checked()
    # The answer makes topics and the document required, and the page says so at once.
    expect(topics_legend).to_have_text("Hvad handler aftalen om? (skal udfyldes)")
    expect(document_label).to_have_text(
        "Aftalen (PDF, DOCX eller ODT, højst 20 MB) (skal udfyldes)"
    )
    placement = page.get_by_label("Boligplacering")
    tab_to(page, placement)
    page.keyboard.press("Space")
    expect(placement).to_be_checked()
    # Dates typed with day and month alike: the segments' order follows Chromium's own
    # locale (dd-mm or mm-dd).
    tab_to(page, page.get_by_label("Gælder fra"))
    page.keyboard.type("01012020")
    expect(page.get_by_label("Gælder fra")).to_have_value("2020-01-01")
    tab_to(page, page.get_by_label("Gælder til"))
    page.keyboard.type("12122019")
    expect(page.get_by_label("Gælder til")).to_have_value("2019-12-12")
    tab_to(page, page.get_by_label("Kort beskrivelse"))
    page.keyboard.type("Kastanjeaftalen: kommunen anviser, og beboerværter byder velkommen.")
    document = page.locator("input[name=document]")
    tab_to(page, document)
    # The file dialog is not keyboard-testable in headless Chromium: set the file as it would.
    document.set_input_files(
        {
            "name": "Kastanjeaftalen.pdf",
            "mimeType": "application/pdf",
            "buffer": simple_pdf("Kastanjeaftalen", ["Aftale om boligplacering"]),
        }
    )
    tab_to(page, page.get_by_role("button", name="Næste"))
    page.keyboard.press("Enter")

    # The error summary has the focus and links to the field; the file is still attached.
    summary = page.locator('[data-module="error-summary"]')
    expect(summary).to_be_focused()
    expect(page).to_have_title(
        "Fejl: Trin 2 af 4: Aftalen \N{EN DASH} Spørgeskema: " + call.title + " · Erfa-netværket"
    )
    expect(page.locator(".current-file")).to_contain_text("Vedhæftet: Kastanjeaftalen.pdf")
    page.keyboard.press("Tab")
    assert focused_text(page) == "Gælder til: Aftalen kan ikke slutte, før den begynder."
    page.keyboard.press("Enter")
    valid_to = page.get_by_label("Gælder til")
    expect(valid_to).to_be_focused()
    page.keyboard.type("12122023")
    expect(valid_to).to_have_value("2023-12-12")
    tab_to(page, page.get_by_role("button", name="Næste"))
    page.keyboard.press("Enter")

    # Step 3: what may be shared (arrow keys within the radio group).
    expect(page.locator(".step-indicator [aria-current=step]")).to_contain_text("Hvad må vi dele")
    public = page.get_by_label("Offentlig", exact=False)
    tab_to(page, public)
    page.keyboard.press("ArrowDown")
    members = page.get_by_label("Medlemmer: kun netværkenes medlemmer må læse den")
    expect(members).to_be_checked()
    agree = page.get_by_label("Parterne i aftalen er enige i, at den må deles", exact=False)
    tab_to(page, agree)
    page.keyboard.press("Space")
    expect(agree).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Næste"))
    page.keyboard.press("Enter")

    # The last check shows the answers; send them.
    expect(page.get_by_role("heading", name="Tjek og send", level=2)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kastanjeaftalen.pdf")
    expect(page.locator("main")).to_contain_text("12. december 2023")
    tab_to(page, page.get_by_role("button", name="Send svar"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tak for dit svar")).to_be_visible()

    answer = Agreement.objects.get()
    assert answer.status == Agreement.Status.SUBMITTED
    assert answer.document_name == "Kastanjeaftalen.pdf"
    assert answer.municipality == municipality("751")
    assert str(answer.valid_to) == "2023-12-12"
    assert [t.code for t in answer.topics.all()] == ["placement"]
    assert answer.requested_level == Agreement.Consent.MEMBERS
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_the_questionnaire_works_without_javascript_on_a_small_phone(
    new_context, live_server, home_page
):
    """At 320 px with JavaScript off: every step, an error and the last check fit the
    screen, the rule for topics and the document is said at the fields, and the answer is
    sent."""
    base = live_server.url
    call = AgreementCallPageFactory(parent=home_page, title="Fortæl os om jeres aftale")
    housing = Organisation.objects.create(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Kastanjen"
    )
    AffiliationFactory(
        person=UserFactory(verified=True, email="udlejning@kastanjen.dk", password=PASSWORD),
        organisation=housing,
    )
    page = new_context(viewport={"width": 320, "height": 700}, java_script_enabled=False).new_page()
    log_in_by_keyboard(page, base, "udlejning@kastanjen.dk")

    def fits():
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url

    page.goto(base + call.questionnaire_url())
    fits()
    page.get_by_role("button", name="Næste").click()
    expect(page.locator(".form-hint#id_document_helptext")).to_have_text(
        "Skal vedhæftes, når aftalen er underskrevet."
    )
    fits()
    page.get_by_label("Ja, der er underskrevet en aftale").check()
    page.locator("input[name=document]").set_input_files(
        {
            "name": "Kastanjeaftalen med et meget langt filnavn uden mellemrum_2016_endelig.pdf",
            "mimeType": "application/pdf",
            "buffer": simple_pdf("Kastanjeaftalen", ["Aftale om boligplacering"]),
        }
    )
    page.get_by_role("button", name="Næste").click()
    expect(page.locator('[data-module="error-summary"]')).to_contain_text("Kommune: Vælg kommunen.")
    expect(page.locator(".current-file")).to_contain_text("Vedhæftet: Kastanjeaftalen")
    # Without JavaScript the marks follow what was sent: signed makes topics required.
    expect(page.locator("legend", has_text="Hvad handler aftalen om?")).to_contain_text(
        "(skal udfyldes)"
    )
    fits()
    page.get_by_role("combobox", name="Kommune").select_option(label="Aarhus Kommune")
    page.get_by_label("Boligplacering").check()
    page.get_by_role("button", name="Næste").click()
    page.get_by_label("Intern", exact=False).check()
    fits()
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_role("heading", name="Tjek og send", level=2)).to_be_visible()
    fits()
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("heading", name="Tak for dit svar")).to_be_visible()
    answer = Agreement.objects.get()
    assert answer.status == Agreement.Status.SUBMITTED
    assert answer.document_name.startswith("Kastanjeaftalen med et meget langt filnavn")
