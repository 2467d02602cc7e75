"""Consent per party: an agreement is shown at the widest level every party (the
municipality and each housing organisation) has agreed to; until every party has
answered, it is internal. The municipality answers through a signed e-mailed link (or
"Min side"), staff register a consent received otherwise with a note, and any party can
narrow or withdraw, which takes the agreement off every surface at once."""

import datetime
import itertools

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied

from network.factories import AffiliationFactory, OrganisationFactory
from network.library import services
from network.library.factories import AgreementFactory, municipality
from network.library.models import Agreement, effective_level
from network.models import Affiliation, Organisation
from portal.factories import UserFactory
from tests.form_markup import check_form_page
from tests.library.helpers import actions_of, log_of
from tests.library.test_access_matrix import TITLE, TITLE_WORD, observe

LEVELS = ["public", "members", "internal", "declined", None]  # None: not answered
WIDEST_FIRST = ["public", "members", "internal"]


def expected_level(answers) -> str:
    if any(a in (None, "declined") for a in answers):
        return "internal"
    return max(answers, key=WIDEST_FIRST.index)


@pytest.mark.parametrize("answers", list(itertools.product(LEVELS, repeat=3)))
def test_the_level_shown_is_the_widest_every_party_agreed_to(answers):
    # Three parties: a municipality and two housing organisations.
    levels = {pk: level for pk, level in zip([1, 2, 3], answers, strict=True) if level}
    assert effective_level([1, 2, 3], levels) == expected_level(answers)


def test_the_rule_by_hand():
    assert effective_level([1, 2], {1: "public", 2: "public"}) == "public"
    assert effective_level([1, 2], {1: "public", 2: "members"}) == "members"
    assert effective_level([1, 2], {1: "public"}) == "internal"  # one still to answer
    assert effective_level([1, 2], {1: "public", 2: "declined"}) == "internal"
    assert effective_level([], {}) == "internal"
    # An answer from someone who is not a party does not count.
    assert effective_level([1], {1: "members", 9: "public"}) == "members"


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def aarhus(db):
    return municipality("751")


@pytest.fixture
def contact(aarhus):
    """The municipality's verified contact person."""
    person = UserFactory(verified=True, email="kontakt@aarhus.dk")
    AffiliationFactory(person=person, organisation=aarhus, role=Affiliation.Role.CONTACT_PERSON)
    return person


@pytest.fixture
def asked(submitter, housing_org, aarhus):
    """Published, the submitter shares it with the public, the municipality not asked yet."""
    return AgreementFactory(
        title=TITLE,
        summary="Kommunen anviser boliger til flygtninge.",
        municipality=aarhus,
        submitted_by=submitter,
        submitting_organisation=housing_org,
        consent=Agreement.Consent.PUBLIC,
        party_consents={aarhus.pk: None},
    )


def link_for(agreement, organisation, person) -> str:
    return services.consent_path(agreement=agreement, organisation=organisation, person=person)


@pytest.fixture
def still_clock():
    """Links are signed with the current second: a page and the test that compares its
    link must sign in the same second."""
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False):
        yield


# --- Asking the municipality ------------------------------------------------------------------


