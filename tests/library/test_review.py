"""Staff review in the Wagtail admin: the reviewer edits the answer and decides in the
same form ("Udgiv" / "Afvis" in the form's action menu), so what they typed is saved with
the decision or they are stopped with a message on the field; the audit trail; who may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import now

from network.factories import OrganisationFactory
from network.library import services
from network.library.access import can_decide_agreements
from network.library.factories import AgreementFactory
from network.library.models import Agreement
from network.models import Organisation
from portal.factories import UserFactory
from tests.library.helpers import actions_of, log_of
from tests.roles import COORDINATORS, ROLES, log_in, make_person

SUMMARY = "Kommunen anviser 25 boliger om året, og beboerværter byder velkommen."


@pytest.fixture
def submitted(submitter, housing_org):
    return AgreementFactory(
        title="Aarhus Kommune og Boligforeningen Åbo",
        summary="",
        status=Agreement.Status.SUBMITTED,
        consent=Agreement.Consent.MEMBERS,
        submitted_by=submitter,
        submitting_organisation=housing_org,
    )


def edit_url(agreement) -> str:
    return f"/admin/aftaler/edit/{agreement.pk}/"


def form_data(agreement, **changes) -> dict:
    """The edit form as the reviewer sees it filled in, with `changes` typed."""
    data = {
        "title": agreement.title,
        "summary": agreement.summary,
        "municipality": agreement.municipality_id or "",
        "housing_organisations": [o.pk for o in agreement.housing_organisations.all()],
        "other_parties": agreement.other_parties,
        "state": agreement.state,
        "topics": [t.pk for t in agreement.topics.all()],
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
        "valid_from": "",
        "valid_to": "",
        "dwellings_per_year": agreement.dwellings_per_year or "",
        "vacant_share": "",
        "rejection_reason": agreement.rejection_reason,
    }
    data.update(changes)
    return data


def test_the_decisions_are_buttons_of_the_edit_form_and_nowhere_else(client, staff, submitted):
    client.force_login(staff)
    listing = client.get("/admin/aftaler/").content.decode()
    assert "Aarhus Kommune og Boligforeningen Åbo" in listing
    assert "/publish/" not in listing and "/reject/" not in listing
    edit = client.get(edit_url(submitted)).content.decode()
    form = edit[
        edit.index('id="w-editor-form"') : edit.index("</form>", edit.index("w-editor-form"))
    ]
    assert 'name="action-publish"' in form and "Udgiv" in form
    assert 'name="action-reject"' in form and "Afvis" in form
    assert f"/aftaler/dokument/{submitted.pk}/" in edit  # the reviewer reads the document
    # The old separate decision pages are gone.
    assert client.get(f"/admin/aftaler/publish/{submitted.pk}/").status_code == 404


def test_publish_saves_the_summary_typed_in_the_form(
    client, staff, submitted, library_page, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            edit_url(submitted),
            form_data(submitted, summary=SUMMARY, **{"action-publish": "publish"}),
            follow=True,
        )
    assert "»Aarhus Kommune og Boligforeningen Åbo« er udgivet." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.PUBLISHED
    assert submitted.summary == SUMMARY
    assert submitted.reviewed_by == staff
    published = log_of(submitted)[-2:]
    assert [(e.action, e.user) for e in published] == [
        ("library.agreement.published", staff),
        ("library.consent.requested", staff),
    ]
    assert (published[0].data["old_status"], published[0].data["status"]) == (
        "submitted",
        "published",
    )
    assert mailoutbox[-1].to == [submitted.submitted_by.email]
    assert "godkendt" in mailoutbox[-1].subject
    # The municipality (Aarhus has no contact people: the reviewers) is asked.
    assert any("/aftaler/samtykke/" in m.body and staff.email in m.to for m in mailoutbox)
    client.force_login(member)
    # Internal until the municipality has answered.
    assert client.get(library_page.agreement_url(submitted)).status_code == 404
    services.record_consent_by_staff(
        agreement=submitted,
        organisation=submitted.municipality,
        by=staff,
        level="members",
        note="Kommunen svarede pr. brev",
    )
    detail = client.get(library_page.agreement_url(submitted))
    assert detail.status_code == 200
    assert SUMMARY in detail.content.decode()
    assert SUMMARY[:40] in client.get(library_page.url).content.decode()


def test_publishing_without_a_summary_is_stopped_with_a_field_error_and_saves_nothing(
    client, staff, submitted, mailoutbox
):
    client.force_login(staff)
    response = client.submit(
        edit_url(submitted),
        form_data(submitted, title="Ny titel skrevet af redaktøren", **{"action-publish": "1"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skriv et resumé før udgivelse: biblioteket viser det sammen med aftalen." in html
    assert "Intet blev gemt" in html
    assert "Ny titel skrevet af redaktøren" in html  # what was typed is still in the form
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.SUBMITTED
    assert submitted.title == "Aarhus Kommune og Boligforeningen Åbo"
    assert actions_of(submitted) == []
    assert mailoutbox == []


def test_an_internal_or_no_agreement_answer_is_published_without_a_summary(staff, submitted):
    submitted.party_consents.update(level=Agreement.Consent.INTERNAL)
    services.publish(agreement=submitted, by=staff)
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.PUBLISHED


def test_missing_parts_are_field_errors_in_danish(client, staff, submitted):
    client.force_login(staff)
    submitted.municipality = None
    submitted.save()
    response = client.submit(
        edit_url(submitted), form_data(submitted, summary=SUMMARY, **{"action-publish": "1"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Udfyld feltet før udgivelse." in html
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.SUBMITTED
    assert submitted.summary == ""


def test_reject_needs_a_reason_which_is_saved_and_emailed(
    client, staff, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    response = client.submit(edit_url(submitted), form_data(submitted, **{"action-reject": "1"}))
    assert response.status_code == 200
    assert "Angiv en begrundelse; den sendes til indsenderen." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.SUBMITTED

    reason = "Aftalen er allerede indsendt af kommunen."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            edit_url(submitted),
            form_data(submitted, rejection_reason=reason, **{"action-reject": "1"}),
            follow=True,
        )
    assert "er afvist, og indsenderen har fået begrundelsen" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.REJECTED
    assert submitted.rejection_reason == reason
    assert mailoutbox[-1].to == ["anna@aabo.dk"]
    assert reason in mailoutbox[-1].body
    assert log_of(submitted)[-1].data["note"] == reason
    # Rejected: "Afvis" is no longer offered, "Udgiv" still is.
    edit = client.get(edit_url(submitted)).content.decode()
    assert 'name="action-reject"' not in edit and 'name="action-publish"' in edit


def test_a_reason_typed_before_choosing_publish_is_not_dropped(client, staff, submitted):
    client.force_login(staff)
    response = client.submit(
        edit_url(submitted),
        form_data(
            submitted,
            summary=SUMMARY,
            rejection_reason="Mangler bilag",
            **{"action-publish": "1"},
        ),
    )
    assert response.status_code == 200
    assert "Tøm begrundelsen for afvisning for at udgive, eller vælg Afvis." in (
        response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.SUBMITTED


def test_a_published_answer_offers_no_publish_and_a_forged_one_is_refused(client, staff, submitted):
    Agreement.objects.filter(pk=submitted.pk).update(summary=SUMMARY)
    services.publish(agreement=submitted, by=staff)
    client.force_login(staff)
    edit = client.get(edit_url(submitted)).content.decode()
    assert 'name="action-publish"' not in edit and 'name="action-reject"' in edit
    submitted.refresh_from_db()
    # Published meanwhile in another tab: "Udgiv" is refused, nothing saved, typing kept.
    response = client.submit(
        edit_url(submitted), form_data(submitted, title="Ændret", **{"action-publish": "1"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Svaret er nu »Udgivet«: det kan ikke afgøres sådan." in html
    assert 'value="Ændret"' in html
    submitted.refresh_from_db()
    assert submitted.title == "Aarhus Kommune og Boligforeningen Åbo"


def test_editing_summary_and_parties_recomputes_who_must_consent(
    client, staff, submitted, housing_org
):
    other = OrganisationFactory(kind=Organisation.Kind.HOUSING_ORGANISATION, name="Bo Vest")
    Agreement.objects.filter(pk=submitted.pk).update(status=Agreement.Status.PUBLISHED)
    submitted.party_consents.create(
        organisation=submitted.municipality, level="members", via="staff", decided_at=now()
    )
    submitted.refresh_from_db()
    services.save_review_edits(agreement=submitted, by=staff, old_status="published")
    submitted.refresh_from_db()
    assert submitted.consent == "members"
    client.force_login(staff)
    data = form_data(
        submitted,
        title="Aftale om boligplacering i Aarhus",
        summary=SUMMARY,
        other_parties="Boligselskabet Nord",
        dwellings_per_year="25",
        housing_organisations=[housing_org.pk, other.pk],
    )
    response = client.submit(edit_url(submitted), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.PUBLISHED  # "Gem" decides nothing
    assert submitted.summary == SUMMARY
    assert submitted.other_parties == "Boligselskabet Nord"
    # A new party has not answered: the agreement is internal until it does.
    assert submitted.consent == "internal"
    entry = log_of(submitted)[-1]
    assert (entry.action, entry.user, entry.data) == (
        "library.agreement.shown_as_changed",
        staff,
        {"old": "members", "new": "internal"},
    )
    edit = client.get(edit_url(submitted)).content.decode()
    assert "Bo Vest" in edit and "Ikke besvaret endnu" in edit
    assert "Aftalens synlighed ændret" in edit


def test_review_services_check_permission_and_status(staff, submitted, submitter):
    Agreement.objects.filter(pk=submitted.pk).update(summary=SUMMARY)
    with pytest.raises(PermissionDenied):
        services.publish(agreement=submitted, by=submitter)
    draft = AgreementFactory(status=Agreement.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.publish(agreement=draft, by=staff)
    services.publish(agreement=submitted, by=staff)
    before = actions_of(submitted)
    services.publish(agreement=submitted, by=staff)  # twice: logged once
    assert actions_of(submitted) == before
    assert before.count("library.agreement.published") == 1
    with pytest.raises(PermissionDenied):
        services.record_consent_by_staff(
            agreement=submitted,
            organisation=submitted.municipality,
            by=submitter,
            level="public",
            note="Jeg siger det",
        )


# --- Who may review: one rule (access.can_decide_agreements) for admin, view, service ----


@pytest.mark.parametrize("role", ROLES)
def test_who_may_review_answers(
    role, client, submitted, network_a, housing_org, django_capture_on_commit_callbacks
):
    person = make_person(role, network=network_a, organisation=housing_org)
    may = role in COORDINATORS
    assert can_decide_agreements(person) is may
    log_in(client, person)

    # The admin: the listing, the edit form and its decision buttons.
    listing = client.get("/admin/aftaler/")
    edit = client.get(edit_url(submitted))
    if may:
        assert listing.status_code == edit.status_code == 200
        assert 'name="action-publish"' in edit.content.decode()
    else:
        assert listing.status_code in (302, 403) and edit.status_code in (302, 403)

    # The decision itself, posted with a valid token.
    data = form_data(submitted, summary=SUMMARY, **{"action-publish": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post_with_token(edit_url(submitted), data)
    submitted.refresh_from_db()
    if may:
        assert response.status_code == 302
        assert submitted.status == Agreement.Status.PUBLISHED
    else:
        assert response.status_code in (302, 403)
        assert submitted.status == Agreement.Status.SUBMITTED
        assert submitted.summary == ""

    # The service, whoever calls it.
    other = AgreementFactory(status=Agreement.Status.SUBMITTED, summary=SUMMARY)
    if may:
        services.reject(agreement=other, by=person, reason="Dobbelt indsendt")
        other.refresh_from_db()
        assert other.status == Agreement.Status.REJECTED
    else:
        with pytest.raises(PermissionDenied):
            services.reject(agreement=other, by=person, reason="Dobbelt indsendt")


def test_a_staff_flag_alone_does_not_make_a_reviewer(client, home_page, submitted):
    client.force_login(UserFactory(verified=True, is_staff=True))
    assert client.get("/admin/aftaler/").status_code in (302, 403)
    response = client.post_with_token(
        edit_url(submitted), form_data(submitted, **{"action-publish": "1"})
    )
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.status == Agreement.Status.SUBMITTED


def test_reviewers_are_told_of_new_answers_by_email(
    submitted, network_a, mailoutbox, django_capture_on_commit_callbacks
):
    """Staff notices go to whoever may decide (and the configured address), not to a
    person who merely has the staff flag, nor to members."""
    editor = make_person("editor")
    make_person("member", network=network_a)
    UserFactory(verified=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):  # sent after the commit
        services._mail_submitted(submitted)
    staff_mail = next(m for m in mailoutbox if "Nyt aftalesvar" in m.subject)
    assert set(staff_mail.to) == {"koordinator@erfa.example", editor.email}


# --- The admin listing --------------------------------------------------------------------


def test_staff_preview_and_download_unpublished_answers(client, staff, submitted, library_page):
    client.force_login(staff)
    detail = client.get(library_page.agreement_url(submitted))
    assert detail.status_code == 200
    assert "Ikke udgivet (Indsendt): kun sagsbehandlere ser dette." in detail.content.decode()
    assert client.get(f"/aftaler/dokument/{submitted.pk}/").status_code == 200


def test_editor_preview_of_the_library_goes_through_the_same_rule(
    client, rf, staff, submitted, library_page
):
    def preview_as(person):
        # Wagtail's preview runs the middleware on a dummy request carrying the editor's
        # session cookie, so the viewer is whoever is logged in.
        client.force_login(person)
        request = rf.get(library_page.url)
        request.META["HTTP_COOKIE"] = f"sessionid={client.cookies['sessionid'].value}"
        return library_page.make_preview_request(original_request=request).content.decode()

    assert "Aarhus Kommune og Boligforeningen Åbo" in preview_as(staff)
    assert "Aarhus Kommune og Boligforeningen Åbo" not in preview_as(UserFactory(verified=True))


@pytest.mark.parametrize(
    "params",
    [
        {"status": "submitted"},
        {"consent": "internal"},  # "Vises som": internal until the municipality answers
        {"state": "signed"},
        {"q": "Åbo"},
        {"ordering": "-submitted_at"},
    ],
)
def test_admin_list_filters_and_search(client, staff, submitted, params):
    client.force_login(staff)
    response = client.get("/admin/aftaler/", params)
    assert response.status_code == 200
    assert "Aarhus Kommune og Boligforeningen Åbo" in response.content.decode()


def test_untitled_answers_are_named_after_who_they_are_from_in_the_admin_list(
    client, staff, submitter, housing_org, django_assert_max_num_queries
):
    AgreementFactory(
        title="",
        status=Agreement.Status.DRAFT,
        submitted_at=None,
        submitted_by=submitter,
        submitting_organisation=housing_org,
    )
    AgreementFactory(
        title="",
        status=Agreement.Status.SUBMITTED,
        municipality=None,
        submitted_by=submitter,
        submitting_organisation=housing_org,
    )
    nameless = AgreementFactory(title="", municipality=None, submitting_organisation=None)
    client.force_login(staff)
    with django_assert_max_num_queries(40):
        html = client.get("/admin/aftaler/").content.decode()
    assert "(blank)" not in html and "(tom)" not in html
    assert "Kladde fra Aarhus Kommune, Boligforeningen Åbo" in html
    assert "Svar fra Boligforeningen Åbo" in html
    assert f"Svar nr. {nameless.pk}" in html
