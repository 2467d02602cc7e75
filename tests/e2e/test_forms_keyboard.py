"""Every public form completed with the keyboard alone, in Chromium (issue 13).

No .click() and no .fill(): Tab and Shift+Tab move, typing fills a field, Space checks a
radio or a checkbox and the arrow keys move within a radio group, type-ahead picks an
option in a select, Enter submits. Each form is first sent with an error: the page
title says "Fejl: ", focus is on the error summary, and Enter on the summary's link moves
focus to the field in error, where the person puts it right and sends again.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from meetings import evaluation, services
from meetings.evaluation_models import EvaluationAnswer
from meetings.factories import MeetingPageFactory, RegistrationFactory, VenueFactory, programme_item
from meetings.models import Registration
from network.factories import (
    VALID_EAN,
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from network.models import Affiliation, Membership
from portal.factories import UserFactory
from portal.models import User

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
SUMMARY = '[data-module="error-summary"]'


@pytest.fixture(autouse=True)
def _fresh_state():
    cache.clear()  # allauth's rate limits
    mail.outbox = []


# --- Keyboard helpers: keys only; the page is read, never clicked or filled ------------------


def is_focused(page, css: str) -> bool:
    return page.evaluate(
        "(css) => !!document.activeElement && document.activeElement.matches(css)", css
    )


def tab_to(page, css: str, *, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the element matching `css` has focus."""
    for _ in range(limit):
        if is_focused(page, css):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {css}")


def type_into(page, css: str, text: str, *, clear: bool = False) -> None:
    tab_to(page, css)
    if clear:
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
    page.keyboard.type(text)