def test_publishing_asks_the_municipality_contact_people_by_e_mail(
    staff, submitter, housing_org, aarhus, contact, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(verified=True, email="kollega@aarhus.dk")
    AffiliationFactory(person=colleague, organisation=aarhus)  # not a contact person
    agreement = AgreementFactory(
        status=Agreement.Status.SUBMITTED,
        municipality=aarhus,
        submitted_by=submitter,
        submitting_organisation=housing_org,
        consent=Agreement.Consent.MEMBERS,
    )
    assert agreement.consent == "internal"  # the municipality has not answered
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(agreement=agreement, by=staff)
    agreement.refresh_from_db()
    assert agreement.consent == "internal"
    requests = [m for m in mailoutbox if "samtykke" in m.subject.lower()]
    assert [m.to for m in requests] == [["kontakt@aarhus.dk"]]
    assert agreement.title in requests[0].subject
    assert "/aftaler/samtykke/" in requests[0].body
    assert "60 dage" in requests[0].body
    assert actions_of(agreement)[-1] == "library.consent.requested"
    assert log_of(agreement)[-1].data["asked"] == [contact.pk]


def test_without_contact_people_the_reviewers_are_asked(
    staff, asked, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ask_municipality(agreement=asked, by=staff) >= 1
    assert any(staff.email in m.to and "/aftaler/samtykke/" in m.body for m in mailoutbox)


# --- The signed link ----------------------------------------------------------------------------


def test_the_link_shows_what_is_agreed_to_and_the_contact_agrees_without_logging_in(
    client, asked, aarhus, contact, housing_org, library_page
):
    url = link_for(asked, aarhus, contact)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert TITLE in html
    assert "Kommunen anviser boliger til flygtninge." in html
    assert "Boligforeningen Åbo" in html and "Aarhus Kommune" in html
    assert "ikke besvaret endnu" in html
    assert f"/aftaler/dokument/{asked.pk}/" not in html  # not readable yet by an anonymous visitor
    assert page["Referrer-Policy"] == "same-origin"
    assert TITLE_WORD not in client.get(library_page.url).content.decode()

    response = client.submit(url, {"level": "public"})
    assert response.status_code == 302
    answer = asked.party_consents.get(organisation=aarhus)
    assert (answer.level, answer.given_by, answer.via) == ("public", contact, "link")
    asked.refresh_from_db()
    assert asked.consent == "public"
    assert TITLE_WORD in client.get(library_page.url).content.decode()
    # Now the document may be read by anyone, so the page offers it.
    assert f"/aftaler/dokument/{asked.pk}/" in client.get(url).content.decode()
    entries = [e for e in log_of(asked) if e.action == "library.consent.given"]
    assert entries[-1].data["party"] == "Aarhus Kommune"
    assert entries[-1].data["new"] == "public"


def test_a_narrower_level_chosen_by_the_municipality_wins(client, asked, aarhus, contact):
    url = link_for(asked, aarhus, contact)
    client.submit(url, {"level": "members"})
    asked.refresh_from_db()
    assert asked.consent == "members"
    # Later it may narrow again, but not widen (that goes through staff).
    html = client.get(url).content.decode()
    assert 'value="public"' not in html and 'value="declined"' in html
    response = client.submit(url, {"level": "declined"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.consent == "internal"
    response = client.post_with_token(url, {"level": "public"}, page=url)
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    soup = check_form_page(response, errors=True)
    assert [a["href"] for a in soup.select('[data-module="error-summary"] a')] == ["#id_level_0"]
    assert soup.find("legend").get_text(" ", strip=True) == "Må aftalen deles? (skal udfyldes)"
    assert asked.party_consents.get(organisation=aarhus).level == "declined"


def test_a_tampered_link_is_refused(client, asked, aarhus, contact, library_page):
    url = link_for(asked, aarhus, contact)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = signing.dumps({"a": asked.pk, "o": aarhus.pk, "p": contact.pk}, salt="some-other-salt")
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = client.get(f"/aftaler/samtykke/{bad}/")
        assert response.status_code == 404
        assert "Linket er ikke gyldigt" in response.content.decode()
        assert (
            client.post_with_token(
                f"/aftaler/samtykke/{bad}/", {"level": "public"}, page=library_page.url
            ).status_code
            == 404
        )
    assert not asked.party_consents.filter(organisation=aarhus).exists()


def test_an_expired_link_is_refused(client, asked, aarhus, contact, library_page):
    issued = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(issued, tick=False):
        url = link_for(asked, aarhus, contact)
    with time_machine.travel(issued + datetime.timedelta(days=59), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(issued + datetime.timedelta(days=61), tick=False):
        response = client.get(url)
        assert response.status_code == 410
        assert "Linket er udløbet" in response.content.decode()
        response = client.post_with_token(url, {"level": "public"}, page=library_page.url)
        assert response.status_code == 410
    assert not asked.party_consents.filter(organisation=aarhus).exists()


def test_a_link_used_by_a_non_party_is_refused(
    client, asked, aarhus, contact, housing_org, library_page
):
    # A person who is no contact person of the municipality: a link made for them fails.
    stranger = UserFactory(verified=True)
    AffiliationFactory(person=stranger, organisation=aarhus)
    assert client.get(link_for(asked, aarhus, stranger)).status_code == 403
    # A contact person of another municipality, for an agreement it is no party to.
    other = municipality("101")
    other_contact = UserFactory(verified=True)
    AffiliationFactory(person=other_contact, organisation=other, role="contact")
    assert client.get(link_for(asked, other, other_contact)).status_code == 403
    # The contact person's link stops working when they stop being the contact person.
    url = link_for(asked, aarhus, contact)
    assert client.get(url).status_code == 200
    Affiliation.objects.filter(person=contact).update(status=Affiliation.Status.REJECTED)
    response = client.post_with_token(url, {"level": "public"}, page=library_page.url)
    assert response.status_code == 403
    assert "giver ikke længere adgang" in response.content.decode()
    assert not asked.party_consents.filter(organisation=aarhus).exists()


# --- Staff register a consent received otherwise --------------------------------------------------


def test_staff_register_a_consent_with_a_note(client, staff, asked, aarhus, library_page):
    url = f"/admin/aftaler/samtykke/{asked.pk}/"
    client.force_login(staff)
    edit = client.get(f"/admin/aftaler/edit/{asked.pk}/").content.decode()
    assert url in edit and "Ikke besvaret endnu" in edit
    # The note is required, in Danish.
    response = client.submit(url, {"organisation": aarhus.pk, "level": "members", "note": ""})
    assert response.status_code == 200
    assert "Dette felt er påkrævet" in response.content.decode()
    response = client.submit(
        url,
        {"organisation": aarhus.pk, "level": "members", "note": "Brev fra borgmesteren 3. marts"},
    )
    assert response.status_code == 302
    answer = asked.party_consents.get(organisation=aarhus)
    assert (answer.level, answer.via, answer.recorded_by_staff, answer.note) == (
        "members",
        "staff",
        staff,
        "Brev fra borgmesteren 3. marts",
    )
    asked.refresh_from_db()
    assert asked.consent == "members"
    edit = client.get(f"/admin/aftaler/edit/{asked.pk}/").content.decode()
    assert "Brev fra borgmesteren 3. marts" in edit  # in the panel and in the log
    assert "Samtykke givet af part" in edit
    history = client.get(f"/admin/aftaler/history/{asked.pk}/")
    assert history.status_code == 200
    assert "Samtykke givet af part" in history.content.decode()
    assert "Aftalens synlighed ændret" in history.content.decode()


def test_who_may_register_a_consent(client, asked, submitter, member):
    url = f"/admin/aftaler/samtykke/{asked.pk}/"
    for person in (submitter, member):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code in (302, 403)
    assert not asked.party_consents.filter(organisation=asked.municipality).exists()


# --- Narrowing and withdrawing take it off every surface ---------------------------------------


@pytest.fixture
def everyone_agreed(submitter, housing_org, aarhus):
    return AgreementFactory(
        title=TITLE,
        summary="Kommunen anviser boliger til flygtninge.",
        municipality=aarhus,
        submitted_by=submitter,
        submitting_organisation=housing_org,
        consent=Agreement.Consent.PUBLIC,
    )


GONE = {
    "listing": "absent",
    "detail": 404,
    "download": 404,
    "media_url": 404,
    "site_search": "absent",
    "sitemap": "absent",
    "overview": {"listed": False, "counted": True},
}


def test_the_municipality_declining_takes_it_off_every_surface(
    client, everyone_agreed, aarhus, contact, library_page, overview_page
):
    shown = observe(client, everyone_agreed, library_page, overview_page)
    assert shown["detail"] == 200 and shown["sitemap"] == "listed"
    client.submit(link_for(everyone_agreed, aarhus, contact), {"level": "declined"})
    # Still counted in the overview (every reviewed answer is), shown nowhere.
    assert observe(client, everyone_agreed, library_page, overview_page) == GONE


def test_the_housing_organisation_narrowing_to_members_hides_it_from_the_public(
    client,
    everyone_agreed,
    housing_org,
    submitter,
    member,
    library_page,
    overview_page,
    still_clock,
):
    client.force_login(submitter)
    my_page = client.get("/min-side/").content.decode()
    url = link_for(everyone_agreed, housing_org, submitter)
    assert url in my_page
    client.submit(url, {"level": "members"})
    answer = everyone_agreed.party_consents.get(organisation=housing_org)
    assert (answer.level, answer.via) == ("members", "my_page")
    client.logout()
    assert observe(client, everyone_agreed, library_page, overview_page) == GONE
    client.force_login(member)
    seen = observe(client, everyone_agreed, library_page, overview_page)
    assert (seen["listing"], seen["detail"], seen["download"]) == ("shown", 200, 200)


def test_a_municipality_contact_answers_from_my_page(client, asked, contact, still_clock):
    client.force_login(contact)
    my_page = client.get("/min-side/").content.decode()
    assert "Aftaler, som jeres kommune bliver bedt om samtykke til" in my_page
    assert TITLE in my_page and "ikke besvaret endnu" in my_page
    url = link_for(asked, asked.municipality, contact)
    assert url in my_page
    client.submit(url, {"level": "public"})
    assert asked.party_consents.get(organisation=asked.municipality).via == "my_page"


def test_the_library_and_the_agreement_page_show_the_parties_answers_to_staff_and_parties(
    client, asked, staff, submitter, member, library_page
):
    asked.party_consents.create(
        organisation=asked.municipality,
        level="public",
        via="staff",
        decided_at=asked.submitted_at,
    )
    services.save_review_edits(agreement=asked, by=staff, old_status=asked.status)
    for person, sees in ((staff, True), (submitter, True), (member, False)):
        client.force_login(person)
        listing = client.get(library_page.url).content.decode()
        detail = client.get(library_page.agreement_url(asked)).content.decode()
        assert TITLE_WORD in listing
        assert ("samtykke (offentlig)" in listing) is sees
        assert ("Parternes samtykke" in detail) is sees


def test_listing_queries_stay_pinned_while_staff_see_the_parties_answers(
    client, staff, library_page, django_assert_max_num_queries
):
    for n in range(25):
        AgreementFactory(title=f"Aftale {n}", party_consents={municipality().pk: None})
    client.force_login(staff)
    client.get(library_page.url)
    # Measured 25 for a reviewer (who sees every answer and each party's answer, the
    # parties' answers in one query for the page); it does not grow with the rows.
    with django_assert_max_num_queries(25):
        response = client.get(library_page.url)
    assert response.content.decode().count("ikke besvaret endnu") == 20


# --- The audit trail on Wagtail's log --------------------------------------------------------------


def test_every_step_is_on_wagtails_log(client, staff, asked, aarhus, contact, submitter):
    client.submit(link_for(asked, aarhus, contact), {"level": "members"})
    services.withdraw_consent(agreement=asked, person=submitter)
    entries = log_of(asked)
    assert [e.action for e in entries] == [
        "library.consent.given",  # the municipality, through the link
        "library.agreement.shown_as_changed",  # internal → members
        "library.agreement.withdrawn",
        "library.consent.changed",  # the housing organisation: public → declined
        "library.agreement.shown_as_changed",  # members → internal
    ]
    assert [e.user for e in entries] == [contact, contact, submitter, submitter, submitter]
    assert entries[3].data["old"] == "public" and entries[3].data["new"] == "declined"
    assert entries[4].data == {"old": "members", "new": "internal"}
    # The entries outlive the agreement.
    pk = asked.pk
    asked.delete()
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(object_id=str(pk)).count() == 5


def test_the_overview_counts_answers_a_party_declined(asked, aarhus, contact, client):
    from network.library.overview import build_overview

    client.submit(link_for(asked, aarhus, contact), {"level": "declined"})
    assert build_overview().answered_count == 1


def test_an_organisation_no_longer_a_party_cannot_answer(asked, housing_org, submitter):
    other = OrganisationFactory(kind=Organisation.Kind.HOUSING_ORGANISATION)
    with pytest.raises(PermissionDenied):
        services.give_consent(
            agreement=asked, organisation=other, person=submitter, level="public", via="my_page"
        )
