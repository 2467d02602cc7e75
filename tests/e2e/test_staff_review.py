"""The coordinator's side in Chromium, as an editor who is in Wagtail's Editors group but
NOT is_staff (a coordinator created in "Brugere"): from the dashboard, approve a
membership application and affiliation requests, one from its row and the rest in bulk;
review agreement answers: write a summary and publish (and find it in the library with
that summary), reject another with a reason (the submitter is e-mailed)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from network.factories import AffiliationFactory, MembershipFactory, NetworkPageFactory
from network.library.factories import (
    AgreementFactory,
    AgreementLibraryPageFactory,
    municipality,
)
from network.library.models import Agreement
from network.models import Affiliation, Membership, Organisation
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox = []


@pytest.fixture
def editor(db):
    person = UserFactory(
        verified=True,
        email="koordinator@kl.example",
        first_name="Karen",
        last_name="Koordinator",
        password=PASSWORD,
        is_staff=False,
    )
    person.groups.add(Group.objects.get(name="Editors"))
    return person


def log_in(page, base, email, next_path="/admin/"):
    page.goto(f"{base}/konto/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_second_factor(page, email, PASSWORD, next_path)
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_editor_approves_memberships_and_affiliations_from_the_dashboard(
    page, live_server, home_page, editor
):
    base = live_server.url
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")
    aarhus = Organisation.objects.get(municipality_code="751")
    applied = [
        MembershipFactory(network=network, organisation=organisation, status="applied")
        for organisation in Organisation.objects.filter(
            municipality_code__in=["751", "101", "461"]
        ).order_by("name")
    ]
    requests = [
        AffiliationFactory(
            person=UserFactory(verified=True, first_name=name, last_name="Jensen"),
            organisation=aarhus,
            status=Affiliation.Status.REQUESTED,
            verified_via="",
        )
        for name in ("Anna", "Bo", "Carl")
    ]

    log_in(page, base, editor.email)
    expect(page.locator("#network-pending-section")).to_contain_text("Venter på dig i netværkene")

    # Memberships: the dashboard's link opens the applications; approve one from its row.
    page.get_by_role("link", name="3 medlemstilmeldinger venter på godkendelse").click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/network/membership/\?status=applied$"))
    single = applied[0]
    page.get_by_role("link", name=f"Godkend {single}").click()
    expect(page.get_by_text("Godkend disse ansøgte medlemskaber?")).to_be_visible()
    page.get_by_role("button", name="Ja, fortsæt").click()
    expect(page.get_by_text("1 medlemskab godkendt.")).to_be_visible()
    single.refresh_from_db()
    assert single.status == Membership.Status.ACTIVE
    assert single.approved_by == editor

    # ... and the other two at once.
    for membership in applied[1:]:
        page.locator(f"input.bulk-action-checkbox[data-object-id='{membership.pk}']").check()
    page.get_by_role("link", name="Godkend de valgte medlemskaber").click()
    page.get_by_role("button", name="Ja, fortsæt").click()
    expect(page.get_by_text("2 medlemskaber godkendt.")).to_be_visible()
    assert set(Membership.objects.values_list("status", flat=True)) == {"active"}

    # Affiliation requests: the same from the dashboard.
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="3 anmodninger om tilknytning venter på afgørelse").click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/network/affiliation/\?status=requested$"))
    page.get_by_role("link", name=f"Godkend {requests[0]}").click()
    page.get_by_role("button", name="Ja, fortsæt").click()
    expect(page.get_by_text("1 tilknytning godkendt.")).to_be_visible()
    for affiliation in requests[1:]:
        page.locator(f"input.bulk-action-checkbox[data-object-id='{affiliation.pk}']").check()
    page.get_by_role("link", name="Godkend de valgte anmodninger om tilknytning").click()
    page.get_by_role("button", name="Ja, fortsæt").click()
    expect(page.get_by_text("2 tilknytninger godkendt.")).to_be_visible()
    for affiliation in requests:
        affiliation.refresh_from_db()
        assert affiliation.is_verified and affiliation.decided_by == editor

    # Nothing waits any more.
    page.goto(f"{base}/admin/")
    expect(page.locator("#network-pending-section")).to_have_count(0)


def test_editor_reviews_answers_publishes_with_a_summary_and_rejects_with_a_reason(
    page, browser, live_server, home_page, editor
):
    base = live_server.url
    library = AgreementLibraryPageFactory(parent=home_page)
    submitter = UserFactory(verified=True, email="udlejning@kastanjen.dk")
    to_publish = AgreementFactory(
        title="Aarhus Kommune og Boligforeningen Kastanjen",
        summary="",
        status=Agreement.Status.SUBMITTED,
        consent=Agreement.Consent.PUBLIC,
        submitted_by=submitter,
        # The municipality has agreed already (see test_consent.py for how it is asked).
        party_consents={municipality("751").pk: Agreement.Consent.PUBLIC},
    )
    to_reject = AgreementFactory(
        title="Odense Kommune og Boligforeningen Kastanjen",
        summary="",
        status=Agreement.Status.SUBMITTED,
        consent=Agreement.Consent.PUBLIC,
        submitted_by=submitter,
    )
    summary = "Kommunen anviser 25 boliger om året, og beboerværter byder velkommen."

    log_in(page, base, editor.email)
    page.get_by_role("link", name="2 aftalesvar venter på behandling").click()
    expect(page).to_have_url(re.compile(r"/admin/aftaler/\?status=submitted$"))
    page.get_by_role("link", name=to_publish.title).click()

    # "Udgiv" without a summary: stopped on the field, nothing published.
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    expect(page.get_by_text("Skriv et resumé før udgivelse")).to_be_visible()
    to_publish.refresh_from_db()
    assert to_publish.status == Agreement.Status.SUBMITTED

    # With the summary typed: published with it.
    page.locator("#id_summary").fill(summary)
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    expect(page.locator(".messages")).to_contain_text(f"»{to_publish.title}« er udgivet.")
    to_publish.refresh_from_db()
    assert (to_publish.status, to_publish.summary) == (Agreement.Status.PUBLISHED, summary)

    # The public finds it in the library, with that summary.
    visitor = browser.new_context(locale="da-DK").new_page()
    visitor.goto(base + library.url)
    visitor.get_by_role("link", name=to_publish.title).click()
    expect(visitor.locator("main")).to_contain_text(summary)

    # Reject the other: a reason is needed, then it is e-mailed to the submitter.
    page.goto(f"{base}/admin/aftaler/edit/{to_reject.pk}/")
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Afvis").click()
    expect(page.get_by_text("Angiv en begrundelse; den sendes til indsenderen.")).to_be_visible()
    reason = "Aftalen er allerede indsendt af kommunen."
    page.get_by_role("textbox", name="Begrundelse for afvisning").fill(reason)
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Afvis").click()
    expect(page.locator(".messages")).to_contain_text("er afvist, og indsenderen har fået")
    to_reject.refresh_from_db()
    assert to_reject.status == Agreement.Status.REJECTED
    message = next(
        m for m in mail.outbox if m.to == ["udlejning@kastanjen.dk"] and reason in m.body
    )
    assert message.subject.endswith("Jeres aftalesvar kunne ikke bruges")
    visitor.goto(base + library.url)
    expect(visitor.get_by_role("link", name=to_reject.title)).to_have_count(0)