def press_enter_and_wait(page) -> None:
    """Enter sends the form; wait for the answer to load."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def submit_with(page, button_css: str) -> None:
    tab_to(page, button_css)
    press_enter_and_wait(page)


def follow_summary_to(page, field_id: str, *, link: int = 0) -> None:
    """After an invalid submit: the summary has focus; Tab to its link and press Enter;
    the field in error gets focus."""
    expect(page.locator(SUMMARY)).to_be_focused()
    assert page.title().startswith("Fejl: ")
    for _ in range(link + 1):
        page.keyboard.press("Tab")
    expect(page.locator(f"{SUMMARY} a").nth(link)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{field_id}")).to_be_focused()


def log_in(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/konto/login/?next={next_path}")
    type_into(page, "#id_login", email)
    type_into(page, "#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/konto/login/" not in url and url.endswith(next_path))


# --- Accounts: sign-up, login, My page ----------------------------------------------------


def test_sign_up_with_the_keyboard(page, live_server, home_page):
    base = live_server.url
    page.goto(f"{base}/konto/signup/")
    type_into(page, "#id_first_name", "Sofie")
    type_into(page, "#id_last_name", "Sørensen")
    type_into(page, "#id_job_title", "Boligsocial konsulent")
    type_into(page, "#id_email", "sofie@odense")  # a slip of the keyboard
    type_into(page, "#id_password1", PASSWORD)
    type_into(page, "#id_password2", PASSWORD)
    press_enter_and_wait(page)

    follow_summary_to(page, "id_email")
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("End")
    page.keyboard.type(".dk")
    type_into(page, "#id_password1", PASSWORD, clear=True)
    type_into(page, "#id_password2", PASSWORD, clear=True)
    submit_with(page, "main form button[type=submit]")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft din e-mailadresse")
    assert [m.to for m in mail.outbox] == [["sofie@odense.dk"]]
    assert User.objects.get(email="sofie@odense.dk").first_name == "Sofie"


def test_log_in_and_edit_the_profile_with_the_keyboard(page, live_server, home_page):
    UserFactory(
        verified=True, email="mads@aarhus.dk", first_name="Mads", last_name="M", password=PASSWORD
    )
    base = live_server.url
    page.goto(f"{base}/konto/login/")
    type_into(page, "#id_login", "mads@aarhus")
    type_into(page, "#id_password", PASSWORD)
    press_enter_and_wait(page)

    follow_summary_to(page, "id_login")
    page.keyboard.press("End")
    page.keyboard.type(".dk")
    type_into(page, "#id_password", PASSWORD, clear=True)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/min-side/$"))

    # My page: the first name emptied by mistake, then put right.
    type_into(page, "#id_first_name", "", clear=True)
    type_into(page, "#id_job_title", "Projektleder")
    press_enter_and_wait(page)
    follow_summary_to(page, "id_first_name")
    page.keyboard.type("Mads")
    expect(page.locator("#id_job_title")).to_have_value("Projektleder")  # kept
    press_enter_and_wait(page)

    expect(page.get_by_text("Din profil er gemt.")).to_be_visible()
    person = User.objects.get(email="mads@aarhus.dk")
    assert (person.first_name, person.job_title) == ("Mads", "Projektleder")


# --- Meetings: registration with the dinner question, send a colleague, offer, cancel ------


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", slug="netvaerket")


@pytest.fixture
def aarhus(network):
    org = MunicipalityFactory(name="Aarhus Kommune")
    start = datetime.date.today().year
    for year in (start, start + 1):
        MembershipFactory(organisation=org, network=network, year=year)
    return org


def person(org, first, email):
    user = UserFactory(
        verified=True, email=email, first_name=first, last_name="Aarhus", password=PASSWORD
    )
    AffiliationFactory(person=user, organisation=org)
    return user


def test_register_with_the_dinner_question_with_the_keyboard(page, live_server, network, aarhus):
    mads = person(aarhus, "Mads", "mads@aarhus.dk")
    meeting = MeetingPageFactory(
        parent=network, title="Middagsmødet", venue=VenueFactory(), ask_joins_dinner=True
    )
    base = live_server.url
    log_in(page, base, "mads@aarhus.dk", meeting.register_url)

    type_into(page, "#id_dietary_needs", "Glutenfri")
    submit_with(page, "main form button[type=submit]")  # the dinner question unanswered

    follow_summary_to(page, "id_joins_dinner_0")
    dinner = page.get_by_role("group", name=re.compile(r"^Deltager du i middagen\?"))
    expect(dinner).to_have_attribute("aria-describedby", "id_joins_dinner_error")
    page.keyboard.press("Space")  # "Ja"
    page.keyboard.press("ArrowDown")  # "Nej"
    page.keyboard.press("ArrowUp")  # back to "Ja"
    expect(page.locator("#id_joins_dinner_0")).to_be_checked()
    expect(page.locator("#id_dietary_needs")).to_have_value("Glutenfri")
    submit_with(page, "main form button[type=submit]")

    expect(page.get_by_text("Du er tilmeldt, og din plads er bekræftet.")).to_be_visible()
    registration = Registration.objects.get(person=mads)
    assert registration.joins_dinner is True and registration.dietary_needs == "Glutenfri"
    assert any(m.to == ["mads@aarhus.dk"] for m in mail.outbox)


def test_send_a_colleague_accept_an_offer_and_cancel_with_the_keyboard(
    page, live_server, network, aarhus
):
    bent = person(aarhus, "Bent", "bent@aarhus.dk")
    person(aarhus, "Carla", "carla@aarhus.dk")
    meeting = MeetingPageFactory(
        parent=network, title="Januarmødet", venue=VenueFactory(), capacity=1, trial_places=0
    )
    seat = services.register(meeting=meeting, person=bent, organisation=aarhus)
    mail.outbox = []
    base = live_server.url
    send_path = f"/moeder/tilmelding/{seat.pk}/send-en-kollega/"
    log_in(page, base, "bent@aarhus.dk", send_path)

    submit_with(page, "main form button[type=submit]")  # no colleague chosen
    follow_summary_to(page, "id_colleague")
    page.keyboard.type("Carla")  # type-ahead in the select
    expect(page.locator("#id_colleague")).to_have_value(
        str(User.objects.get(email="carla@aarhus.dk").pk)
    )
    submit_with(page, "main form button[type=submit]")

    expect(page.get_by_text("Din plads er givet videre til Carla Aarhus")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == ["bent@aarhus.dk", "carla@aarhus.dk"]

    # Carla cannot come after all and cancels; Bent, now on the waitlist, is offered the seat.
    carla_seat = Registration.objects.get(person__email="carla@aarhus.dk", status="confirmed")
    meeting.waitlist_offers = True
    meeting.save()
    waiting = services.register(meeting=meeting, person=bent, organisation=aarhus)
    assert waiting.is_waitlisted
    page.context.clear_cookies()
    log_in(page, base, "carla@aarhus.dk", f"/moeder/tilmelding/{carla_seat.pk}/afmeld/")
    submit_with(page, "main form button.button-primary")
    carla_seat.refresh_from_db()
    assert carla_seat.status == Registration.Status.CANCELLED

    waiting.refresh_from_db()
    assert waiting.is_offered
    page.context.clear_cookies()
    log_in(page, base, "bent@aarhus.dk", f"/moeder/tilmelding/{waiting.pk}/tilbud/")
    submit_with(page, "main form button[value=accept]")
    expect(page.get_by_text("Pladsen er din.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.is_confirmed


def test_evaluate_a_meeting_with_the_keyboard(page, live_server, network):
    start = timezone.now() - datetime.timedelta(days=1, hours=5)
    meeting = MeetingPageFactory(
        parent=network,
        title="Efterårsmødet",
        start=start,
        end=start + datetime.timedelta(hours=5),
        venue=VenueFactory(),
        programme=[programme_item("10.00", "10.45", "Boligsocial monitorering", "talk")],
    )
    RegistrationFactory(
        meeting=meeting, person=UserFactory(verified=True, email="anna@x.dk"), attended_at=start
    )
    assert evaluation.send_due_invitations() == 1
    (message,) = mail.outbox
    link = urlsplit(re.search(r"https?://\S+/moeder/evaluering/\S+/", message.body)[0]).path

    page.goto(live_server.url + link)
    type_into(page, "#id_next_topics", "Klimatilpasning")
    submit_with(page, "main form button[type=submit]")  # the overall rating forgotten

    follow_summary_to(page, "id_overall_0")
    page.keyboard.press("Space")  # 1
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # 2, 3, 4
    expect(page.locator("#id_overall_3")).to_be_checked()
    page.keyboard.press("Tab")  # on to the talk's group
    page.keyboard.press("Space")
    page.keyboard.press("ArrowUp")  # wraps round to 5
    expect(page.locator("#id_item_0_4")).to_be_checked()
    expect(page.locator("#id_next_topics")).to_have_value("Klimatilpasning")
    submit_with(page, "main form button[type=submit]")

    expect(page.get_by_role("heading", name="Tak for din evaluering")).to_be_visible()
    (answer,) = EvaluationAnswer.objects.all()
    assert answer.overall == 4 and answer.next_topics == "Klimatilpasning"
    assert [item["rating"] for item in answer.item_ratings] == [5]


# --- Memberships: sign-up and renewal -------------------------------------------------------


def test_sign_an_organisation_up_with_the_keyboard(page, live_server, home_page, autumn):
    network = NetworkPageFactory(parent=home_page, title="Anvisningsnetværket", price=9500)
    org = MunicipalityFactory(name="Aarby Kommune")
    anna = UserFactory(verified=True, email="anna@aarby.dk", password=PASSWORD)
    AffiliationFactory(person=anna, organisation=org)
    UserFactory(verified=True, email="staff@erfa.example", is_staff=True, is_superuser=True)
    base = live_server.url
    log_in(page, base, "anna@aarby.dk", "/netvaerk/tilmelding/")

    type_into(page, "#id_ean", "5798000000002")  # a wrong check digit
    type_into(page, "#id_invoice_contact_name", "Bente Bogholder")
    type_into(page, "#id_invoice_contact_email", "faktura@aarby.dk")
    submit_with(page, "main form button[type=submit]")  # the terms not accepted either

    follow_summary_to(page, "id_ean")
    page.keyboard.press("Control+A")
    page.keyboard.type(VALID_EAN)
    tab_to(page, "#id_accept_terms")
    page.keyboard.press("Space")
    expect(page.locator("#id_accept_terms")).to_be_checked()
    submit_with(page, "main form button[type=submit]")

    expect(page.get_by_text("Vi har modtaget jeres tilmelding")).to_be_visible()
    membership = Membership.objects.get()
    assert (membership.organisation, membership.network_id, membership.ean) == (
        org,
        network.pk,
        VALID_EAN,
    )
    assert any("anna@aarby.dk" in m.to for m in mail.outbox)


def test_renew_with_the_keyboard(page, live_server, home_page, autumn):
    year = autumn.year
    network = NetworkPageFactory(parent=home_page, title="Anvisningsnetværket", slug="anvisning")
    org = MunicipalityFactory(name="Aarby Kommune")
    kim = UserFactory(verified=True, email="kim@aarby.dk", password=PASSWORD)
    AffiliationFactory(person=kim, organisation=org, role=Affiliation.Role.CONTACT_PERSON)
    last = MembershipFactory(
        organisation=org,
        network=network,
        year=year,
        ean=VALID_EAN,
        invoice_contact_email="faktura@aarby.dk",
    )
    base = live_server.url
    log_in(page, base, "kim@aarby.dk", last.renewal_path())

    type_into(page, "#id_ean", "5790000000004", clear=True)  # a wrong check digit
    submit_with(page, "main form button[type=submit]")
    follow_summary_to(page, "id_ean")
    page.keyboard.press("Control+A")
    page.keyboard.type("5790000000005")
    press_enter_and_wait(page)

    expect(page.get_by_text(f"Tak: Aarby Kommune er fornyet for {year + 1}.")).to_be_visible()
    renewal = Membership.objects.get(year=year + 1)
    assert renewal.ean == "5790000000005"
    assert any("kim@aarby.dk" in m.to for m in mail.outbox)
